using System;

namespace TokenizerCompiler.Fuzz;

/// <summary>A small AFL-style byte mutator for the built-in smoke mode: flips, interesting values, splices, truncation.</summary>
internal static class Mutator
{
    private static readonly byte[] s_interesting = { 0x00, 0xFF, 0x7F, 0x80, 0xC0, 0xE0, 0xED, 0xF0, 0xF4, 0xF8, 0x20, 0x0A, 0x0D, 0x27, 0x3C };

    public static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] data = (byte[])seed.Clone();
        int rounds = 1 + random.Next(8);
        for (int r = 0; r < rounds; r++)
        {
            switch (random.Next(6))
            {
                case 0 when data.Length > 0:
                    data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Length > 0:
                    data[random.Next(data.Length)] = s_interesting[random.Next(s_interesting.Length)];
                    break;
                case 2 when data.Length > 1:
                    Array.Resize(ref data, random.Next(data.Length));
                    break;
                case 3 when data.Length > 0:
                {
                    // Duplicate a block: long runs and repeated structures.
                    int start = random.Next(data.Length);
                    int length = Math.Min(data.Length - start, 1 + random.Next(64));
                    int times = 1 + random.Next(32);
                    var grown = new byte[data.Length + (length * times)];
                    Array.Copy(data, grown, data.Length);
                    for (int t = 0; t < times; t++)
                    {
                        Array.Copy(data, start, grown, data.Length + (t * length), length);
                    }

                    data = grown;
                    break;
                }

                case 4 when data.Length > 0:
                {
                    int at = random.Next(data.Length);
                    int length = Math.Min(data.Length - at, 1 + random.Next(16));
                    random.NextBytes(data.AsSpan(at, length));
                    break;
                }

                default:
                    Array.Resize(ref data, data.Length + 1);
                    data[^1] = s_interesting[random.Next(s_interesting.Length)];
                    break;
            }
        }

        return data;
    }
}
