using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// The fast path for SentencePiece-style pipelines whose normalizer replaces spaces with ▁ (Gemma 3), optionally
/// after prepending one (Llama 2): no pre-tokenizer that changes anything (none, or a split on spaces, which finds
/// none once they are ▁), a character-level BPE model, and added tokens matched on the raw text. Encodes straight
/// from UTF-8, word by word: the text is cut before a space wherever no token spans the ▁ it becomes
/// (<see cref="WordStarts"/>), each word is normalized on the stack and merged through the caches. The general
/// path builds a UTF-16 copy, the normalized string and a piece list for every stretch between added tokens.
/// Without a prepended ▁ every word is a place where encoding can stop and resume with the same ids; with one,
/// only the added tokens are (a stretch resumed after a word would gain a ▁ of its own).
/// </summary>
internal sealed class MarkedWordPipeline
{
    private const int StackWordBytes = 256;
    private readonly MergeListModel _model;
    private readonly WordStarts? _starts;
    private readonly AddedTokenByteMatcher _all, _ordinary;
    private readonly bool _prepends;

    private MarkedWordPipeline(MergeListModel model, IReadOnlyList<AddedToken> added, bool prepends)
    {
        _model = model;
        _prepends = prepends;
        _starts = model.WordStarts;
        _all = new AddedTokenByteMatcher(added);
        _ordinary = new AddedTokenByteMatcher(added.Where(t => !t.Special));
    }

    /// <summary>The fast path for <paramref name="pipeline"/>, or <see langword="null"/> when it does not qualify.</summary>
    public static MarkedWordPipeline? TryCreate(PipelineSpec pipeline, MergeListModel model)
    {
        // Llama 2 also prepends ▁ to every stretch between added tokens (SentencePiece's dummy prefix).
        const string Mark = "\u2581";
        bool replacesSpaces = pipeline.Normalizers is [{ Kind: NormalizerKind.Replace, IsRegex: false, Pattern: " ", Content: Mark }];
        bool prepends = pipeline.Normalizers is [{ Kind: NormalizerKind.Prepend, Content: Mark }, { Kind: NormalizerKind.Replace, IsRegex: false, Pattern: " ", Content: Mark }];
        bool splitsNothing = pipeline.PreTokenizers is [] or [{ Kind: PreTokenizerStepKind.Split, IsRegex: false, Pattern: " ", Invert: false }];
        BpeOptions options = pipeline.Model;
        bool plainModel = !options.ByteLevel && options.ContinuingSubwordPrefix.Length == 0 && options.EndOfWordSuffix.Length == 0;
        bool rawAddedTokens = pipeline.AddedTokens.All(t => !t.Normalized && !t.LStrip && !t.RStrip && !t.SingleWord);
        return (replacesSpaces || prepends) && splitsNothing && plainModel && rawAddedTokens ? new MarkedWordPipeline(model, pipeline.AddedTokens, prepends) : null;
    }

    /// <summary>Encodes valid UTF-8 <paramref name="text"/>; see <see cref="Tokenizer.Run{TSink}"/> for the contract.</summary>
    public bool Run<TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        var words = new Words(this, _model.ThreadCache());
        return AddedTokenSplit.Run(ref words, policy == SpecialTokenPolicy.Allow ? _all : _ordinary, text, 0, text.Length, ref sink, out consumed);
    }

    /// <summary>Encodes the stretches between added tokens word by word, with this thread's caches.</summary>
    private readonly struct Words(MarkedWordPipeline pipeline, PieceCache cache) : IStretchEncoder
    {
        public bool EncodeStretch<TSink>(ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
            where TSink : ITokenSink, allows ref struct => pipeline._prepends
                ? pipeline.EncodeWholeStretch(cache, text, from, to, ref sink, out consumed)
                : pipeline.EncodeWords(cache, text, from, to, ref sink, out consumed);
    }

    /// <summary>
    /// With a prepended ▁, a stretch cut after a word would gain a ▁ of its own when encoding resumed there, so the
    /// stretch's ids go to the sink together: words are still encoded one by one (through the caches), into a
    /// pooled buffer.
    /// </summary>
    private bool EncodeWholeStretch<TSink>(PieceCache cache, ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        if (from == to)
        {
            consumed = to;
            return true;
        }

        var collected = new Collector(ArrayPool<int>.Shared.Rent(Math.Min(to - from + 4, 1 << 16)));
        try
        {
            EncodeWords(cache, text, from, to, ref collected, out _);
            bool accepted = sink.Accept(collected.Ids, from, to);
            consumed = accepted ? to : from;
            return accepted;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(collected.Buffer);
        }
    }

    /// <summary>A sink that keeps every id, on pooled storage that grows.</summary>
    private ref struct Collector(int[] buffer) : ITokenSink
    {
        public int[] Buffer = buffer;
        private int _count;

        public readonly ReadOnlySpan<int> Ids => Buffer.AsSpan(0, _count);

        public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd)
        {
            if (_count + ids.Length > Buffer.Length)
            {
                int[] larger = ArrayPool<int>.Shared.Rent(Math.Max(2 * Buffer.Length, _count + ids.Length));
                Buffer.AsSpan(0, _count).CopyTo(larger);
                ArrayPool<int>.Shared.Return(Buffer);
                Buffer = larger;
            }

            ids.CopyTo(Buffer.AsSpan(_count));
            _count += ids.Length;
            return true;
        }
    }

    /// <summary>Encodes the stretch [<paramref name="from"/>, <paramref name="to"/>) word by word.</summary>
    private bool EncodeWords<TSink>(PieceCache cache, ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        int wordStart = from;
        for (int search = from + 1; search < to;)
        {
            int space = text[search..to].IndexOf((byte)' ');
            if (space < 0)
            {
                break;
            }

            int at = search + space;
            search = at + 1;
            if (CanCutBefore(text, from, at))
            {
                if (!EncodeWord(cache, text, wordStart, at, ref sink, marked: _prepends && wordStart == from))
                {
                    consumed = wordStart;
                    return false;
                }

                wordStart = at;
            }
        }

        if (wordStart < to && !EncodeWord(cache, text, wordStart, to, ref sink, marked: _prepends && wordStart == from))
        {
            consumed = wordStart;
            return false;
        }

        consumed = to;
        return true;
    }

    /// <summary>Whether the stretch starting at <paramref name="from"/> can be cut before the space at <paramref name="at"/>.</summary>
    private bool CanCutBefore(ReadOnlySpan<byte> text, int from, int at)
    {
        // The character before becomes ▁ too when it is a space, and ▁▁ is never cut.
        return _starts is not null && text[at - 1] != (byte)' ' && _starts.CanSplitBefore(text[from..], at - from);
    }

    /// <summary>Normalizes the word [<paramref name="start"/>, <paramref name="end"/>) (spaces to ▁), merges it and hands its ids to the sink.</summary>
    private bool EncodeWord<TSink>(PieceCache cache, ReadOnlySpan<byte> text, int start, int end, ref TSink sink, bool marked)
        where TSink : ITokenSink, allows ref struct
    {
        ReadOnlySpan<byte> word = text[start..end];
        int spaces = word.Count((byte)' ');
        int mark = MergeListModel.WordMarker.Length;
        int length = word.Length + ((mark - 1) * spaces) + (marked ? mark : 0);
        byte[]? rentedBytes = length > StackWordBytes ? ArrayPool<byte>.Shared.Rent(length) : null;
        int[]? rentedIds = length > StackWordBytes ? ArrayPool<int>.Shared.Rent(length) : null;
        Span<byte> normalized = rentedBytes ?? stackalloc byte[StackWordBytes];
        Span<int> ids = rentedIds ?? stackalloc int[StackWordBytes];
        try
        {
            int written = 0;
            if (marked)
            {
                MergeListModel.WordMarker.CopyTo(normalized);
                written = MergeListModel.WordMarker.Length;
            }

            while (true)
            {
                // Most words are one space and the letters after it: copy runs, not bytes.
                int space = word.IndexOf((byte)' ');
                int run = space < 0 ? word.Length : space;
                word[..run].CopyTo(normalized[written..]);
                written += run;
                if (space < 0)
                {
                    break;
                }

                MergeListModel.WordMarker.CopyTo(normalized[written..]);
                written += MergeListModel.WordMarker.Length;
                word = word[(space + 1)..];
            }

            // The text is already cut at every safe word start, so the model need not look for one again.
            int count = _model.EncodeWord(cache, normalized[..written], ids);
            return sink.Accept(ids[..count], start, end);
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
                ArrayPool<int>.Shared.Return(rentedIds!);
            }
        }
    }
}
