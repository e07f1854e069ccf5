using System.Collections.Generic;
using TokenizerCompiler.Core.HuggingFace;

namespace TokenizerCompiler.Core.Model;

/// <summary>
/// A vocabulary after parsing and validation, independent of the file format it came from. Everything the
/// table builder needs and nothing format-specific: tokens as bytes indexed by id, the segmentation model,
/// the pre-tokenizer and the special tokens.
/// </summary>
public sealed class TokenizerDefinition
{
    /// <summary>Creates a definition.</summary>
    /// <param name="model">The segmentation algorithm.</param>
    /// <param name="tokens">Token bytes indexed by id; <see langword="null"/> marks an unused id.</param>
    /// <param name="preTokenizer">How text is split into pieces.</param>
    /// <param name="specialTokens">Tokens matched by their exact text; their ids may lie beyond <paramref name="tokens"/>.</param>
    public TokenizerDefinition(
        TokenizerModelKind model,
        IReadOnlyList<byte[]?> tokens,
        PreTokenizerSpec preTokenizer,
        IReadOnlyList<SpecialToken> specialTokens)
    {
        Model = model;
        Tokens = tokens;
        PreTokenizer = preTokenizer;
        SpecialTokens = specialTokens;
    }

    /// <summary>Creates the definition of a Hugging Face BPE tokenizer.</summary>
    /// <param name="tokens">Each vocabulary token's bytes as the model sees them, indexed by id.</param>
    /// <param name="merges">The merges in priority order (the first merges first).</param>
    /// <param name="pipeline">Normalizers, pre-tokenizers, model options, added tokens and decoding.</param>
    /// <param name="decodedTokens">Each id's bytes when decoded (added tokens included), indexed by id.</param>
    /// <param name="scores">Unigram: each id's log-probability score; <see langword="null"/> for the other models.</param>
    public TokenizerDefinition(
        IReadOnlyList<byte[]?> tokens,
        IReadOnlyList<MergeRule> merges,
        PipelineSpec pipeline,
        IReadOnlyList<byte[]?> decodedTokens,
        IReadOnlyList<double>? scores = null)
        : this(TokenizerModelKind.MergeListBytePairEncoding, tokens, PreTokenizerSpec.None, SpecialTokensOf(pipeline))
    {
        Merges = merges;
        Pipeline = pipeline;
        DecodedTokens = decodedTokens;
        Scores = scores;
    }

    /// <summary>Unigram scores by id, or <see langword="null"/>.</summary>
    public IReadOnlyList<double>? Scores { get; }

    /// <summary>Merges in priority order (Hugging Face BPE); empty for tiktoken vocabularies.</summary>
    public IReadOnlyList<MergeRule> Merges { get; } = new MergeRule[0];

    /// <summary>The Hugging Face pipeline, or <see langword="null"/> for tiktoken vocabularies.</summary>
    public PipelineSpec? Pipeline { get; }

    /// <summary>Each id's decoded bytes when they differ from <see cref="Tokens"/>; <see langword="null"/> otherwise.</summary>
    public IReadOnlyList<byte[]?>? DecodedTokens { get; }

    private static IReadOnlyList<SpecialToken> SpecialTokensOf(PipelineSpec pipeline)
    {
        var specials = new List<SpecialToken>(pipeline.AddedTokens.Count);
        foreach (AddedToken added in pipeline.AddedTokens)
        {
            specials.Add(new SpecialToken(added.Content, added.Id));
        }

        return specials;
    }

    /// <summary>The segmentation algorithm.</summary>
    public TokenizerModelKind Model { get; }

    /// <summary>Token bytes indexed by id; <see langword="null"/> marks an unused id.</summary>
    public IReadOnlyList<byte[]?> Tokens { get; }

    /// <summary>How text is split into pieces.</summary>
    public PreTokenizerSpec PreTokenizer { get; }

    /// <summary>Tokens matched by their exact text.</summary>
    public IReadOnlyList<SpecialToken> SpecialTokens { get; }

    /// <summary>One more than the largest id of any token, special tokens included.</summary>
    public int VocabularySize
    {
        get
        {
            int size = Tokens.Count;
            foreach (SpecialToken special in SpecialTokens)
            {
                if (special.Id >= size)
                {
                    size = special.Id + 1;
                }
            }

            return size;
        }
    }
}
