using System.Collections.Generic;

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
