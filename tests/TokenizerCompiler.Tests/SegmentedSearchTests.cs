using System;
using System.IO;
using System.Linq;
using TokenizerCompiler.HuggingFace;
using TokenizerCompiler.Internal;
using TokenizerCompiler.Internal.Backtracking;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Binary BPE's whole files are searched a part at a time, between boundaries no token spans, with the parts' ids
/// remembered per thread: the ids must be the whole-word search's, on the first call and on every later one.
/// </summary>
public class SegmentedSearchTests
{
    private const string Vocabulary = "binary-bpe-32k-it4";

    [Fact]
    public void PartsGiveTheWholeWordSearchsIdsOnExecutablesAgainAndAgain()
    {
        foreach (string file in Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries"), "*.bin").Order(StringComparer.Ordinal))
        {
            byte[] bytes = File.ReadAllBytes(file);
            int[] expected = WholeWordSearch(bytes);
            for (int round = 0; round < 3; round++)
            {
                Assert.Equal(expected, Segmented(bytes)); // the first round fills the part caches, the others read them
            }
        }
    }

    [Fact]
    public void PartsGiveTheWholeWordSearchsIdsOnRandomBytesAndRuns()
    {
        var random = new Random(20261208);
        for (int round = 0; round < 40; round++)
        {
            // Runs of one value (parts over 32 and over 256 bytes), random bytes, and both near the end of the word,
            // where a part's key is copied rather than loaded.
            int length = random.Next(1, 3000);
            byte[] bytes = new byte[length];
            random.NextBytes(bytes);
            int runStart = random.Next(length), runLength = random.Next(1, 400);
            bytes.AsSpan(runStart, Math.Min(runLength, length - runStart)).Fill((byte)random.Next(4));
            int[] expected = WholeWordSearch(bytes);
            Assert.Equal(expected, Segmented(bytes));
            Assert.Equal(expected, Segmented(bytes));
        }
    }

    [Fact]
    public void PartsEvictedByManyOthersAreSearchedAgain()
    {
        // Far more distinct parts than the cache holds (2^18), then the first input again: what was evicted is
        // searched, what stayed is read, and the ids are the same.
        byte[] first = File.ReadAllBytes(Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries"), "*.bin").Order(StringComparer.Ordinal).First());
        int[] expected = Segmented(first);
        var random = new Random(7);
        byte[] noise = new byte[4 << 20];
        random.NextBytes(noise);
        Assert.Equal(WholeWordSearch(noise), Segmented(noise));
        Assert.Equal(expected, Segmented(first));
        Assert.Equal(expected, WholeWordSearch(first));
    }

    [Fact]
    public void EncodeBinaryReturnsTheSameIdsOnItsSecondCall()
    {
        Tokenizer tokenizer = Tokenizer.FromVocabularyFile(Path.Combine(TestData.SharedVocabularies, Vocabulary, "tokenizer.json"));
        Assert.NotNull(tokenizer.Tables.WaitForMergeTree());
        byte[] bytes = Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries"), "*.bin").Order(StringComparer.Ordinal).SelectMany(File.ReadAllBytes).ToArray();
        int[] first = new int[bytes.Length], second = new int[bytes.Length];
        tokenizer.EncodeBinary(bytes, first, out _, out int firstCount);
        tokenizer.EncodeBinary(bytes, second, out _, out int secondCount);
        Assert.Equal(first.AsSpan(0, firstCount).ToArray(), second.AsSpan(0, secondCount).ToArray());
        Assert.Equal(WholeWordSearch(bytes), first.AsSpan(0, firstCount).ToArray());
    }

    [Fact]
    public void BoundaryBitsAreThePairsNoTokenSpells()
    {
        MergeTree tree = Tree();
        var random = new Random(3);
        foreach (int length in new[] { 1, 2, 63, 64, 65, 127, 128, 129, 1000 })
        {
            byte[] bytes = new byte[length];
            random.NextBytes(bytes);
            bytes.AsSpan(0, length / 3).Fill(0); // runs, which tokens spell
            for (int start = 0; start < length; start += 64)
            {
                ulong bits = tree.UnspelledBoundaries(bytes, start);
                for (int i = 0; i < 64; i++)
                {
                    int at = start + i;
                    bool expected = at >= length || (at > 0 && !tree.IsSpelledBySomeToken(bytes[at - 1], bytes[at]));
                    Assert.True(expected == ((bits >> i & 1) != 0), $"length {length}, boundary {at}");
                }
            }
        }
    }

    private static MergeTree Tree() =>
        Assert.IsType<MergeTree>(HuggingFaceVocabularies.Get(Vocabulary).Tables.WaitForMergeTree());

    private static int[] WholeWordSearch(byte[] word) => Search(word, segmented: false);

    private static int[] Segmented(byte[] word) => Search(word, segmented: true);

    /// <summary>The word's ids from the search over the whole word, or a part at a time.</summary>
    private static int[] Search(byte[] word, bool segmented)
    {
        TokenizerTables tables = HuggingFaceVocabularies.Get(Vocabulary).Tables;
        var cache = PieceCache.For(tables);
        var ranks = new MergeListPairRanks(cache);
        int[] output = new int[word.Length];
        int count = segmented
            ? SegmentedSearch.Encode(Tree(), cache, ref ranks, word, output)
            : BacktrackingEncoder.Encode(Tree(), cache, ref ranks, word, output);
        Assert.True(count > 0);
        return output[..count];
    }
}
