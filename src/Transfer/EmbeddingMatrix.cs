using System;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// A dense row-major matrix of 32-bit floats: one row per token, one column per embedding dimension.
/// Every computation works in <see cref="float"/>; half-precision files are widened on read and narrowed on write.
/// </summary>
public sealed class EmbeddingMatrix
{
    private readonly float[] _values;

    /// <summary>Creates a zero-filled matrix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or the matrix exceeds an array's length.</exception>
    public EmbeddingMatrix(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        long length = (long)rows * columns;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"A {rows} x {columns} matrix has more elements than one array can hold.");
        }

        Rows = rows;
        Columns = columns;
        _values = new float[length];
    }

    /// <summary>Wraps <paramref name="values"/> (not copied) as a <paramref name="rows"/> x <paramref name="columns"/> matrix.</summary>
    /// <exception cref="ArgumentException">The array's length is not <paramref name="rows"/> times <paramref name="columns"/>.</exception>
    public EmbeddingMatrix(int rows, int columns, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"{values.Length} values do not make a {rows} x {columns} matrix.", nameof(values));
        }

        Rows = rows;
        Columns = columns;
        _values = values;
    }

    /// <summary>The number of rows (tokens).</summary>
    public int Rows { get; }

    /// <summary>The number of columns (embedding dimensions).</summary>
    public int Columns { get; }

    /// <summary>All values, row after row.</summary>
    public Span<float> AsSpan() => _values;

    /// <summary>The underlying array (row-major); shared, not copied.</summary>
    internal float[] Values => _values;

    /// <summary>The values of row <paramref name="row"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not a row of this matrix.</exception>
    public Span<float> GetRow(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The matrix has {Rows} rows.");
        }

        return _values.AsSpan(row * Columns, Columns);
    }
}
