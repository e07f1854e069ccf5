using System;
using System.Linq;
using TokenizerCompiler.Internal;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The filter of a merge-list vocabulary's merges lets every listed merge through (the merge loops and the search
/// skip the merge table for pairs it turns down) and turns down most pairs that never merge.
/// </summary>
public class MergePairFilterTests
{
    [Theory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    [InlineData("gemma3")]
    [InlineData("kl3m-003-64k")]
    [InlineData("binary-bpe-32k-it4")]
    public void CachedMergeLookupsAgreeWithTheMergeTable(string vocabulary)
    {
        TokenizerTables tables = HuggingFaceVocabularies.Get(vocabulary).Tables;
        MergePairFilter filter = Assert.IsType<MergePairFilter>(tables.WaitForMergePairs());
        var merges = tables.MergeList();
        Assert.All(merges, merge => Assert.True(filter.MayMerge(merge.Left, merge.Right), $"({merge.Left}, {merge.Right}) turned down"));

        // The thread's cache, with the filter in place, against the table itself: every merge, and random pairs.
        var cache = PieceCache.For(tables);
        var random = new Random(20261207);
        int passed = 0, pairs = 0;
        foreach (var (left, right) in merges.Select(m => (m.Left, m.Right))
            .Concat(Enumerable.Range(0, 200_000).Select(_ => (random.Next(tables.VocabularySize), random.Next(tables.VocabularySize)))))
        {
            int expected = tables.LookupMerge(left, right, out int expectedRank);
            int found = cache.LookupMerge(left, right, out int rank);
            Assert.True(found == expected && rank == expectedRank, $"({left}, {right}): {found}/{rank} against {expected}/{expectedRank}");
            if (expected < 0)
            {
                pairs++;
                passed += filter.MayMerge(left, right) ? 1 : 0;
            }
        }

        Assert.True(passed < pairs / 20, $"{passed} of {pairs} pairs that never merge let through");
    }

    [Fact]
    public void TiktokenVocabulariesHaveNoMergeFilter()
    {
        Assert.Null(TestData.Tiktoken("o200k_base").Tables.WaitForMergePairs());
    }
}
