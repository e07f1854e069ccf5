using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TokenizerCompiler.Internal;

/// <summary>
/// The merge ranks of a short word's parts, one per position (the rank of the part starting there with the part after
/// it, <see cref="int.MaxValue"/> for none), for merge loops that find the lowest over the whole row rather than
/// moving parts (<see cref="LinkedMerge"/>).
/// </summary>
internal interface IRankRow
{
    /// <summary>Sets every rank to <see cref="int.MaxValue"/> (no merge).</summary>
    void Clear();

    /// <summary>Sets the rank at <paramref name="at"/> (below <see cref="RankRow.Width"/>).</summary>
    void Set(int at, int rank);

    /// <summary>The position of the lowest rank (the first of equal ones: BPE merges the leftmost), and that rank.</summary>
    int Lowest(out int rank);
}

/// <summary>What the rows share.</summary>
internal static class RankRow
{
    /// <summary>How many positions a row holds.</summary>
    public const int Width = 16;

    /// <summary>Whether merge loops use <see cref="VectorRankRow"/> (tests turn it off to check <see cref="ScalarRankRow"/>).</summary>
    internal static bool Vectorized = Vector256.IsHardwareAccelerated;
}

/// <summary>
/// The row as two vectors, kept in registers: a rank is set by a compare and a blend, not a store, so that the search
/// for the lowest never waits for stores of single lanes to reach memory (a whole-row load right after them cannot take
/// their values on the way, and stalled the merge loop).
/// </summary>
internal struct VectorRankRow : IRankRow
{
    private Vector256<int> _low;
    private Vector256<int> _high;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear() => _low = _high = Vector256.Create(int.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(int at, int rank)
    {
        Vector256<int> position = Vector256.Create(at);
        Vector256<int> value = Vector256.Create(rank);
        _low = Vector256.ConditionalSelect(Vector256.Equals(Vector256<int>.Indices, position), value, _low);
        _high = Vector256.ConditionalSelect(Vector256.Equals(Vector256<int>.Indices + Vector256.Create(8), position), value, _high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lowest(out int rank)
    {
        Vector256<int> min = Vector256.Min(_low, _high);
        min = Vector256.Min(min, Vector256.Shuffle(min, Vector256.Create(4, 5, 6, 7, 0, 1, 2, 3)));
        min = Vector256.Min(min, Vector256.Shuffle(min, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)));
        min = Vector256.Min(min, Vector256.Shuffle(min, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)));
        rank = min.ToScalar();
        uint at = Vector256.Equals(_low, min).ExtractMostSignificantBits() | (Vector256.Equals(_high, min).ExtractMostSignificantBits() << 8);
        return System.Numerics.BitOperations.TrailingZeroCount(at);
    }
}

/// <summary>The row as sixteen ints and a loop (machines without vectors, and the tests' check of the vectors).</summary>
[InlineArray(RankRow.Width)]
internal struct ScalarRankRow : IRankRow
{
    private int _first;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear() => ((Span<int>)this).Fill(int.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(int at, int rank) => this[at] = rank;

    public int Lowest(out int rank)
    {
        int best = 0;
        rank = this[0];
        for (int i = 1; i < RankRow.Width; i++)
        {
            if (this[i] < rank)
            {
                rank = this[i];
                best = i;
            }
        }

        return best;
    }
}
