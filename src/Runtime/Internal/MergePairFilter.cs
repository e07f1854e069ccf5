using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TokenizerCompiler.Core.Tables;

namespace TokenizerCompiler.Internal;

/// <summary>
/// Every listed merge's (left, right) of a merge-list vocabulary in a <see cref="TokenFilter"/> (the tables' own filter of
/// tokens: two bits in one word, ten bits a merge: 64 KB for Binary BPE's 32 K merges, 512 KB for Llama 3's 280 K),
/// which lets through a few percent of the pairs that never merge. Most pairs a merge loop or the backtracking search
/// asks about never merge, and the merge table is large enough (Llama 3: 8 MB) that each such lookup missed the caches.
/// </summary>
internal sealed class MergePairFilter
{
    private readonly ulong[] _bits;

    private MergePairFilter(ulong[] bits) => _bits = bits;

    /// <summary>The filter of <paramref name="merges"/>.</summary>
    public static MergePairFilter Build(IReadOnlyList<(int Left, int Right, int Rank, int Result)> merges)
    {
        var hashes = new ulong[merges.Count];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = PairHash(merges[i].Left, merges[i].Right);
        }

        return new MergePairFilter(TokenFilter.Build(hashes));
    }

    /// <summary>Whether the merge list may hold (<paramref name="left"/>, <paramref name="right"/>): false means it surely does not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayMerge(int left, int right)
    {
        ulong hash = PairHash(left, right);
        ulong bits = TokenFilter.MaskOf(hash);
        return (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bits), TokenFilter.WordOf(hash, _bits.Length - 1)) & bits) == bits;
    }

    /// <summary>A hash of an id pair whose low bits (the filter's word) and high bits (its two bits) both depend on both ids.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong PairHash(int left, int right)
    {
        ulong mixed = (((ulong)(uint)left << 32) | (uint)right) * 0x9E3779B97F4A7C15UL;
        return mixed ^ (mixed >> 32);
    }
}
