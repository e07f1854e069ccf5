using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TokenizerCompiler.Internal;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The merge of pieces up to sixteen bytes (<see cref="BytePairMerger.MergeSmall"/>: parts linked by position, the
/// lowest rank found over a fixed row, as vectors or by a loop) against the heap merge loop, on the pieces of real
/// text, on pieces made of few byte values (where equal ranks must go to the leftmost pair) and on random bytes.
/// </summary>
[Collection(nameof(BytePairMerger.VectorizedMinimum))]
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
        bool saved = BytePairMerger.VectorizedMinimum;
        BytePairMerger.VectorizedMinimum = vectorized;
        try
        {
            int multiToken = 0;
            foreach (byte[] piece in Pieces())
            {
                var cache = PieceCache.For(tables);
                int[] small = new int[piece.Length];
                int[] loop = new int[piece.Length];
                int count = BytePairMerger.MergeSmall(cache, piece, small);
                int expected = BytePairMerger.MergeByLoop(cache, piece, loop);
                Assert.True(
                    loop.AsSpan(0, expected).SequenceEqual(small.AsSpan(0, count)),
                    $"{Convert.ToHexString(piece)}: [{string.Join(", ", small.Take(count))}] against [{string.Join(", ", loop.Take(expected))}]");
                multiToken += expected > 1 ? 1 : 0;
            }

            Assert.True(multiToken > 10_000, $"{multiToken} pieces of more than one token");
        }
        finally
        {
            BytePairMerger.VectorizedMinimum = saved;
        }
    }

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
