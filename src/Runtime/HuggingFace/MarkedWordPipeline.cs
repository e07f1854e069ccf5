using System;
using System.Buffers;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    // The longest word (a space and thirteen bytes) normalized by one vector store: ▁ and thirteen bytes fill sixteen.
    private const int ShuffledWordBytes = 14;
    private readonly MergeListModel _model;
    private readonly WordStarts? _starts;
    private readonly RawAddedTokens _added;
    private readonly bool _prepends;

    private MarkedWordPipeline(MergeListModel model, IReadOnlyList<AddedToken> added, bool prepends)
    {
        _model = model;
        _prepends = prepends;
        _starts = model.WordStarts;
        _added = new RawAddedTokens(added);
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
        bool plainModel = MergeListModel.MergesPlainCharacters(options);
        bool rawAddedTokens = RawAddedTokens.AllPlain(pipeline.AddedTokens);
        return (replacesSpaces || prepends) && splitsNothing && plainModel && rawAddedTokens ? new MarkedWordPipeline(model, pipeline.AddedTokens, prepends) : null;
    }

    /// <summary>Encodes valid UTF-8 <paramref name="text"/>; see <see cref="Tokenizer.Run{TSink}"/> for the contract.</summary>
    public bool Run<TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        var words = new Words(this, _model.ThreadCache());
        return AddedTokenSplit.Run(ref words, _added.For(policy), text, 0, text.Length, ref sink, out consumed);
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
    /// pooled buffer, or straight into the sink when it takes everything or is a caller's span (whose count of ids
    /// written moves only once the whole stretch fits).
    /// </summary>
    private bool EncodeWholeStretch<TSink>(PieceCache cache, ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        if (from == to)
        {
            consumed = to;
            return true;
        }

        if (TSink.AcceptsEverything)
        {
            return EncodeWords(cache, text, from, to, ref sink, out consumed);
        }

        if (typeof(TSink) == typeof(SpanSink))
        {
            // Saves the pooled buffer's copy of every id (a megabyte for a megabyte of legal text).
            ref SpanSink destination = ref Unsafe.As<TSink, SpanSink>(ref sink);
            var inPlace = new SpanSink(destination.Free);
            bool fits = EncodeWords(cache, text, from, to, ref inPlace, out _);
            if (fits)
            {
                destination.Advance(inPlace.Written);
            }

            consumed = fits ? to : from;
            return fits;
        }

        var collected = new PooledIdCollector(to - from + 4);
        try
        {
            EncodeWords(cache, text, from, to, ref collected, out _);
            bool accepted = sink.Accept(collected.Ids, from, to);
            consumed = accepted ? to : from;
            return accepted;
        }
        finally
        {
            collected.Dispose();
        }
    }

    /// <summary>Encodes the stretch [<paramref name="from"/>, <paramref name="to"/>) word by word.</summary>
    private bool EncodeWords<TSink>(PieceCache cache, ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        // The search for spaces also counts them, so a word is normalized without looking at its bytes again.
        int wordStart = from;
        int spaces = from < to && text[from] == (byte)' ' ? 1 : 0; // in [wordStart, search)
        for (int search = from + 1; search < to;)
        {
            int at = NextSpace(text, search, to);
            if (at < 0)
            {
                break;
            }

            search = at + 1;
            if (!CanCutBefore(text, from, at))
            {
                spaces++;
                continue;
            }

            if (!EncodeWord(cache, text, wordStart, at, spaces, ref sink, marked: _prepends && wordStart == from))
            {
                consumed = wordStart;
                return false;
            }

            wordStart = at;
            spaces = 1;
        }

        if (wordStart < to && !EncodeWord(cache, text, wordStart, to, spaces, ref sink, marked: _prepends && wordStart == from))
        {
            consumed = wordStart;
            return false;
        }

        consumed = to;
        return true;
    }

    /// <summary>
    /// The first space in [<paramref name="from"/>, <paramref name="to"/>), or -1. Words are short, so the sixteen
    /// bytes from <paramref name="from"/> are compared inline first (they may reach past <paramref name="to"/>,
    /// never past the text); a call to IndexOf per word was 9 % of Llama 2's profile on legal text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextSpace(ReadOnlySpan<byte> text, int from, int to)
    {
        if (Vector128.IsHardwareAccelerated && from <= text.Length - Vector128<byte>.Count)
        {
            Vector128<byte> bytes = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(text), (nuint)from);
            uint spaces = Vector128.Equals(bytes, Vector128.Create((byte)' ')).ExtractMostSignificantBits();
            if (spaces != 0)
            {
                int at = from + BitOperations.TrailingZeroCount(spaces);
                return at < to ? at : -1;
            }

            if (to <= from + Vector128<byte>.Count)
            {
                return -1;
            }

            from += Vector128<byte>.Count;
        }

        int space = text[from..to].IndexOf((byte)' ');
        return space < 0 ? -1 : from + space;
    }

    /// <summary>Whether the stretch starting at <paramref name="from"/> can be cut before the space at <paramref name="at"/>.</summary>
    private bool CanCutBefore(ReadOnlySpan<byte> text, int from, int at)
    {
        // The character before becomes ▁ too when it is a space, and ▁▁ is never cut.
        return _starts is not null && text[at - 1] != (byte)' ' && _starts.CanSplitBefore(text[from..], at - from);
    }

    /// <summary>
    /// Normalizes the word [<paramref name="start"/>, <paramref name="end"/>), which holds <paramref name="spaces"/>
    /// spaces (each becomes ▁), merges it and hands its ids to the sink.
    /// </summary>
    private bool EncodeWord<TSink>(PieceCache cache, ReadOnlySpan<byte> text, int start, int end, int spaces, ref TSink sink, bool marked)
        where TSink : ITokenSink, allows ref struct
    {
        ReadOnlySpan<byte> word = text[start..end];
        ReadOnlySpan<byte> mark = MergeListModel.WordMarker;
        int length = word.Length + ((mark.Length - 1) * spaces) + (marked ? mark.Length : 0);
        if (length > StackWordBytes)
        {
            return EncodeLongWord(cache, word, start, end, spaces, ref sink, marked, length);
        }

        Span<byte> normalized = stackalloc byte[StackWordBytes];
        Span<int> ids = stackalloc int[StackWordBytes];
        int written = 0;
        if (marked)
        {
            mark.CopyTo(normalized);
            written = mark.Length;
        }

        bool oneLeadingSpace = spaces == 1 && word[0] == (byte)' ';
        if (oneLeadingSpace && !marked && word.Length <= ShuffledWordBytes && Vector128.IsHardwareAccelerated
            && start <= text.Length - Vector128<byte>.Count)
        {
            // Most words: one space and up to thirteen bytes, normalized with one 16-byte store. The model's lookups
            // read the word back at once with 4- or 8-byte loads; across the several narrower stores of a copy those
            // loads cannot take their bytes from the stores in flight and waited on them (14 % of the method).
            Vector128<byte> bytes = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(text), (nuint)start);
            Vector128<byte> moved = Vector128.Shuffle(bytes, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13));
            (moved | Vector128.Create((byte)0xE2, 0x96, 0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).StoreUnsafe(ref MemoryMarshal.GetReference(normalized));
            written = word.Length + mark.Length - 1;
        }
        else if (oneLeadingSpace && word.Length <= 17)
        {
            // The other words of one space and up to sixteen bytes (longer than the vector path takes, within sixteen
            // bytes of the text's end, or after Llama 2's mark): ▁ and the bytes by two copies.
            mark.CopyTo(normalized[written..]);
            CopyShort(word[1..], normalized[(written + mark.Length)..]);
            written += mark.Length + word.Length - 1;
        }
        else
        {
            written += Replace(word, spaces, normalized[written..]);
        }

        // The text is already cut at every safe word start, so the model need not look for one again.
        int count = _model.EncodeWord(cache, normalized[..written], ids);
        return sink.Accept(ids[..count], start, end);
    }

    /// <summary><see cref="EncodeWord"/> for a word longer than the stack buffers, on pooled arrays.</summary>
    private bool EncodeLongWord<TSink>(PieceCache cache, ReadOnlySpan<byte> word, int start, int end, int spaces, ref TSink sink, bool marked, int length)
        where TSink : ITokenSink, allows ref struct
    {
        byte[] normalized = ArrayPool<byte>.Shared.Rent(length);
        int[] ids = ArrayPool<int>.Shared.Rent(length);
        try
        {
            int written = 0;
            if (marked)
            {
                MergeListModel.WordMarker.CopyTo(normalized);
                written = MergeListModel.WordMarker.Length;
            }

            written += Replace(word, spaces, normalized.AsSpan(written));
            int count = _model.EncodeWord(cache, normalized.AsSpan(0, written), ids);
            return sink.Accept(ids.AsSpan(0, count), start, end);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(normalized);
            ArrayPool<int>.Shared.Return(ids);
        }
    }

    /// <summary>Copies up to sixteen bytes into a destination with room for sixteen, with two overlapping loads instead of a call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int length = source.Length;
        ref byte from = ref MemoryMarshal.GetReference(source);
        ref byte to = ref MemoryMarshal.GetReference(destination);
        if ((uint)destination.Length < 16 || length > 16)
        {
            source.CopyTo(destination);
        }
        else if (length >= 8)
        {
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<ulong>(ref from));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - 8), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, length - 8)));
        }
        else if (length >= 4)
        {
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<uint>(ref from));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - 4), Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref from, length - 4)));
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
            }
        }
    }

    /// <summary>Copies <paramref name="word"/> with its <paramref name="spaces"/> spaces replaced by ▁; returns the bytes written.</summary>
    private static int Replace(ReadOnlySpan<byte> word, int spaces, Span<byte> destination)
    {
        int written = 0;
        for (; spaces > 0; spaces--)
        {
            int space = word.IndexOf((byte)' ');
            word[..space].CopyTo(destination[written..]);
            written += space;
            MergeListModel.WordMarker.CopyTo(destination[written..]);
            written += MergeListModel.WordMarker.Length;
            word = word[(space + 1)..];
        }

        word.CopyTo(destination[written..]);
        return written + word.Length;
    }
}
