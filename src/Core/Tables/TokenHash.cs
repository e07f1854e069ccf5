using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace TokenizerCompiler.Core.Tables;

/// <summary>
/// The 64-bit hash of token bytes. The compiler builds its perfect hash with it and the runtime looks tokens
/// up with it, so both must compute exactly the same value: this is the one definition.
/// Eight bytes a step with a multiply-xorshift mix; short tails are read with overlapping loads.
/// </summary>
public static class TokenHash
{
    private const ulong Prime1 = 0x9E3779B97F4A7C15UL;
    private const ulong Prime2 = 0xBF58476D1CE4E5B9UL;
    private const ulong Prime3 = 0x94D049BB133111EBUL;

    /// <summary>Hashes <paramref name="bytes"/> with seed 0.</summary>
    public static ulong Hash(ReadOnlySpan<byte> bytes) => Hash(bytes, 0);

    /// <summary>Hashes <paramref name="bytes"/> with <paramref name="seed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> bytes, ulong seed)
    {
        int length = bytes.Length;
        ulong h = seed ^ ((ulong)length * Prime1);
        int i = 0;
        while (length - i >= 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i))) * Prime2;
            h ^= h >> 29;
            i += 8;
        }

        int rest = length - i;
        if (rest > 0)
        {
            ulong tail;
            if (rest >= 4)
            {
                tail = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(i))
                    | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(length - 4)) << 32);
            }
            else
            {
                tail = bytes[i] | ((ulong)bytes[i + (rest >> 1)] << 8) | ((ulong)bytes[length - 1] << 16);
            }

            h = (h ^ tail) * Prime2;
        }

        h ^= h >> 32;
        h *= Prime3;
        h ^= h >> 29;
        return h;
    }

    /// <summary>The bucket of a hash in a perfect hash table of <paramref name="bucketCount"/> buckets.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint BucketOf(ulong hash, uint bucketCount) => (uint)(((hash >> 32) * bucketCount) >> 32);

    /// <summary>The slot of a hash for displacement <paramref name="displacement"/> in a table of <paramref name="slotCount"/> slots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SlotOf(ulong hash, uint displacement, uint slotCount)
    {
        ulong x = hash ^ (displacement * Prime1);
        x ^= x >> 31;
        x *= Prime3;
        x ^= x >> 30;
        return (uint)(((x >> 32) * slotCount) >> 32);
    }
}
