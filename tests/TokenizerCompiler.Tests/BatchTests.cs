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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(-1)]
    public void EveryDocumentRunsOnceLongestFirstOnOneThread(int degree)
    {
        // 500 documents of random lengths: each index runs exactly once, whatever the number of threads; on one
        // thread (the caller) they run longest first.
        var random = new Random(degree + 10);
        string[] texts = Enumerable.Range(0, 500).Select(_ => new string('x', random.Next(0, 200))).ToArray();
        int[] runs = new int[texts.Length];
        var order = new System.Collections.Concurrent.ConcurrentQueue<int>();
        Internal.LongestFirstBatch.Run(texts, degree, i =>
        {
            System.Threading.Interlocked.Increment(ref runs[i]);
            order.Enqueue(i);
        });
        Assert.All(runs, count => Assert.Equal(1, count));
        if (degree == 1)
        {
            int[] lengths = order.Select(i => texts[i].Length).ToArray();
            Assert.Equal(lengths.OrderByDescending(l => l), lengths);
        }
    }

    [Fact]
    public void AFailureStopsTheBatchAndComesBackInsideAnAggregate()
    {
        // On one thread the longest document runs first; when it fails, no other starts.
        string[] texts = { "short", "the longest document of all", "mid-sized one" };
        int started = 0;
        var error = Assert.Throws<AggregateException>(() => Internal.LongestFirstBatch.Run(texts, 1, i =>
        {
            started++;
            throw new InvalidOperationException(texts[i]);
        }));
        Assert.Equal(1, started);
        Assert.Equal("the longest document of all", Assert.IsType<InvalidOperationException>(Assert.Single(error.InnerExceptions)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Internal.LongestFirstBatch.Run(texts, 0, _ => { }));
    }

    [Fact]
    public void NullDocumentsAndEmptyBatches()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        var error = Assert.Throws<AggregateException>(() => tokenizer.EncodeBatch(new[] { "fine", null!, "also fine" }));
        Assert.IsType<ArgumentNullException>(Assert.Single(error.InnerExceptions));
        Assert.Empty(tokenizer.EncodeBatch(Array.Empty<string>()));
        Assert.Equal(0, tokenizer.CountTokensBatch(Array.Empty<string>(), Span<int>.Empty));
    }
}
