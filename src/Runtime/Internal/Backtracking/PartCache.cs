using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TokenizerCompiler.Internal.Backtracking;

/// <summary>
/// The ids of short parts of whole Latin-1 words that <see cref="SegmentedSearch"/> searched before (Binary BPE's
/// files), per thread and vocabulary: one 64-byte line per part (up to <see cref="MaxLength"/> bytes and
/// <see cref="MaxIds"/> ids below 2^16), in 2^16 buckets of four lines (262 K parts, 16 MB, allocated on the first
/// whole word); a new part takes a bucket's first line and the others move down, the last one's part dropped.
/// </summary>
/// <remarks>
/// <para>
/// A line holds everything a lookup reads and an insert writes, and the search asks for the next part's bucket while
/// it works on the part before (<see cref="Prefetch"/>). A first version kept the parts in the merge-result table (a
/// slot array and an arena growing to 12 MB): a megabyte of an executable read once took 1.5-1.9 times as long as
/// without a cache.
/// </para>
/// <para>
/// Four ways, not one: the first megabytes of gdb, perl and git have 42-64 K distinct parts of up to 32 bytes, and with
/// one line per bucket (2^18 lines) or two (2^17 buckets) 10-25 K parts a pass still missed for a line another part
/// held, each missed part costing a search (gdb repeated 16-19 ms a megabyte; with four ways 0.4-2.4 K misses, 7 ms).
/// </para>
/// </remarks>
internal sealed class PartCache
{
    /// <summary>The longest part kept, in bytes (86-94 % of the bytes of those megabytes lie in such parts).</summary>
    public const int MaxLength = 32;

    /// <summary>The most ids a kept part has (as 16-bit numbers, in the rest of its line).</summary>
    public const int MaxIds = 14;

    private const int Bits = 16; // buckets of Ways lines

    private const int Ways = 4;

    private readonly Entry[] _entries = GC.AllocateArray<Entry>((Ways << Bits) + 2, pinned: true); // room to align, and a spare line (see CopyIds)
    private int _nextVictim; // which line of a full bucket a new part takes (see Find)
    private readonly nint _firstLine; // the byte offset of the first entry that starts a 64-byte line (the array is pinned)

    /// <summary>An empty cache.</summary>
    public unsafe PartCache()
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_entries));
        _firstLine = (64 - (address & 63)) & 63;
    }

    /// <summary>
    /// The part of <paramref name="length"/> (1 to <see cref="MaxLength"/>) bytes at <paramref name="start"/> of
    /// <paramref name="word"/> as a key: its bytes, zeros after them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> KeyOf(ReadOnlySpan<byte> word, int start, int length)
    {
        Vector256<byte> bytes;
        if (word.Length - start >= Vector256<byte>.Count)
        {
            bytes = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(word), (nuint)start);
        }
        else
        {
            return PaddedKey(word.Slice(start, length));
        }

        Vector256<byte> lanes = Vector256.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
        return bytes & Vector256.LessThan(lanes, Vector256.Create((byte)length));
    }

    /// <summary>A part near the end of its word as a key: copied, so that no load reads past the word.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<byte> PaddedKey(ReadOnlySpan<byte> part)
    {
        Span<byte> padded = stackalloc byte[Vector256<byte>.Count];
        padded.Clear();
        part.CopyTo(padded);
        return Vector256.Create<byte>(padded);
    }

    /// <summary>
    /// The bucket of the part <paramref name="key"/> of <paramref name="length"/> bytes, for <see cref="Prefetch"/> and
    /// <see cref="Find"/>: computed once per part, which the search asks for ahead of the lookup.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint BucketOf(Vector256<byte> key, int length)
    {
        Vector256<ulong> words = key.AsUInt64();
        ulong mixed = (words.GetElement(0) * 0x9E3779B97F4A7C15UL) ^ (words.GetElement(1) * 0xC2B2AE3D27D4EB4FUL)
            ^ (words.GetElement(2) * 0x165667B19E3779F9UL) ^ (words.GetElement(3) * 0xD6E8FEB86659FD93UL) ^ (ulong)length;
        ulong hash = (mixed ^ (mixed >> 29)) * 0x94D049BB133111EBUL;
        return (nint)(hash >> (64 - Bits));
    }

    /// <summary>Asks the CPU for the lines of <paramref name="bucket"/>, which a later <see cref="Find"/> will read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(nint bucket)
    {
        if (Sse.IsSupported)
        {
            ref Entry first = ref FirstLineOf(bucket);
            for (int way = 0; way < Ways; way++)
            {
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref first, way)));
            }
        }
    }

    /// <summary>
    /// The line for the part <paramref name="key"/> of <paramref name="length"/> bytes in its <paramref name="bucket"/>
    /// (<see cref="BucketOf"/>); <paramref name="found"/> says
    /// whether it holds that part. When it does not, it is the line to <see cref="Remember"/> the part in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref Entry Find(nint bucket, Vector256<byte> key, int length, out bool found)
    {
        ref Entry first = ref FirstLineOf(bucket);
        for (int way = 0; way < Ways; way++)
        {
            ref Entry entry = ref Unsafe.Add(ref first, way);
            if (entry.Key == key && (entry.Stamp & LengthMask) == (uint)length)
            {
                found = true;
                return ref entry;
            }
        }

        // An empty line, or else one chosen in turn: one line written per new part (moving the kept ones down a line,
        // so that the oldest went, wrote four).
        found = false;
        for (int way = 0; way < Ways; way++)
        {
            if (Unsafe.Add(ref first, way).Stamp == 0)
            {
                return ref Unsafe.Add(ref first, way);
            }
        }

        return ref Unsafe.Add(ref first, _nextVictim++ & (Ways - 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry FirstLineOf(nint bucket)
    {
        ref Entry first = ref Unsafe.AddByteOffset(ref MemoryMarshal.GetArrayDataReference(_entries), _firstLine);
        return ref Unsafe.Add(ref first, bucket * Ways);
    }

    /// <summary>
    /// Keeps <paramref name="ids"/> as the part's in <paramref name="entry"/> when they fit a line (at most
    /// <see cref="MaxIds"/>, each below 2^16); otherwise leaves the line as it is.
    /// </summary>
    public static void Remember(ref Entry entry, Vector256<byte> key, int length, ReadOnlySpan<int> ids)
    {
        if (ids.Length is 0 or > MaxIds)
        {
            return;
        }

        Span<ushort> kept = entry.Ids;
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] > ushort.MaxValue)
            {
                return;
            }

            kept[i] = (ushort)ids[i];
        }

        entry.Key = key;
        entry.Stamp = (uint)length | ((uint)ids.Length << CountShift);
    }

    /// <summary>Copies the ids of a found <paramref name="entry"/> to <paramref name="output"/> and returns how many; 0 when they do not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CopyIds(ref Entry entry, Span<int> output)
    {
        int count = (int)(entry.Stamp >> CountShift);
        if (output.Length >= 2 * Vector256<int>.Count)
        {
            // Sixteen ids' worth: the last two lanes read the next line's first bytes (the table has a spare line), and
            // what lands past the part's ids is overwritten by the next part or lies past the ids written.
            Vector256<ushort> packed = Vector256.LoadUnsafe(ref Unsafe.As<ushort, ushort>(ref MemoryMarshal.GetReference(entry.Ids)));
            (Vector256<uint> low, Vector256<uint> high) = Vector256.Widen(packed);
            ref int target = ref MemoryMarshal.GetReference(output);
            low.AsInt32().StoreUnsafe(ref target);
            high.AsInt32().StoreUnsafe(ref target, (nuint)Vector256<int>.Count);
            return count;
        }

        if (output.Length < count)
        {
            return 0;
        }

        ReadOnlySpan<ushort> kept = entry.Ids;
        for (int i = 0; i < count; i++)
        {
            output[i] = kept[i];
        }

        return count;
    }

    private const int CountShift = 8;
    private const uint LengthMask = 0xFF;

    /// <summary>The ids of a part, as 16-bit numbers.</summary>
    [InlineArray(MaxIds)]
    public struct PartIds
    {
        private ushort _id;
    }

    /// <summary>One part: its bytes (zeros after them), its length and id count, and its ids: 64 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Entry
    {
        /// <summary>The part's bytes, zero past its length.</summary>
        public Vector256<byte> Key;

        /// <summary>The length (bits 0-7) and the id count (bits 8-15); 0 when empty.</summary>
        public uint Stamp;

        /// <summary>The part's ids.</summary>
        public PartIds Packed;

        /// <summary>The ids, as many as the line has room for.</summary>
        [System.Diagnostics.CodeAnalysis.UnscopedRef]
        public Span<ushort> Ids => Packed;
    }
}
