using System;
using System.Numerics.Tensors;
using System.Threading.Tasks;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// The CPU backend: SIMD arithmetic through <see cref="TensorPrimitives"/>, rows spread over cores with
/// <see cref="Parallel"/>, and similarity computed in query x key tiles that stay in cache, each tile folded into
/// per-query top-k lists at once.
/// </summary>
public sealed class CpuComputeBackend : IEmbeddingComputeBackend
{
    /// <summary>Queries per tile: enough to reuse each key tile from cache several times.</summary>
    private const int QueryTile = 16;

    /// <summary>Target bytes of one key tile (kept in L2 while a query tile runs over it).</summary>
    private const int KeyTileBytes = 256 * 1024;

    /// <inheritdoc />
    public string Name => "cpu";

    /// <inheritdoc />
    public void GatherMean(EmbeddingMatrix source, ReadOnlySpan<int> offsets, ReadOnlySpan<int> pieces, EmbeddingMatrix destination)
    {
        BackendArguments.CheckGather(source, offsets, pieces, destination);
        int[] offsetArray = offsets.ToArray();
        int[] pieceArray = pieces.ToArray();
        float[] from = source.Values;
        float[] to = destination.Values;
        int columns = source.Columns;
        Parallel.For(0, destination.Rows, row =>
        {
            Span<float> sum = to.AsSpan(row * columns, columns);
            sum.Clear();
            int start = offsetArray[row];
            int end = offsetArray[row + 1];
            for (int i = start; i < end; i++)
            {
                TensorPrimitives.Add(sum, from.AsSpan(pieceArray[i] * columns, columns), sum);
            }

            if (end > start)
            {
                TensorPrimitives.Divide(sum, end - start, sum);
            }
        });
    }

    /// <inheritdoc />
    public void NearestByCosine(EmbeddingMatrix queries, EmbeddingMatrix keys, int k, Span<int> indices, Span<float> similarities)
    {
        BackendArguments.CheckNearest(queries, keys, k, indices, similarities);
        EmbeddingMatrix q = BackendArguments.Normalized(queries);
        EmbeddingMatrix n = BackendArguments.Normalized(keys);
        int[] resultIndices = new int[queries.Rows * k];
        float[] resultSimilarities = new float[queries.Rows * k];
        int columns = queries.Columns;
        int keyTile = Math.Max(64, KeyTileBytes / Math.Max(1, columns * sizeof(float)));
        int tiles = (queries.Rows + QueryTile - 1) / QueryTile;
        Parallel.For(0, tiles, tile =>
        {
            int first = tile * QueryTile;
            int last = Math.Min(queries.Rows, first + QueryTile);
            for (int query = first; query < last; query++)
            {
                TopK.Clear(resultIndices.AsSpan(query * k, k), resultSimilarities.AsSpan(query * k, k));
            }

            for (int keyStart = 0; keyStart < keys.Rows; keyStart += keyTile)
            {
                int keyEnd = Math.Min(keys.Rows, keyStart + keyTile);
                for (int query = first; query < last; query++)
                {
                    ReadOnlySpan<float> qv = q.Values.AsSpan(query * columns, columns);
                    Span<int> topIndices = resultIndices.AsSpan(query * k, k);
                    Span<float> topSimilarities = resultSimilarities.AsSpan(query * k, k);
                    for (int key = keyStart; key < keyEnd; key++)
                    {
                        float similarity = TensorPrimitives.Dot(qv, n.Values.AsSpan(key * columns, columns));
                        TopK.Offer(topIndices, topSimilarities, key, similarity);
                    }
                }
            }
        });
        resultIndices.CopyTo(indices);
        resultSimilarities.CopyTo(similarities);
    }

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }
}
