using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Word-at-a-time encoding for vocabularies where a space is an added token by itself (KL3M-001).
/// <para>
/// Why a segment encodes alone: Hugging Face finds added tokens leftmost first, so a space starts a match unless an
/// earlier match runs over it, and only a token that holds some byte followed by a space can do that
/// (<see cref="AddedTokenByteMatcher.SplitsAtSpaceAfter"/>). At such a split point no match and no stretch crosses,
/// so the ids of the text are the ids of the part before the space followed by those of the part from it on. A
/// segment is a space, the word after it and nothing else, ending at the next space, which must be a split point too;
/// its ids depend on its bytes alone and are kept in <see cref="SpaceSegmentCache"/>.
/// </para>
/// </summary>
internal static class SpaceSegments
{

    // Row n keeps the first n bytes of a 16-byte load and zeroes the rest.
    private static readonly byte[] s_keepMasks = BuildKeepMasks();

    /// <summary>
    /// Encodes segments from the split point <paramref name="position"/> (a space) while the next space lies within
    /// <see cref="SpaceSegmentCache.MaxLength"/> bytes and before <paramref name="to"/>, each as one group for the
    /// sink, and returns where it stopped: a split point at a space, for the caller's loop to go on from. A sink that
    /// refuses a group stops the segments there, and the caller's loop offers the same ids piece by piece.
    /// </summary>
    public static int Run<TEncoder, TSink>(ref TEncoder encoder, AddedTokenByteMatcher added, ReadOnlySpan<byte> text, int position, int to, ref TSink sink)
        where TEncoder : struct, IStretchEncoder
        where TSink : ITokenSink, allows ref struct
    {
        SpaceSegmentCache cache = SpaceSegmentCache.Current;
        uint tag = added.SegmentTag;
        ref byte first = ref MemoryMarshal.GetReference(text);
        ref byte masks = ref MemoryMarshal.GetArrayDataReference(s_keepMasks);
        Vector128<byte> spaces = Vector128.Create((byte)' ');

        // Both 16-byte loads (the segment from its space, the search from the byte after it) stay inside the text.
        int lastLoad = text.Length - (SpaceSegmentCache.MaxLength + 1);
        while (position <= lastLoad)
        {
            uint next = Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)position + 1), spaces).ExtractMostSignificantBits();
            if ((next & 1) != 0 || next == 0)
            {
                break; // a run of spaces, or a word too long to keep
            }

            int end = position + 1 + BitOperations.TrailingZeroCount(next);
            if (end >= to || !added.SplitsAtSpaceAfter(Unsafe.Add(ref first, end - 1)))
            {
                break;
            }

            int length = end - position;
            Vector128<byte> key = Vector128.LoadUnsafe(ref first, (nuint)position) & Vector128.LoadUnsafe(ref masks, (nuint)(length * 16));
            uint lengthAndTag = SpaceSegmentCache.LengthAndTag(length, tag);
            ref SpaceSegmentCache.Entry entry = ref cache.Find(key, lengthAndTag, out bool found);
            if (found)
            {
                if (!sink.Accept(entry.Ids, position, end))
                {
                    break;
                }
            }
            else if (!EncodeAndRemember(ref encoder, added, text, position, end, ref sink, ref entry, key, lengthAndTag))
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
    private static bool EncodeAndRemember<TEncoder, TSink>(
        ref TEncoder encoder, AddedTokenByteMatcher added, ReadOnlySpan<byte> text, int from, int to, ref TSink sink,
        ref SpaceSegmentCache.Entry entry, Vector128<byte> key, uint lengthAndTag)
        where TEncoder : struct, IStretchEncoder
        where TSink : ITokenSink, allows ref struct
    {
        // Every token is at least one byte, so the segment's length bounds its ids.
        Span<int> ids = stackalloc int[SpaceSegmentCache.MaxLength];
        var captured = new SpanSink(ids);
        AddedTokenSplit.Run(ref encoder, added, text, from, to, ref captured, out _);
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
