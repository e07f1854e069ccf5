using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// What <see cref="SpaceSegments"/> needs from a pipeline: which spaces and line breaks split the text, how to encode
/// a segment the usual way, and a tag that tells its cache entries from other pipelines'.
/// </summary>
internal interface ISpaceSegmentRule
{
    /// <summary>Tells this pipeline's entries in <see cref="SpaceSegmentCache"/> from other pipelines' (another model, policy or path).</summary>
    uint SegmentTag { get; }

    /// <summary>
    /// Whether a space or line break <paramref name="at"/> that follows <paramref name="before"/> is a split point:
    /// nothing before it encodes differently for what comes after it, and the encoding from it on does not depend on
    /// what came before.
    /// </summary>
    bool SplitsAt(byte at, byte before);

    /// <summary>
    /// Encodes [<paramref name="from"/>, <paramref name="to"/>), from one split point to another, the usual way; false
    /// when the sink stopped, with <paramref name="consumed"/> where.
    /// </summary>
    bool EncodeSegment<TSink>(ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct;
}

/// <summary>
/// Word-at-a-time encoding between split points: spaces and line breaks where the text splits, so that the ids of the
/// text are those of the part before followed by those of the part from it on (which ones, the rule says:
/// <see cref="ISpaceSegmentRule"/>). A segment runs from a split point to the first split point among the next
/// sixteen bytes (a space and the word after it, or a line break with the indentation and word after it). Its ids
/// depend on its bytes alone, so they are kept in <see cref="SpaceSegmentCache"/>, and a hit replaces the added-token
/// search, the pre-tokenizer and the model's lookups for the word. Text between split points that is no short
/// segment is encoded the usual way.
/// </summary>
internal static class SpaceSegments
{
    // Row n keeps the first n bytes of a 16-byte load and zeroes the rest.
    private static readonly byte[] s_keepMasks = BuildKeepMasks();

    /// <summary>
    /// Encodes [<paramref name="from"/>, <paramref name="to"/>): short segments from the cache, each as one group for
    /// the sink (which must take groups), and the text from each other split point to the next the usual way. A group
    /// the sink refuses is offered again piece by piece. See <see cref="Tokenizer.Run{TSink}"/> for the contract.
    /// </summary>
    public static bool Encode<TRule, TSink>(ref TRule rule, ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TRule : struct, ISpaceSegmentRule
        where TSink : ITokenSink, allows ref struct
    {
        // Every position the loop reaches is a split point: the start, one Run stopped at, or one NextSplitPoint found.
        int position = from;
        while (position < to)
        {
            if (text[position] is (byte)' ' or (byte)'\n')
            {
                // Up to a split point whose segment is no short one, or one the sink refused as a group.
                position = Run(ref rule, text, position, to, ref sink);
            }

            int next = NextSplitPoint(ref rule, text, position + 1, to);
            if (!rule.EncodeSegment(text, position, next, ref sink, out consumed))
            {
                return false;
            }

            position = next;
        }

        consumed = to;
        return true;
    }

    /// <summary>The first split point in [<paramref name="from"/>, <paramref name="to"/>) (after the text's first byte), or <paramref name="to"/>.</summary>
    private static int NextSplitPoint<TRule>(ref TRule rule, ReadOnlySpan<byte> text, int from, int to)
        where TRule : struct, ISpaceSegmentRule
    {
        // Sixteen bytes at a time inline while they hold spaces or line breaks: in indented code most of those are no
        // split point (a space after a space or a line break), and a call to IndexOfAny for each cost 12 % of
        // KL3M-003's time on Python source. A stretch of sixteen without any is long: IndexOfAny takes it from there.
        ref byte first = ref MemoryMarshal.GetReference(text);
        while (Vector128.IsHardwareAccelerated && from <= to - Vector128<byte>.Count)
        {
            int at = SplitPointAmong16(ref rule, ref first, from, skipped: 0, out bool anyCandidate);
            if (at >= 0)
            {
                return at;
            }

            if (!anyCandidate)
            {
                break;
            }

            from += Vector128<byte>.Count;
        }

        while (from < to)
        {
            int space = text[from..to].IndexOfAny((byte)' ', (byte)'\n');
            if (space < 0)
            {
                break;
            }

            from += space;
            if (rule.SplitsAt(text[from], text[from - 1]))
            {
                return from;
            }

            from++;
        }

        return to;
    }

    /// <summary>
    /// The first split point among the sixteen bytes at <paramref name="from"/> (at least 1) other than those of
    /// <paramref name="skipped"/>'s bits, or -1; <paramref name="anyCandidate"/> says whether any of them was a space or
    /// line break at all. One vector compare finds the candidates, and the rule tests each in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SplitPointAmong16<TRule>(ref TRule rule, ref byte first, int from, uint skipped, out bool anyCandidate)
        where TRule : struct, ISpaceSegmentRule
    {
        Vector128<byte> bytes = Vector128.LoadUnsafe(ref first, (nuint)from);
        uint candidates = (Vector128.Equals(bytes, Vector128.Create((byte)' ')) | Vector128.Equals(bytes, Vector128.Create((byte)'\n')))
            .ExtractMostSignificantBits() & ~skipped;
        anyCandidate = candidates != 0;
        while (candidates != 0)
        {
            int at = from + BitOperations.TrailingZeroCount(candidates);
            if (rule.SplitsAt(Unsafe.Add(ref first, at), Unsafe.Add(ref first, at - 1)))
            {
                return at;
            }

            candidates &= candidates - 1;
        }

        return -1;
    }

    /// <summary>
    /// Encodes segments from the split point <paramref name="position"/> (a space or line break) while the next lies within
    /// <see cref="SpaceSegmentCache.MaxLength"/> bytes and before <paramref name="to"/>, and returns where it stopped:
    /// a split point before <paramref name="to"/>.
    /// </summary>
    private static int Run<TRule, TSink>(ref TRule rule, ReadOnlySpan<byte> text, int position, int to, ref TSink sink)
        where TRule : struct, ISpaceSegmentRule
        where TSink : ITokenSink, allows ref struct
    {
        SpaceSegmentCache cache = SpaceSegmentCache.Current;
        uint tag = rule.SegmentTag;
        ref byte first = ref MemoryMarshal.GetReference(text);
        ref byte masks = ref MemoryMarshal.GetArrayDataReference(s_keepMasks);

        // Both 16-byte loads (the segment from its split point, the search from the byte after it) stay inside the text.
        int lastLoad = text.Length - (SpaceSegmentCache.MaxLength + 1);
        while (position <= lastLoad)
        {
            // The segment ends at the first split point among the next sixteen bytes' spaces and line breaks (an
            // indentation's spaces are none: they follow a line break or a space). The byte right after the split
            // point is no candidate: the segment would hold no word.
            int end = SplitPointAmong16(ref rule, ref first, position + 1, skipped: 1, out _);
            if (end < 0 || end >= to)
            {
                break; // no split point close enough: a word too long to keep, or a run of spaces or line breaks
            }

            int length = end - position;
            Vector128<byte> key = Vector128.LoadUnsafe(ref first, (nuint)position) & Vector128.LoadUnsafe(ref masks, (nuint)(length * 16));
            ulong lengthAndTag = SpaceSegmentCache.LengthAndTag(length, tag);
            ref SpaceSegmentCache.Entry entry = ref cache.Find(key, lengthAndTag, out bool found);
            if (found)
            {
                if (!sink.Accept(entry.Ids, position, end))
                {
                    break;
                }
            }
            else if (!EncodeAndRemember(ref rule, text, position, end, ref sink, ref entry, key, lengthAndTag))
            {
                break;
            }

            position = end;
        }

        return position;
    }

    /// <summary>
    /// Encodes the segment [<paramref name="from"/>, <paramref name="to"/>) the usual way, keeps its ids when they are
    /// few enough, and hands them to the sink as one group; false when the sink refused them.
    /// </summary>
    /// <remarks>Not inlined: its buffer would otherwise make the segment loop a method with a stack allocation, which the JIT does not profile.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool EncodeAndRemember<TRule, TSink>(
        ref TRule rule, ReadOnlySpan<byte> text, int from, int to, ref TSink sink,
        ref SpaceSegmentCache.Entry entry, Vector128<byte> key, ulong lengthAndTag)
        where TRule : struct, ISpaceSegmentRule
        where TSink : ITokenSink, allows ref struct
    {
        // Every token is at least one byte, so the segment's length bounds its ids.
        Span<int> ids = stackalloc int[SpaceSegmentCache.MaxLength];
        var captured = new SpanSink(ids);
        rule.EncodeSegment(text, from, to, ref captured, out _);
        ReadOnlySpan<int> segment = ids[..captured.Written];
        if (segment.Length <= SpaceSegmentCache.MaxIds)
        {
            SpaceSegmentCache.Remember(ref entry, key, lengthAndTag, segment);
        }

        return sink.Accept(segment, from, to);
    }

    private static byte[] BuildKeepMasks()
    {
        var masks = new byte[(SpaceSegmentCache.MaxLength + 1) * 16];
        for (int length = 0; length <= SpaceSegmentCache.MaxLength; length++)
        {
            masks.AsSpan(length * 16, length).Fill(0xFF);
        }

        return masks;
    }
}
