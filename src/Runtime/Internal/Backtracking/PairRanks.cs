using System;
using System.Runtime.CompilerServices;

namespace TokenizerCompiler.Internal.Backtracking;

/// <summary>The rank at which two adjacent tokens would merge, or <see cref="int.MaxValue"/> when they never do.</summary>
internal interface IPairRanks
{
    /// <summary>The merge rank of <paramref name="left"/> followed by <paramref name="right"/>, spelled together <paramref name="joined"/>.</summary>
    int Rank(int left, int right, ReadOnlySpan<byte> joined);
}

/// <summary>tiktoken's rule: two parts merge when their bytes together are a token, whose id is the rank.</summary>
internal readonly struct TiktokenPairRanks(PieceCache cache) : IPairRanks
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Rank(int left, int right, ReadOnlySpan<byte> joined)
    {
        int id = cache.PairToken(left, right, joined);
        return id >= 0 ? id : int.MaxValue;
    }
}

/// <summary>Hugging Face's rule: two parts merge when the merge list has the pair, at the pair's position in it.</summary>
internal readonly struct MergeListPairRanks(PieceCache cache) : IPairRanks
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Rank(int left, int right, ReadOnlySpan<byte> joined) =>
        cache.LookupMerge(left, right, out int rank) >= 0 ? rank : int.MaxValue;
}
