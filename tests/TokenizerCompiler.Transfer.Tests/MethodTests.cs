using System;
using System.Collections.Generic;
using System.Linq;
using TokenizerCompiler.Transfer;
using Xunit;

namespace TokenizerCompiler.Transfer.Tests;

/// <summary>Each method on r50k_base -> cl100k_base (a subset of target ids) against the naive reference.</summary>
public sealed class MethodTests
{
    private const int Dimensions = 24;
    private static readonly Lazy<EmbeddingMatrix> s_source = new(() => TransferTestData.RandomMatrix(TransferTestData.Source.VocabularySize, Dimensions, seed: 11));

    private static EmbeddingMatrix Source => s_source.Value;

    private static TokenDecomposition Decomposition => DecompositionTests.Decomposition;

    [Fact]
    public void Copied_and_special_rows_are_the_source_rows()
    {
        TransferResult result = EmbeddingTransfer.Transfer(Source, Decomposition, new TransferOptions { Method = TransferMethod.Fvt });
        for (int row = 0; row < Decomposition.Count; row++)
        {
            if (Decomposition.GetKind(row) is TokenEstimateKind.Copied or TokenEstimateKind.Special)
            {
                Assert.True(result.Embeddings.GetRow(row).SequenceEqual(Source.GetRow(Decomposition.GetPieces(row)[0])));
            }
        }

        Assert.Equal(Decomposition.Count, result.Copied + result.Special + result.Estimated + result.Fallback);
        Assert.Equal(1, result.Special);
        Assert.Equal(3, result.Fallback);
    }

    [Fact]
    public void Fvt_is_the_mean_of_the_pieces()
    {
        TransferResult result = EmbeddingTransfer.Transfer(Source, Decomposition, new TransferOptions { Method = TransferMethod.Fvt });
        foreach (int row in Rows(TokenEstimateKind.Estimated))
        {
            double[] expected = NaiveTransfer.Mean(Source, Decomposition.GetPieces(row).ToArray());
            TransferAssert.RowEqual(expected, result.Embeddings.GetRow(row), 1e-5, $"row {row}");
        }
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(0.0f)]
    public void Hybrid_matches_the_reference(float threshold)
    {
        // Threshold 0 lets about half the global neighbours through on random vectors, so both paths are exercised.
        var options = new TransferOptions { Method = TransferMethod.Hybrid, HybridSimilarityThreshold = threshold };
        TransferResult result = EmbeddingTransfer.Transfer(Source, Decomposition, options);
        int[] rows = Rows(TokenEstimateKind.Estimated).Take(60).ToArray();
        int withGlobal = 0;
        foreach (int row in rows)
        {
            int[] pieces = Decomposition.GetPieces(row).ToArray();
            double[] expected = NaiveTransfer.Hybrid(Source, pieces, Decomposition.GetPieceLengths(row).ToArray(), 0.3, 0.3, 3, threshold);
            double[] local = NaiveTransfer.Hybrid(Source, pieces, Decomposition.GetPieceLengths(row).ToArray(), 0.3, 0.3, 3, double.PositiveInfinity);
            withGlobal += expected.SequenceEqual(local) ? 0 : 1;
            TransferAssert.RowEqual(expected, result.Embeddings.GetRow(row), 1e-4, $"row {row}");
        }

        // The FVT estimate is close to its own pieces, so with threshold 0 the global part must have entered often.
        if (threshold == 0)
        {
            Assert.True(withGlobal > rows.Length / 2, $"only {withGlobal} of {rows.Length} rows had a global part");
        }
    }

    [Fact]
    public void Focus_matches_the_reference()
    {
        TransferResult result = EmbeddingTransfer.Transfer(Source, Decomposition, new TransferOptions { Method = TransferMethod.Focus });
        var shared = new HashSet<int>(Rows(TokenEstimateKind.Copied).Select(r => Decomposition.GetPieces(r)[0]));
        foreach (int row in Rows(TokenEstimateKind.Estimated).Take(60))
        {
            double[] expected = NaiveTransfer.Focus(Source, Decomposition.GetPieces(row).ToArray(), shared, 10);
            TransferAssert.RowEqual(expected, result.Embeddings.GetRow(row), 1e-4, $"row {row}");
        }
    }

    [Fact]
    public void Fallback_rows_are_seeded_and_follow_the_source_distribution()
    {
        var decomposition = new TokenDecomposition();
        for (int i = 0; i < 4000; i++)
        {
            decomposition.AddFallback();
        }

        EmbeddingMatrix shifted = TransferTestData.RandomMatrix(5000, 8, seed: 3);
        Span<float> values = shifted.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (values[i] * 0.02f) + ((i % 8) * 0.1f);
        }

        TransferResult first = EmbeddingTransfer.Transfer(shifted, decomposition, new TransferOptions { Seed = 5 });
        TransferResult again = EmbeddingTransfer.Transfer(shifted, decomposition, new TransferOptions { Seed = 5 });
        TransferResult other = EmbeddingTransfer.Transfer(shifted, decomposition, new TransferOptions { Seed = 6 });
        Assert.True(first.Embeddings.AsSpan().SequenceEqual(again.Embeddings.AsSpan()));
        Assert.False(first.Embeddings.AsSpan().SequenceEqual(other.Embeddings.AsSpan()));
        for (int c = 0; c < 8; c++)
        {
            double[] column = Enumerable.Range(0, 4000).Select(r => (double)first.Embeddings.GetRow(r)[c]).ToArray();
            double mean = column.Average();
            double deviation = Math.Sqrt(column.Average(v => (v - mean) * (v - mean)));
            Assert.InRange(mean, (c * 0.1) - 0.002, (c * 0.1) + 0.002);
            Assert.InRange(deviation, 0.018, 0.022);
        }
    }

    [Fact]
    public void Transfer_from_tokenizers_equals_transfer_from_their_decomposition()
    {
        int[] ids = TransferTestData.TargetSubset.Take(300).ToArray();
        var options = new TransferOptions { Method = TransferMethod.Fvt, Seed = 1 };
        TransferResult direct = EmbeddingTransfer.Transfer(TransferTestData.Source, Source, TransferTestData.Target, options, ids);
        TransferResult viaDecomposition = EmbeddingTransfer.Transfer(Source, TokenDecomposition.Create(TransferTestData.Source, TransferTestData.Target, ids), options);
        Assert.True(direct.Embeddings.AsSpan().SequenceEqual(viaDecomposition.Embeddings.AsSpan()));
        Assert.Throws<ArgumentException>(() => EmbeddingTransfer.Transfer(TransferTestData.Source, new EmbeddingMatrix(10, 4), TransferTestData.Target));
    }

    [Fact]
    public void Out_of_range_options_are_refused()
    {
        var decomposition = new TokenDecomposition();
        decomposition.AddEstimated([1, 2], [1, 1]);
        EmbeddingMatrix source = TransferTestData.RandomMatrix(4, 3, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingTransfer.Transfer(source, decomposition, new TransferOptions { HybridTemperature = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingTransfer.Transfer(source, decomposition, new TransferOptions { HybridGlobalWeight = 1.5f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingTransfer.Transfer(source, decomposition, new TransferOptions { FocusNeighbours = 0 }));
        var outside = new TokenDecomposition();
        outside.AddEstimated([1, 9], [1, 1]);
        Assert.Throws<ArgumentException>(() => EmbeddingTransfer.Transfer(source, outside));
    }

    [Fact]
    public void Sparsemax_matches_the_bisection_reference_and_sums_to_one()
    {
        var random = new Random(9);
        for (int trial = 0; trial < 200; trial++)
        {
            float[] z = Enumerable.Range(0, 1 + random.Next(12)).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
            float[] p = new float[z.Length];
            Sparsemax.Compute(z, p);
            double[] expected = NaiveTransfer.Sparsemax(z.Select(v => (double)v).ToArray());
            TransferAssert.RowEqual(expected, p, 1e-5, $"trial {trial}");
            Assert.InRange(p.Sum(), 0.9999f, 1.0001f);
        }
    }

    private static IEnumerable<int> Rows(TokenEstimateKind kind) =>
        Enumerable.Range(0, Decomposition.Count).Where(r => Decomposition.GetKind(r) == kind);
}
