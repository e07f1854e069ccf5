using System;
using System.Numerics.Tensors;
using System.Threading.Tasks;

namespace TokenizerCompiler.Transfer;

/// <summary>Argument checks and preparation shared by the compute backends, so both reject and accept the same inputs.</summary>
internal static class BackendArguments
{
    public static void CheckGather(EmbeddingMatrix source, ReadOnlySpan<int> offsets, ReadOnlySpan<int> pieces, EmbeddingMatrix destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Columns != destination.Columns)
        {
            throw new ArgumentException($"Source has {source.Columns} columns, destination {destination.Columns}.", nameof(destination));
        }

        if (offsets.Length != destination.Rows + 1 || offsets[0] != 0 || offsets[^1] != pieces.Length)
        {
            throw new ArgumentException("offsets needs destination.Rows + 1 entries from 0 to pieces.Length.", nameof(offsets));
        }

        for (int i = 1; i < offsets.Length; i++)
        {
            if (offsets[i] < offsets[i - 1])
            {
                throw new ArgumentException("offsets must not decrease.", nameof(offsets));
            }
        }

        foreach (int piece in pieces)
        {
            if ((uint)piece >= (uint)source.Rows)
            {
                throw new ArgumentException($"Piece {piece} is not a row of the {source.Rows}-row source.", nameof(pieces));
            }
        }
    }

    public static void CheckNearest(EmbeddingMatrix queries, EmbeddingMatrix keys, int k, Span<int> indices, Span<float> similarities)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (queries.Columns != keys.Columns)
        {
            throw new ArgumentException($"Queries have {queries.Columns} columns, keys {keys.Columns}.", nameof(keys));
        }

        long needed = (long)queries.Rows * k;
        if (indices.Length < needed || similarities.Length < needed)
        {
            throw new ArgumentException($"indices and similarities need {needed} entries.", nameof(indices));
        }
    }

    /// <summary>A copy of <paramref name="matrix"/> with every non-zero row scaled to unit length, so dot products are cosines.</summary>
    public static EmbeddingMatrix Normalized(EmbeddingMatrix matrix)
    {
        var result = new EmbeddingMatrix(matrix.Rows, matrix.Columns);
        float[] source = matrix.Values;
        float[] destination = result.Values;
        int columns = matrix.Columns;
        Parallel.For(0, matrix.Rows, row =>
        {
            ReadOnlySpan<float> values = source.AsSpan(row * columns, columns);
            float norm = TensorPrimitives.Norm(values);
            if (norm > 0)
            {
                TensorPrimitives.Divide(values, norm, destination.AsSpan(row * columns, columns));
            }
        });
        return result;
    }
}
