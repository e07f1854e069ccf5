using System;
using System.Collections.Generic;
using System.Linq;
using TokenizerCompiler.Internal;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The merge-result tier keeps pieces up to <see cref="PieceCache.MaxKeyLength"/> bytes, and pieces over
/// <see cref="MergeResultCache.LongKeyLength"/> only in free room while it can still grow: long pieces seen once (lines
/// of minified code) must not make it empty itself, sooner or at all, and lose the short words that recur.
/// </summary>
public class MergeResultCacheTests
{
    [Fact]
    public void LongPiecesAreKeptWhileThereIsRoom()
    {
        var cache = new MergeResultCache();
        byte[] piece = Piece(1, 3000);
        cache.Add(piece, PieceCache.HashOf(piece), new[] { 7, 8, 9 });

        var output = new int[piece.Length];
        Assert.Equal(3, cache.TryGet(piece, PieceCache.HashOf(piece), output));
        Assert.Equal(new[] { 7, 8, 9 }, output[..3]);
    }

    [Fact]
    public void LongPiecesNeverEmptyTheTable()
    {
        var cache = new MergeResultCache();
        byte[] word = "recurring"u8.ToArray();
        cache.Add(word, PieceCache.HashOf(word), new[] { 1, 2 });

        // 4,000 long pieces of 300 bytes are more than the largest key arena holds (1 MB): added like short pieces,
        // they would grow the table to its limit and then empty it.
        for (int i = 0; i < 4000; i++)
        {
            byte[] piece = Piece(i, 300);
            cache.Add(piece, PieceCache.HashOf(piece), new[] { i });
        }

        var output = new int[16];
        Assert.Equal(2, cache.TryGet(word, PieceCache.HashOf(word), output));
        Assert.Equal(new[] { 1, 2 }, output[..2]);

        byte[] first = Piece(0, 300);
        Assert.Equal(1, cache.TryGet(first, PieceCache.HashOf(first), output)); // added while there was room
        Assert.Equal(0, output[0]);
    }

    [Fact]
    public void AtItsLargestTheTableTakesNoLongPieces()
    {
        var cache = new MergeResultCache();

        // Short pieces until the table has grown to its largest (64 K slots, grown at half full: 16,385 entries).
        for (int i = 0; i < 20_000; i++)
        {
            byte[] word = Piece(i, 12);
            cache.Add(word, PieceCache.HashOf(word), new[] { i });
        }

        byte[] piece = Piece(-1, 300);
        cache.Add(piece, PieceCache.HashOf(piece), new[] { 5 });
        Assert.Equal(0, cache.TryGet(piece, PieceCache.HashOf(piece), new int[300]));

        byte[] recent = Piece(19_999, 12);
        Assert.Equal(1, cache.TryGet(recent, PieceCache.HashOf(recent), new int[12])); // the short pieces are still there
    }

    [Fact]
    public void EveryKeyLengthAndIdCountComesBackExactlyThroughGrowing()
    {
        // Keys of every length from 1 to 43 bytes (the arena rounds them up to whole words) and 1 to 9 ids, enough
        // entries to grow the table twice; a key that differs from one added only in its last byte is not found.
        var cache = new MergeResultCache();
        var added = new List<(byte[] Piece, int[] Ids)>();
        for (int b = 0; b < 256; b++)
        {
            added.Add(([(byte)b], [b, b + 1]));
            added.Add(([(byte)b, (byte)(b ^ 0x55)], [b, b + 2, b + 3]));
            added.Add(([(byte)b, 7, (byte)b], [b + 4]));
        }

        for (int i = 0; i < 12_000; i++)
        {
            added.Add((Piece(i, 4 + (i % 40)), Enumerable.Range(i, 1 + (i % 9)).ToArray())); // unique: the seed leads
        }

        foreach ((byte[] piece, int[] ids) in added)
        {
            cache.Add(piece, PieceCache.HashOf(piece), ids);
        }

        foreach ((byte[] piece, int[] ids) in added)
        {
            Assert.True(cache.TryView(piece, PieceCache.HashOf(piece), out ReadOnlySpan<int> view));
            Assert.Equal(ids, view.ToArray());
            if (piece.Length >= 4)
            {
                byte[] other = (byte[])piece.Clone();
                other[^1] ^= 0x80;
                Assert.False(cache.TryView(other, PieceCache.HashOf(other), out _));
            }
        }
    }

    /// <summary>A piece of <paramref name="length"/> bytes that differs for every <paramref name="seed"/>.</summary>
    private static byte[] Piece(int seed, int length)
    {
        var piece = new byte[length];
        new Random(seed).NextBytes(piece);
        BitConverter.TryWriteBytes(piece, seed);
        return piece;
    }
}
