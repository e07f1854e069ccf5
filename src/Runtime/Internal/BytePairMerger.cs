using System;
using System.Buffers;

namespace TokenizerCompiler.Internal;

/// <summary>
/// tiktoken's byte-pair merge: start from single bytes and repeatedly merge the adjacent pair whose
/// concatenation has the lowest rank (the leftmost one on ties) until no pair is a token. Short pieces use
/// arrays on the stack (quadratic in the piece, but pieces are short); long pieces use a binary heap over a
/// linked list of parts with lazy invalidation, O(n log n), so one huge piece (a megabyte of one letter) stays fast.
/// </summary>
internal static class BytePairMerger
{
    /// <summary>Pieces up to this length merge with the simple array algorithm.</summary>
    public const int SmallPieceLimit = 64;

    /// <summary>Encodes one piece into <paramref name="output"/> (at least as long as the piece) and returns the token count.</summary>
    public static int Encode(TokenizerTables tables, ReadOnlySpan<byte> piece, Span<int> output)
    {
        int whole = tables.Lookup(piece);
        if (whole >= 0)
        {
            output[0] = whole;
            return 1;
        }

        if (piece.Length <= PieceCache.MaxKeyLength)
        {
            PieceCache cache = PieceCache.For(tables);
            ulong hash = PieceCache.HashOf(piece);
            int cached = cache.TryGet(piece, hash, output);
            if (cached > 0)
            {
                return cached;
            }

            int count = MergeSmall(tables, piece, output);
            cache.Add(piece, hash, output[..count]);
            return count;
        }

        return piece.Length <= SmallPieceLimit ? MergeSmall(tables, piece, output) : MergeLarge(tables, piece, output);
    }

    private static int MergeSmall(TokenizerTables tables, ReadOnlySpan<byte> piece, Span<int> output)
    {
        int n = piece.Length;
        Span<int> starts = stackalloc int[SmallPieceLimit + 1];
        Span<int> ranks = stackalloc int[SmallPieceLimit];
        for (int i = 0; i < n; i++)
        {
            starts[i] = i;
        }

        starts[n] = n;
        for (int i = 0; i < n - 1; i++)
        {
            ranks[i] = PairRank(tables, piece[i], piece[i + 1]);
        }

        int parts = n;
        while (parts > 1)
        {
            int best = -1;
            int bestRank = int.MaxValue;
            for (int i = 0; i < parts - 1; i++)
            {
                if (ranks[i] < bestRank)
                {
                    bestRank = ranks[i];
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            // Part best absorbs part best + 1.
            starts.Slice(best + 2, parts - best - 1).CopyTo(starts.Slice(best + 1));
            if (best + 1 < parts - 1)
            {
                ranks.Slice(best + 2, parts - best - 2).CopyTo(ranks.Slice(best + 1));
            }

            parts--;
            ranks[best] = best + 1 < parts ? RankOf(tables, piece[starts[best]..starts[best + 2]]) : int.MaxValue;
            if (best > 0)
            {
                ranks[best - 1] = RankOf(tables, piece[starts[best - 1]..starts[best + 1]]);
            }
        }

        for (int i = 0; i < parts; i++)
        {
            output[i] = tables.Lookup(piece[starts[i]..starts[i + 1]]);
        }

        return parts;
    }

    private static int MergeLarge(TokenizerTables tables, ReadOnlySpan<byte> piece, Span<int> output)
    {
        int n = piece.Length;
        int[] endArray = ArrayPool<int>.Shared.Rent(n);
        int[] previousArray = ArrayPool<int>.Shared.Rent(n);
        var heap = new MergeHeap(n);
        try
        {
            Span<int> end = endArray.AsSpan(0, n);      // end of the part starting at i, or -1 if no part starts at i
            Span<int> previous = previousArray.AsSpan(0, n); // start of the part before the part starting at i
            for (int i = 0; i < n; i++)
            {
                end[i] = i + 1;
                previous[i] = i - 1;
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
                if (rightEnd < n)
                {
                    previous[rightEnd] = left;
                    int next = RankOf(tables, piece[left..end[rightEnd]]);
                    if (next != int.MaxValue)
                    {
                        heap.Push(next, left, end[rightEnd]);
                    }
                }

                if (left > 0)
                {
                    int before = previous[left];
                    int prior = RankOf(tables, piece[before..rightEnd]);
                    if (prior != int.MaxValue)
                    {
                        heap.Push(prior, before, rightEnd);
                    }
                }
            }

            int count = 0;
            for (int start = 0; start < n; start = end[start])
            {
                output[count++] = tables.Lookup(piece[start..end[start]]);
            }

            return count;
        }
        finally
        {
            heap.Dispose();
            ArrayPool<int>.Shared.Return(endArray);
            ArrayPool<int>.Shared.Return(previousArray);
        }
    }

    private static int PairRank(TokenizerTables tables, byte first, byte second)
    {
        int id = tables.LookupPair(first, second);
        return id >= 0 ? id : int.MaxValue;
    }

    private static int RankOf(TokenizerTables tables, ReadOnlySpan<byte> bytes)
    {
        int id = tables.Lookup(bytes);
        return id >= 0 ? id : int.MaxValue;
    }
}
