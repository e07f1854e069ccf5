using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TokenizerCompiler.HuggingFace;
using TokenizerCompiler.Internal;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The merge of pieces up to sixteen bytes (<see cref="BytePairMerger.MergeSmall"/>: parts linked by position, the
/// lowest rank found over a fixed row, as vectors or by a loop) against the heap merge loop, on the pieces of real
/// text, on pieces made of few byte values (where equal ranks must go to the leftmost pair) and on random bytes.
/// </summary>
[Collection(nameof(RankRow.Vectorized))]
public class SmallPieceMergeTests
{
    [Theory]
    [InlineData("o200k_base", true)]
    [InlineData("o200k_base", false)]
    [InlineData("cl100k_base", true)]
    [InlineData("cl100k_base", false)]
    public void SmallPiecesMergeAsTheMergeLoopDoes(string encoding, bool vectorized)
    {
        TokenizerTables tables = TestData.Tiktoken(encoding).Tables;
        int multiToken = CountOverPieces(vectorized, piece =>
        {
            var cache = PieceCache.For(tables);
            int[] small = new int[piece.Length];
            int[] loop = new int[piece.Length];
            int count = BytePairMerger.MergeSmall(cache, piece, small);
            int expected = BytePairMerger.MergeByLoop(cache, piece, loop);
            AssertSameIds(piece, loop.AsSpan(0, expected), small.AsSpan(0, count));
            return expected > 1;
        });

        Assert.True(multiToken > 10_000, $"{multiToken} pieces of more than one token");
    }

    [Theory]
    [InlineData("llama3", true)]
    [InlineData("llama3", false)]
    [InlineData("qwen3", true)]
    [InlineData("gemma3", true)]
    [InlineData("gemma3", false)]
    [InlineData("kl3m-003-64k", true)]
    [InlineData("kl3m-004-char-4k-cased", true)]
    public void MergeListModelsMergeShortWordsAsTheShiftingLoopDoes(string vocabulary, bool vectorized)
    {
        // The merge-list model's loop for up to sixteen symbols (parts linked by position) against its loop that moves
        // the parts after each merge, from the same symbols (bytes, or characters with byte fallback).
        TokenizerTables tables = HuggingFaceVocabularies.Get(vocabulary).Tables;
        var model = new MergeListModel(tables, tables.Pipeline!.Model);
        int compared = CountOverPieces(vectorized, piece =>
        {
            var cache = PieceCache.For(tables);
            int[] linked = new int[piece.Length + 1];
            int count = model.Symbols(cache, piece, linked);
            if (count is < 1 or > RankRow.Width || linked.AsSpan(0, count).Contains(-1))
            {
                return false; // more symbols than a row, or a byte the vocabulary has no symbol for
            }

            int[] shifting = linked.ToArray();
            int merged = MergeListModel.MergeSmall(cache, linked, count);
            int expected = MergeListModel.MergeShifting(cache, shifting, count);
            AssertSameIds(piece, shifting.AsSpan(0, expected), linked.AsSpan(0, merged));
            return true;
        });

        Assert.True(compared > 10_000, $"{compared} words compared");
    }

    /// <summary>Runs <paramref name="check"/> on every piece with the rank row's vectors on or off, and counts the pieces it returned true for.</summary>
    private static int CountOverPieces(bool vectorized, Func<byte[], bool> check)
    {
        bool saved = RankRow.Vectorized;
        RankRow.Vectorized = vectorized;
        try
        {
            return Pieces().Count(check);
        }
        finally
        {
            RankRow.Vectorized = saved;
        }
    }

    private static void AssertSameIds(byte[] piece, ReadOnlySpan<int> expected, ReadOnlySpan<int> actual) =>
        Assert.True(expected.SequenceEqual(actual), $"{Convert.ToHexString(piece)}: [{string.Join(", ", actual.ToArray())}] against [{string.Join(", ", expected.ToArray())}]");

    /// <summary>Pieces of one to sixteen bytes: words of the corpus, runs and alternations of few byte values, random bytes.</summary>
    private static IEnumerable<byte[]> Pieces()
    {
        foreach (string file in EngineTestSupport.AllCorpusFiles)
        {
            foreach (string word in EngineTestSupport.Corpus(file).Split(' ', '\n', '\t').Distinct())
            {
                byte[] bytes = Encoding.UTF8.GetBytes(" " + word);
                if (bytes.Length <= BytePairMerger.SmallPieceLimit)
                {
                    yield return bytes;
                }
            }
        }

        var random = new Random(20261207);
        byte[][] alphabets = ["a"u8.ToArray(), "ab"u8.ToArray(), " a"u8.ToArray(), "01"u8.ToArray(), "=-"u8.ToArray(), "aeiou st"u8.ToArray()];
        for (int sample = 0; sample < 20_000; sample++)
        {
            byte[] piece = new byte[random.Next(1, BytePairMerger.SmallPieceLimit + 1)];
            if (sample % 3 == 2)
            {
                random.NextBytes(piece);
            }
            else
            {
                byte[] alphabet = alphabets[sample % alphabets.Length];
                for (int i = 0; i < piece.Length; i++)
                {
                    piece[i] = alphabet[random.Next(alphabet.Length)];
                }
            }

            yield return piece;
        }
    }
}
