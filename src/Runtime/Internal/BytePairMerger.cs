using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace TokenizerCompiler.Internal;

/// <summary>
/// tiktoken's byte-pair merge: start from single bytes and repeatedly merge the adjacent pair whose
/// concatenation has the lowest rank (the leftmost one on ties) until no pair is a token. Short pieces use
/// arrays on the stack (quadratic in the piece, but pieces are short); long pieces use a binary heap over a
/// linked list of parts with lazy invalidation, O(n log n), so one huge piece (a megabyte of one letter) stays fast.
/// </summary>
internal static class BytePairMerger
{
    /// <summary>Pieces up to this length merge with the simple array algorithm (quadratic, but cheapest when short).</summary>
    public const int SmallPieceLimit = 16;

    /// <summary>Longer pieces up to this length keep the heap and the part links on the stack.</summary>
    private const int StackHeapLimit = 256;

    /// <summary>Encodes one piece into <paramref name="output"/> (at least as long as the piece) and returns the token count.</summary>
    public static int Encode(TokenizerTables tables, ReadOnlySpan<byte> piece, Span<int> output) =>
        Encode(PieceCache.For(tables), piece, output);

    /// <summary>Encodes one piece with this thread's caches (looked up once per call by the encode loop).</summary>
    public static int Encode(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        if (piece.Length <= PieceCache.HotKeyLength)
        {
            // Most pieces of real text: a token (one id), or a short word whose merge result is remembered.
            int known = cache.EncodeHot(piece, output);
            if (known > 0)
            {
                return known;
            }

            int count = MergeCached(cache, piece, output);
            cache.RememberMerge(piece, output[..count]);
            return count;
        }

        int whole = cache.Tables.Lookup(piece);
        if (whole >= 0)
        {
            output[0] = whole;
            return 1;
        }

        return piece.Length <= PieceCache.MaxKeyLength ? MergeCached(cache, piece, output) : MergeLarge(cache, piece, output);
    }

    /// <summary>Merges a piece that is not a token, through the merge-result tier of the cache.</summary>
    private static int MergeCached(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        ulong hash = PieceCache.HashOf(piece);
        int cached = cache.TryGet(piece, hash, output);
        if (cached > 0)
        {
            return cached;
        }

        int count = piece.Length <= SmallPieceLimit ? MergeSmall(cache, piece, output) : MergeLarge(cache, piece, output);
        cache.Add(piece, hash, output[..count]);
        return count;
    }

    /// <summary>
    /// Merges a short piece (up to <see cref="SmallPieceLimit"/> bytes) from its bytes' tokens, parts linked by position
    /// (<see cref="LinkedMerge"/>). Parts carry their token ids, so a candidate merge is looked up by its two ids in the
    /// cache's pair table (one load on a hit) rather than by hashing the bytes again.
    /// </summary>
    internal static int MergeSmall(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        for (int i = 0; i < piece.Length; i++)
        {
            output[i] = cache.ByteTokenId(piece[i]);
        }

        var rules = new RankedRules(cache, piece);
        return LinkedMerge.Merge(ref rules, output, piece.Length);
    }

    /// <summary>
    /// The heap algorithm for long pieces: O(n log n). Each part's token id is kept at its start, so candidate
    /// merges are looked up by id pair, as in <see cref="MergeSmall"/>.
    /// </summary>
    private static int MergeLarge(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        if (cache.Tables.MergeTreeFor(piece.Length) is { } tree && tree.Covers(piece))
        {
            var ranks = new Backtracking.TiktokenPairRanks(cache);
            int found = Backtracking.BacktrackingEncoder.Encode(tree, cache, ref ranks, piece, output);
            if (found >= 0)
            {
                return found;
            }
        }

        return MergeByLoop(cache, piece, output);
    }

    /// <summary>The merge loop itself (heap or sweep), for vocabularies without a merge tree and as the tests' reference.</summary>
    internal static int MergeByLoop(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        int n = piece.Length;
        int capacity = MergeHeap.CapacityFor(n);
        if (n <= StackHeapLimit)
        {
            return MergeWithHeap(cache, piece, output, stackalloc int[n * 2], new MergeHeap(stackalloc long[capacity], stackalloc int[capacity]));
        }

        // Long pieces (a megabyte of one letter, text without spaces): the sweep keeps memory access streaming.
        Span<int> ids = output[..n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = cache.ByteTokenId(piece[i]);
        }

        var rules = new RankedRules(cache, piece);
        return SweepMerger.Merge(ref rules, ids);
    }

    private static int MergeWithHeap(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output, Span<int> links, MergeHeap heap)
    {
        int n = piece.Length;
        Span<int> end = links[..n];           // end of the part starting at i, or -1 if no part starts at i
        Span<int> previous = links.Slice(n, n); // start of the part before the part starting at i
        Span<int> id = output[..n];             // token id of the part starting at i
        TokenizerTables tables = cache.Tables;
        for (int i = 0; i < n; i++)
        {
            end[i] = i + 1;
            previous[i] = i - 1;
            id[i] = cache.ByteTokenId(piece[i]);
        }

        for (int i = 0; i < n - 1; i++)
        {
            int rank = PairRank(tables, piece[i], piece[i + 1]);
            if (rank != int.MaxValue)
            {
                heap.Push(rank, i, i + 2);
            }
        }

        while (heap.TryPop(out int rank, out int left, out int rightEnd))
        {
            int right = end[left];
            if (right < 0 || right >= n || end[right] != rightEnd)
            {
                continue; // stale: one of the two parts has changed since this pair was pushed
            }

            end[left] = rightEnd;
            end[right] = -1;
            id[left] = rank;
            if (rightEnd < n)
            {
                previous[rightEnd] = left;
                int next = MergedRank(cache, rank, id[rightEnd], piece[left..end[rightEnd]]);
                if (next != int.MaxValue)
                {
                    heap.Push(next, left, end[rightEnd]);
                }
            }

            if (left > 0)
            {
                int before = previous[left];
                int prior = MergedRank(cache, id[before], rank, piece[before..rightEnd]);
                if (prior != int.MaxValue)
                {
                    heap.Push(prior, before, rightEnd);
                }
            }
        }

        // Compact the ids of the surviving parts (each sits at its start, never after the previous one's slot).
        int count = 0;
        for (int start = 0; start < n; start = end[start])
        {
            output[count++] = id[start];
        }

        return count;
    }

    private static int PairRank(TokenizerTables tables, byte first, byte second)
    {
        int id = tables.LookupPair(first, second);
        return id >= 0 ? id : int.MaxValue;
    }

    /// <summary>The rank (id) of the token that parts <paramref name="left"/> and <paramref name="right"/> (spelling <paramref name="bytes"/>) merge into.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MergedRank(PieceCache cache, int left, int right, ReadOnlySpan<byte> bytes)
    {
        int id = cache.PairToken(left, right, bytes);
        return id >= 0 ? id : int.MaxValue;
    }

    /// <summary>tiktoken's rule: two parts merge when their bytes together are a token, and that token's id is the rank.</summary>
    private readonly ref struct RankedRules(PieceCache cache, ReadOnlySpan<byte> piece) : IMergeRules
    {
        private readonly ReadOnlySpan<byte> _piece = piece;

        public int Merge(int left, int right, int start, int end, out int rank)
        {
            // Two single bytes: the tables' direct table of byte pairs, no hashing.
            int id = end - start == 2 ? cache.Tables.LookupPair(_piece[start], _piece[start + 1]) : cache.PairToken(left, right, _piece[start..end]);
            rank = id;
            return id;
        }
    }
}
