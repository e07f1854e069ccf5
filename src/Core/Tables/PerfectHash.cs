using System;
using System.Collections.Generic;

namespace TokenizerCompiler.Core.Tables;

/// <summary>
/// A minimal-probe perfect hash (hash, bucket, displace): every key lands in its own slot, so a lookup is
/// one hash, one displacement read, one slot read and one comparison. About 4.6 bytes a key.
/// </summary>
public sealed class PerfectHash
{
    private PerfectHash(ulong seed, ushort[] displacements, int[] slots)
    {
        Seed = seed;
        Displacements = displacements;
        Slots = slots;
    }

    /// <summary>The seed the keys were hashed with.</summary>
    public ulong Seed { get; }

    /// <summary>Per bucket, the displacement that places all of its keys in free slots.</summary>
    public ushort[] Displacements { get; }

    /// <summary>Per slot, the index of the key that lives there, or -1.</summary>
    public int[] Slots { get; }

    /// <summary>Builds a table for keys given as byte sequences; duplicate keys are the caller's error.</summary>
    /// <param name="keys">The keys; <see langword="null"/> entries are skipped (and their index is never stored).</param>
    public static PerfectHash Build(IReadOnlyList<byte[]?> keys)
    {
        int count = 0;
        foreach (byte[]? key in keys)
        {
            if (key is not null)
            {
                count++;
            }
        }

        double load = 0.88;
        for (int attempt = 0; attempt < 16; attempt++)
        {
            ulong seed = (ulong)attempt * 0x2545F4914F6CDD1DUL;
            var hashes = new ulong[keys.Count];
            for (int i = 0; i < keys.Count; i++)
            {
                if (keys[i] is byte[] key)
                {
                    hashes[i] = TokenHash.Hash(key, seed);
                }
            }

            PerfectHash? table = TryBuild(keys, hashes, count, seed, load);
            if (table is not null)
            {
                return table;
            }

            load = Math.Max(0.5, load - 0.05);
        }

        throw new InvalidOperationException("Could not build a perfect hash; the keys may contain duplicates.");
    }

    private static PerfectHash? TryBuild(IReadOnlyList<byte[]?> keys, ulong[] hashes, int count, ulong seed, double load)
    {
        uint bucketCount = (uint)Math.Max(1, count / 4);
        uint slotCount = (uint)Math.Max(1, (int)Math.Ceiling(count / load));
        var buckets = new List<int>[bucketCount];
        for (int i = 0; i < keys.Count; i++)
        {
            if (keys[i] is null)
            {
                continue;
            }

            uint b = TokenHash.BucketOf(hashes[i], bucketCount);
            (buckets[b] ??= new List<int>()).Add(i);
        }

        var order = new int[bucketCount];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Biggest buckets first, ties by index so the table is deterministic.
        Array.Sort(order, (x, y) =>
        {
            int bySize = (buckets[y]?.Count ?? 0).CompareTo(buckets[x]?.Count ?? 0);
            return bySize != 0 ? bySize : x.CompareTo(y);
        });

        var slots = new int[slotCount];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = -1;
        }

        var displacements = new ushort[bucketCount];
        var chosen = new uint[16];
        foreach (int b in order)
        {
            List<int>? members = buckets[b];
            if (members is null)
            {
                break;
            }

            if (chosen.Length < members.Count)
            {
                chosen = new uint[members.Count * 2];
            }

            bool placed = false;
            for (uint d = 0; d <= ushort.MaxValue && !placed; d++)
            {
                placed = true;
                for (int m = 0; m < members.Count; m++)
                {
                    uint slot = TokenHash.SlotOf(hashes[members[m]], d, slotCount);
                    if (slots[slot] >= 0 || Array.IndexOf(chosen, slot, 0, m) >= 0)
                    {
                        placed = false;
                        break;
                    }

                    chosen[m] = slot;
                }

                if (placed)
                {
                    displacements[b] = (ushort)d;
                    for (int m = 0; m < members.Count; m++)
                    {
                        slots[chosen[m]] = members[m];
                    }
                }
            }

            if (!placed)
            {
                return null;
            }
        }

        return new PerfectHash(seed, displacements, slots);
    }
}
