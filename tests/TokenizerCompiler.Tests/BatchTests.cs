using System;
using System.IO;
using System.Linq;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>The parallel batch API gives exactly the sequential results, in order, on the real corpus.</summary>
public class BatchTests
{
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void BatchEqualsSequential(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string[] documents = Directory.GetFiles(TestData.CorpusDirectory, "*.txt").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();

        int[][] batch = tokenizer.EncodeBatch(documents, SpecialTokenPolicy.TreatAsText);
        var counts = new int[documents.Length];
        long total = tokenizer.CountTokensBatch(documents, counts, SpecialTokenPolicy.TreatAsText);

        for (int i = 0; i < documents.Length; i++)
        {
            int[] expected = tokenizer.EncodeToIds(documents[i], SpecialTokenPolicy.TreatAsText);
            Assert.Equal(expected, batch[i]);
            Assert.Equal(expected.Length, counts[i]);
        }

        Assert.Equal(batch.Sum(ids => (long)ids.Length), total);
    }

    [Fact]
    public void BatchPropagatesDisallowedSpecialTokens()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        var error = Assert.Throws<AggregateException>(() => tokenizer.EncodeBatch(new[] { "fine", "not <|endoftext|> fine" }));
        Assert.IsType<DisallowedSpecialTokenException>(Assert.Single(error.InnerExceptions));
    }
}
