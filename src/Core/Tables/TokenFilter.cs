using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace TokenizerCompiler.Core.Tables;

/// <summary>
/// A blocked Bloom filter over the <see cref="TokenHash"/> of every ordinary token: two bits in one 64-bit
/// word per token. Most strings a merge asks about are not tokens, and answering that from the perfect hash
/// costs two or three dependent loads from megabytes of tables (main memory on a shared machine); the filter
/// is a few hundred kilobytes that stay in the core's cache and rejects about 19 of 20 such strings with one load.
/// The compiler builds it and the runtime probes it with the same two functions, so they cannot disagree.
/// </summary>
public static class TokenFilter
{
    /// <summary>Bits of filter per token (before rounding the word count up to a power of two).</summary>
    public const int BitsPerToken = 10;

    /// <summary>Builds the filter words for tokens with the given hashes (seeded as in the perfect hash).</summary>
    public static ulong[] Build(IReadOnlyList<ulong> hashes)
    {
        int words = 64;
        while (words * 64L < (long)hashes.Count * BitsPerToken)
        {
            words <<= 1;
        }

        var filter = new ulong[words];
        for (int i = 0; i < hashes.Count; i++)
        {
            filter[WordOf(hashes[i], words - 1)] |= MaskOf(hashes[i]);
        }

        return filter;
    }

    /// <summary>The word a hash sets its bits in, for a filter of <c>mask + 1</c> words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WordOf(ulong hash, int mask) => (int)hash & mask;

    /// <summary>The two bits a hash sets (drawn from the hash's high bits, which the word index does not use).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MaskOf(ulong hash) => (1UL << (int)(hash >> 52)) | (1UL << (int)(hash >> 58));
}
