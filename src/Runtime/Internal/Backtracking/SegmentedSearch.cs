using System;
using System.Runtime.Intrinsics;

namespace TokenizerCompiler.Internal.Backtracking;

/// <summary>
/// The backtracking search over a long word cut into parts at the boundaries no producible token spans
/// (<see cref="MergeTree.UnspelledBoundaries"/>), the ids of short parts remembered per thread
/// (<see cref="PieceCache.Latin1Parts"/>): a part seen before costs one lookup instead of a search.
/// </summary>
/// <remarks>
/// Why the ids are the same: no merge can join the unit before such a boundary to the unit after it, since the token it
/// made would spell the two side by side, so BPE of the word is BPE of each part, one after another. Binary BPE leaves
/// such a boundary every eight to ten bytes of an executable (108-130 K parts in the first megabyte of gdb, perl and
/// git), and executables repeat many of their parts: within that first megabyte, 35 % of gdb's bytes lie in a part
/// seen earlier in it, 13 % of perl's and git's. A file encoded again finds its parts, as text finds its words in the
/// piece cache.
/// </remarks>
internal static class SegmentedSearch
{
    /// <summary>
    /// Encodes <paramref name="word"/> into <paramref name="output"/> (at least one slot per unit) as
    /// <see cref="BacktrackingEncoder.Encode"/> does, a part at a time; -1 where that returns -1 for a part.
    /// </summary>
    public static int Encode<TRanks>(MergeTree tree, PieceCache cache, ref TRanks ranks, ReadOnlySpan<byte> word, Span<int> output)
        where TRanks : struct, IPairRanks
    {
        PartCache parts = cache.Latin1Parts;
        Span<ulong> marks = stackalloc ulong[(MergeResultCache.LongKeyLength >> 6) + 1]; // dead-end marks of the parts that are kept
        var boundaries = new Boundaries(tree, word);
        int count = 0, start = 0;
        int end = boundaries.Next(1);

        // A short part's key and bucket, computed once: for the first part here, for each next one while the part before
        // it is looked up or searched (its lines asked for then, so that they arrive meanwhile).
        (Vector256<byte> key, nint bucket) = ShortPartKey(word, start, end);
        while (start < word.Length)
        {
            int nextEnd = end < word.Length ? boundaries.Next(end + 1) : end;
            (Vector256<byte> nextKey, nint nextBucket) = ShortPartKey(word, end, nextEnd);
            if (nextBucket >= 0)
            {
                parts.Prefetch(nextBucket);
            }

            int length = end - start;
            Span<int> room = output[count..];
            int found;
            if (bucket >= 0)
            {
                ref PartCache.Entry entry = ref parts.Find(bucket, key, length, out bool known);
                found = known ? PartCache.CopyIds(ref entry, room) : 0;
                if (found == 0)
                {
                    found = BacktrackingEncoder.EncodeWithMarks(tree, cache, ref ranks, word.Slice(start, length), room, marks);
                    if (found > 0)
                    {
                        PartCache.Remember(ref entry, key, length, room[..found]);
                    }
                }
            }
            else if (length <= MergeResultCache.LongKeyLength)
            {
                ReadOnlySpan<byte> part = word.Slice(start, length);
                ulong hash = PieceCache.HashOf(part);
                found = cache.Latin1LongParts.TryGet(part, hash, room);
                if (found == 0)
                {
                    found = BacktrackingEncoder.EncodeWithMarks(tree, cache, ref ranks, part, room, marks);
                    if (found > 0)
                    {
                        cache.Latin1LongParts.Add(part, hash, room[..found]);
                    }
                }
            }
            else
            {
                found = BacktrackingEncoder.Encode(tree, cache, ref ranks, word.Slice(start, length), room);
            }

            if (found <= 0)
            {
                return -1; // a unit that is no token (a part is never empty)
            }

            count += found;
            (start, end) = (end, nextEnd);
            (key, bucket) = (nextKey, nextBucket);
        }

        return count;
    }

    /// <summary>
    /// The key and bucket of the part from <paramref name="start"/> to <paramref name="end"/> of <paramref name="word"/>,
    /// or a bucket of -1 for a part the <see cref="PartCache"/> does not keep (empty, or longer than
    /// <see cref="PartCache.MaxLength"/>).
    /// </summary>
    private static (Vector256<byte> Key, nint Bucket) ShortPartKey(ReadOnlySpan<byte> word, int start, int end)
    {
        int length = end - start;
        if (length is <= 0 or > PartCache.MaxLength)
        {
            return (default, -1);
        }

        Vector256<byte> key = PartCache.KeyOf(word, start, length);
        return (key, PartCache.BucketOf(key, length));
    }

    /// <summary>The boundaries of a word that parts end at, read 64 at a time (<see cref="MergeTree.UnspelledBoundaries"/>).</summary>
    private ref struct Boundaries
    {
        private readonly MergeTree _tree;
        private readonly ReadOnlySpan<byte> _word;
        private int _blockStart;
        private ulong _block;

        public Boundaries(MergeTree tree, ReadOnlySpan<byte> word)
        {
            _tree = tree;
            _word = word;
            _blockStart = -64;
        }

        /// <summary>The first boundary at or after <paramref name="from"/> (at least 1), or the word's length.</summary>
        public int Next(int from)
        {
            while (from < _word.Length)
            {
                int blockStart = from & ~63;
                if (blockStart != _blockStart)
                {
                    _block = _tree.UnspelledBoundaries(_word, blockStart);
                    _blockStart = blockStart;
                }

                ulong ahead = _block >> (from & 63);
                if (ahead != 0)
                {
                    return Math.Min(from + System.Numerics.BitOperations.TrailingZeroCount(ahead), _word.Length);
                }

                from = blockStart + 64;
            }

            return _word.Length;
        }
    }
}
