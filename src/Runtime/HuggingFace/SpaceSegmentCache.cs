using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// The ids of short segments (from a split point, a space or line break, to the next, up to <see cref="MaxLength"/>
/// bytes) that <see cref="SpaceSegments"/> encoded before, per thread: a hit replaces the added-token search, the
/// pre-tokenizer and the model's lookups for a whole word with one lookup. Direct-mapped, 32 K
/// entries of 64 bytes (2 MB per thread that uses it, allocated on first use); a new segment takes its slot's place.
/// At 16 K entries, a tenth of KL3M-003's prose segments missed on every pass over the same text, all of them for a
/// slot another segment held; 32 K made prose 12-15 % faster and legal text 6 % in alternating probes (two ways of
/// 16 K, moving the older segment aside, were slower than one).
/// </summary>
internal sealed class SpaceSegmentCache
{
    /// <summary>The longest segment kept, in bytes.</summary>
    public const int MaxLength = 16;

    /// <summary>The most ids a kept segment has (an entry is one 64-byte line: the key, a stamp, the ids).</summary>
    public const int MaxIds = 10;

    private const int Bits = 15;
    private const int CountShift = 8;
    private const ulong CountMask = 15UL << CountShift;

    [ThreadStatic]
    private static SpaceSegmentCache? t_current;

    private static int s_lastTag;

    private readonly Entry[] _entries = new Entry[1 << Bits];

    /// <summary>A tag no other pipeline has (they come round again after 2^32 pipelines).</summary>
    public static uint NewTag() => (uint)System.Threading.Interlocked.Increment(ref s_lastTag);

    /// <summary>The calling thread's cache.</summary>
    public static SpaceSegmentCache Current => t_current ??= new SpaceSegmentCache();

    /// <summary>
    /// The entry for the segment whose bytes are <paramref name="key"/> (zero past its length) and whose length and tag
    /// are <paramref name="lengthAndTag"/> (<see cref="LengthAndTag"/>); <paramref name="found"/> says whether it holds
    /// that segment. When it does not, it is the slot to <see cref="Remember"/> the segment in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref Entry Find(Vector128<byte> key, ulong lengthAndTag, out bool found)
    {
        ulong low = key.AsUInt64().GetElement(0), high = key.AsUInt64().GetElement(1);
        ulong hash = (low ^ (high * 0xC2B2AE3D27D4EB4FUL) ^ lengthAndTag) * 0x9E3779B97F4A7C15UL;
        ref Entry entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_entries), (nint)(hash >> (64 - Bits)));
        found = entry.Key == key && (entry.Stamp & ~CountMask) == lengthAndTag;
        return ref entry;
    }

    /// <summary>A segment's length and its pipeline's tag, as entries keep them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LengthAndTag(int length, uint tag) => ((ulong)tag << 32) | (uint)length;

    /// <summary>Keeps <paramref name="ids"/> (1 to <see cref="MaxIds"/>) as the segment's in <paramref name="entry"/>.</summary>
    public static void Remember(ref Entry entry, Vector128<byte> key, ulong lengthAndTag, ReadOnlySpan<int> ids)
    {
        entry.Key = key;
        entry.Stamp = lengthAndTag | ((ulong)(ids.Length - 1) << CountShift);
        ids.CopyTo(MemoryMarshal.CreateSpan(ref entry.Id0, MaxIds));
    }

    /// <summary>Room for the ids after the first.</summary>
    [InlineArray(MaxIds - 1)]
    public struct OtherIds
    {
        private int _id;
    }

    /// <summary>A segment's bytes, length and tag, and its ids.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Entry
    {
        /// <summary>The segment's bytes, zero past its length.</summary>
        public Vector128<byte> Key;

        /// <summary>The pipeline's tag (bits 32-63), the id count less one (bits 8-11) and the length (bits 0-7); 0 when empty.</summary>
        public ulong Stamp;

        /// <summary>The first id; the others follow it.</summary>
        public int Id0;

        /// <summary>The other ids, as many as the count says.</summary>
        public OtherIds Others;

        /// <summary>The segment's ids.</summary>
        [UnscopedRef]
        public ReadOnlySpan<int> Ids => MemoryMarshal.CreateReadOnlySpan(ref Id0, (int)((Stamp & CountMask) >> CountShift) + 1);
    }
}
