using System;
using System.Collections.Generic;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// The fast path for pipelines that neither normalize nor pre-tokenize (Binary BPE): Hugging Face hands each stretch
/// between added tokens to the model as one word. Encodes straight from UTF-8, with the added tokens found by a byte
/// trie. The general path would transcode the text to UTF-16 to find them and back to UTF-8 for the model; on a
/// megabyte of executable bytes those two copies took a tenth of the time.
/// </summary>
internal sealed class WholeStretchPipeline
{
    private readonly MergeListModel _model;
    private readonly RawAddedTokens _added;

    private WholeStretchPipeline(MergeListModel model, IReadOnlyList<AddedToken> added)
    {
        _model = model;
        _added = new RawAddedTokens(added);
    }

    /// <summary>The fast path for <paramref name="pipeline"/>, or <see langword="null"/> when it does not qualify.</summary>
    public static WholeStretchPipeline? TryCreate(PipelineSpec pipeline, MergeListModel model)
    {
        // Byte-level models, affixes, and added tokens that are not matched on the raw text as it is: the general path's.
        BpeOptions options = pipeline.Model;
        bool plainModel = MergeListModel.MergesPlainCharacters(options);
        bool rawAddedTokens = RawAddedTokens.AllPlain(pipeline.AddedTokens);
        return pipeline.Normalizers is [] && pipeline.PreTokenizers is [] && plainModel && rawAddedTokens
            ? new WholeStretchPipeline(model, pipeline.AddedTokens)
            : null;
    }

    /// <summary>Encodes valid UTF-8 <paramref name="text"/>; see <see cref="Tokenizer.Run{TSink}"/> for the contract.</summary>
    public bool Run<TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        var stretches = new Stretches(_model, _model.ThreadCache());
        return AddedTokenSplit.Run(ref stretches, _added.For(policy), text, 0, text.Length, ref sink, out consumed);
    }

    /// <summary>
    /// Encodes Latin-1 bytes (a byte per character) as one word when the model can search them from their bytes
    /// (<see cref="MergeListModel.Latin1TreeFor"/>) and no added token matched under <paramref name="policy"/> occurs in
    /// them, so that the whole text is one stretch; -1 when that path does not apply. Binary BPE's added tokens are
    /// ASCII, so whether one occurs is asked of the bytes themselves, after the model's cheaper tests.
    /// </summary>
    public int EncodeLatin1(ReadOnlySpan<byte> latin1, SpecialTokenPolicy policy, Span<int> destination)
    {
        if (_model.Latin1TreeFor(latin1.Length, destination.Length) is not { } tree)
        {
            return -1;
        }

        AddedTokenByteMatcher added = _added.For(policy);
        bool oneStretch = added.IsEmpty || (added.AllAscii && added.FindNext(latin1, 0, out _, out _) < 0);
        return oneStretch ? MergeListModel.EncodeLatin1Word(tree, _model.ThreadCache(), latin1, destination) : -1;
    }

    /// <summary>Merges each stretch between added tokens as one word, with this thread's caches.</summary>
    private readonly struct Stretches(MergeListModel model, PieceCache cache) : IStretchEncoder
    {
        public bool EncodeStretch<TSink>(ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
            where TSink : ITokenSink, allows ref struct
        {
            if (from == to)
            {
                consumed = to;
                return true;
            }

            bool accepted = model.EncodeToSink(cache, text[from..to], from, ref sink);
            consumed = accepted ? to : from;
            return accepted;
        }
    }
}
