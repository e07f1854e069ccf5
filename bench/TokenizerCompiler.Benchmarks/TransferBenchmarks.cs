using System;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using TokenizerCompiler.Transfer;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// Embedding transfer's two bulk operations on a synthetic case, with two references for reading the figures:
/// a parallel copy of the source matrix (the memory bandwidth the machine gives us) and TensorPrimitives.Dot
/// over the same rows the similarity search reads (the arithmetic rate of one SIMD dot product per key).
/// The case is scaled down to 32,768 x 1,024 float32 (128 MiB) from a real model's 128k x 4,096 (2 GiB) so it fits
/// the 2-core, 24 GiB development machine; bytes moved per call (for GB/s) are in each method's comment.
/// Run: <c>dotnet run -c Release --project bench/TokenizerCompiler.Benchmarks -- --filter '*TransferBenchmarks*'</c>.
/// </summary>
[BenchmarkCategory("Transfer")]
public class TransferBenchmarks
{
    private const int SourceRows = 32_768;
    private const int Dimensions = 1_024;
    private const int Queries = 64;
    private const int Neighbours = 3;

    private readonly CpuComputeBackend _backend = new();
    private EmbeddingMatrix _source = null!;
    private EmbeddingMatrix _destination = null!;
    private EmbeddingMatrix _copy = null!;
    private EmbeddingMatrix _queries = null!;
    private int[] _offsets = null!;
    private int[] _pieces = null!;
    private int[] _indices = null!;
    private float[] _similarities = null!;

    /// <summary>A seeded source matrix; one target row per source row, each spelled by 1 to 4 random source tokens (2.5 on average).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _source = new EmbeddingMatrix(SourceRows, Dimensions);
        Span<float> values = _source.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        _destination = new EmbeddingMatrix(SourceRows, Dimensions);
        _copy = new EmbeddingMatrix(SourceRows, Dimensions);
        _offsets = new int[SourceRows + 1];
        var pieces = new System.Collections.Generic.List<int>();
        for (int row = 0; row < SourceRows; row++)
        {
            int count = 1 + random.Next(4);
            for (int p = 0; p < count; p++)
            {
                pieces.Add(random.Next(SourceRows));
            }

            _offsets[row + 1] = pieces.Count;
        }

        _pieces = pieces.ToArray();
        _queries = new EmbeddingMatrix(Queries, Dimensions);
        for (int q = 0; q < Queries; q++)
        {
            _source.GetRow(random.Next(SourceRows)).CopyTo(_queries.GetRow(q));
        }

        _indices = new int[Queries * Neighbours];
        _similarities = new float[Queries * Neighbours];
    }

    /// <summary>Reference: copy the 128 MiB source matrix on all cores (reads 128 MiB, writes 128 MiB).</summary>
    [Benchmark(Baseline = true)]
    public void CopyMatrix()
    {
        int chunk = 1 << 20;
        int chunks = (SourceRows * Dimensions) / chunk;
        Parallel.For(0, chunks, c => _source.AsSpan().Slice(c * chunk, chunk).CopyTo(_copy.AsSpan().Slice(c * chunk, chunk)));
    }

    /// <summary>FVT: 32,768 target rows from 81,9xx gathered source rows (reads ~2.5 x 4 KiB, writes 4 KiB per row: ~448 MiB in all).</summary>
    [Benchmark]
    public void FvtGatherMean() => _backend.GatherMean(_source, _offsets, _pieces, _destination);

    /// <summary>Similarity top-3 of 64 queries over 32,768 keys (normalises both, then 2.1 M dot products of 1,024 floats).</summary>
    [Benchmark]
    public void SimilarityTopK() => _backend.NearestByCosine(_queries, _source, Neighbours, _indices, _similarities);

    /// <summary>
    /// Reference: the same 64 x 32,768 TensorPrimitives.Dot calls on all cores, but over a 256 KiB block of keys that
    /// stays in cache: the arithmetic ceiling of one SIMD dot product per (query, key), free of memory traffic.
    /// </summary>
    [Benchmark]
    public float DotInCacheReference()
    {
        float[] sums = new float[Queries];
        Parallel.For(0, Queries, q =>
        {
            ReadOnlySpan<float> query = _queries.GetRow(q);
            float sum = 0;
            for (int key = 0; key < SourceRows; key++)
            {
                sum += TensorPrimitives.Dot(query, _source.GetRow(key & 63));
            }

            sums[q] = sum;
        });
        return sums[0];
    }

    /// <summary>Reference: the same dot products streaming all 32,768 keys from memory for every query (no tiling).</summary>
    [Benchmark]
    public float DotStreamingReference()
    {
        float[] sums = new float[Queries];
        Parallel.For(0, Queries, q =>
        {
            ReadOnlySpan<float> query = _queries.GetRow(q);
            float sum = 0;
            for (int key = 0; key < SourceRows; key++)
            {
                sum += TensorPrimitives.Dot(query, _source.GetRow(key));
            }

            sums[q] = sum;
        });
        return sums[0];
    }
}
