using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Unicode;
using TokenizerCompiler.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// <see cref="Utf8ToUtf16"/> gives exactly what .NET's <see cref="Utf8.ToUtf16(ReadOnlySpan{byte}, Span{char}, out int, out int, bool, bool)"/>
/// gives with replacement: status, bytes read, chars written and the chars, with its vector loop on and off.
/// </summary>
public class Utf8ToUtf16Tests
{
    [Fact]
    public void TheStepPathRunsOnThisMachine()
    {
        // On x64 and Arm64 machines the tests below compare the step path; elsewhere they would only compare .NET
        // with itself, so say so rather than pass quietly. (The 64-byte blocks need AVX-512 VBMI2: the project's
        // machines have it, and the tests below take every path the machine has.)
        Assert.True(Utf8ToUtf16.IsVectorized, "no SSSE3 or AdvSimd here: the step path is not tested");
    }

    [Fact]
    public void EveryCorpusFileTranscodesAsDotNetDoes()
    {
        foreach (string file in Directory.GetFiles(TestData.CorpusDirectory, "*.txt"))
        {
            byte[] utf8 = File.ReadAllBytes(file);
            AssertSameAsDotNet(utf8, utf8.Length + 64, isFinalBlock: true, Path.GetFileName(file));
        }
    }

    [Fact]
    public void CorpusTextCutAnywhereTranscodesAsDotNetDoes()
    {
        var random = new Random(7);
        foreach (string file in Directory.GetFiles(TestData.CorpusDirectory, "*.txt"))
        {
            byte[] utf8 = File.ReadAllBytes(file);
            for (int i = 0; i < 40; i++)
            {
                int start = random.Next(utf8.Length);
                int length = Math.Min(utf8.Length - start, random.Next(1, 300));
                byte[] slice = utf8.AsSpan(start, length).ToArray();
                string name = $"{Path.GetFileName(file)}[{start}..+{length}]";
                AssertSameAsDotNet(slice, length + 16, isFinalBlock: false, name);
                AssertSameAsDotNet(slice, length + 16, isFinalBlock: true, name);
                AssertSameAsDotNet(slice, random.Next(length + 1), isFinalBlock: true, name + " (short destination)");
            }
        }
    }

    [Fact]
    public void MixturesOfValidAndInvalidSequencesTranscodeAsDotNetDoes()
    {
        var random = new Random(12345);
        for (int i = 0; i < 6000; i++)
        {
            byte[] bytes = RandomMixture(random, random.Next(1, 200));
            string name = Convert.ToHexString(bytes);
            AssertSameAsDotNet(bytes, bytes.Length + 20, isFinalBlock: true, name);
            AssertSameAsDotNet(bytes, bytes.Length + 20, isFinalBlock: false, name);
            AssertSameAsDotNet(bytes, random.Next(bytes.Length + 2), isFinalBlock: random.Next(2) == 0, name + " (short destination)");
        }
    }

    [Fact]
    public void EveryTwoByteSequenceBetweenThreeByteCharactersTranscodesAsDotNetDoes()
    {
        // Each pair of bytes in a window the vector loop takes (Chinese on both sides), at two alignments.
        byte[] around = Encoding.UTF8.GetBytes("中文字符测试中文字符测试中文字符测试中文字符测试");
        for (int pair = 0; pair < 0x10000; pair++)
        {
            for (int at = 0; at <= 1; at++)
            {
                byte[] bytes = [.. around.AsSpan(0, 9 + at).ToArray(), (byte)(pair >> 8), (byte)pair, .. around];
                AssertSameAsDotNet(bytes, bytes.Length + 16, isFinalBlock: true, $"pair {pair:X4} at {at}");
            }
        }
    }

    [Fact]
    public void EveryThreeAndFourByteLeadWithEveryNextByteTranscodesAsDotNetDoes()
    {
        byte[] around = Encoding.UTF8.GetBytes("русский текст и 中文 русский текст и 中文 русский текст");
        byte[] tails = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xE0, 0xF0, 0xFF];
        for (int lead = 0xC0; lead <= 0xFF; lead++)
        {
            for (int second = 0; second <= 0xFF; second++)
            {
                foreach (byte third in tails)
                {
                    foreach (byte fourth in tails)
                    {
                        byte[] bytes = [.. around.AsSpan(0, 20).ToArray(), (byte)lead, (byte)second, third, fourth, .. around];
                        AssertSameAsDotNet(bytes, bytes.Length + 16, isFinalBlock: true, $"{lead:X2} {second:X2} {third:X2} {fourth:X2}");
                    }
                }
            }
        }
    }

    [Fact]
    public void RunsOfThreeByteCharactersWithOneIllFormedTranscodeAsDotNetDoes()
    {
        // Sixteen three-byte characters take one check together: a lead and two continuation bytes that are not a
        // character (surrogate, overlong, another length's lead) at each of the sixteen places, after no ASCII byte or one.
        byte[][] illFormed = [[0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xC2, 0x80, 0x80], [0xF0, 0x90, 0x80], [0x80, 0x80, 0x80]];
        byte[] run = Encoding.UTF8.GetBytes("中文字符测试中文字符测试中文字符测试中文字符测试中文字符测试");
        foreach (byte[] bad in illFormed)
        {
            for (int place = 0; place < 16; place++)
            {
                for (int lead = 0; lead <= 1; lead++)
                {
                    byte[] bytes = [.. Enumerable.Repeat((byte)'a', lead), .. run];
                    bad.CopyTo(bytes, lead + (3 * place));
                    AssertSameAsDotNet(bytes, bytes.Length + 16, isFinalBlock: true, $"{Convert.ToHexString(bad)} at {place}, lead {lead}");
                }
            }
        }
    }

    [Fact]
    public void EveryScalarValueTranscodesAsDotNetDoes()
    {
        // All of Unicode but the surrogates, sixty-four scalars to a call so the calls stay in the vector loop.
        var builder = new StringBuilder();
        for (int scalar = 0; scalar <= 0x10FFFF; scalar++)
        {
            if (scalar is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            builder.Append(char.ConvertFromUtf32(scalar));
            if (builder.Length >= 64 || scalar == 0x10FFFF)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(builder.ToString());
                AssertSameAsDotNet(bytes, builder.Length + 16, isFinalBlock: true, $"up to U+{scalar:X}");
                builder.Clear();
            }
        }
    }

    /// <summary>Every path this machine has, and the fastest on a buffer it pads in place.</summary>
    private static readonly string[] Ways = [.. Enum.GetValues<Utf8ToUtf16.Path>().Where(path => path <= Utf8ToUtf16.FastestPath).Select(path => path.ToString()), "padded in place"];

    private static void AssertSameAsDotNet(byte[] source, int destinationLength, bool isFinalBlock, string name)
    {
        char[] expected = new char[destinationLength];
        OperationStatus expectedStatus = Utf8.ToUtf16(source, expected, out int expectedRead, out int expectedWritten, replaceInvalidSequences: true, isFinalBlock);
        foreach (string way in Ways)
        {
            char[] actual = new char[destinationLength];
            OperationStatus status;
            int read;
            int written;
            if (way == "padded in place")
            {
                // Bytes that are not UTF-8 after the source: the call must clear them before its last block reads them.
                byte[] buffer = [.. source, .. Enumerable.Repeat((byte)0xE4, Utf8ToUtf16.PaddingBytes)];
                status = Utf8ToUtf16.TranscodePrefix(buffer, source.Length, actual, out read, out written, isFinalBlock);
            }
            else
            {
                status = Utf8ToUtf16.Transcode(source, actual, out read, out written, isFinalBlock, Enum.Parse<Utf8ToUtf16.Path>(way));
            }

            if (status != expectedStatus || read != expectedRead || written != expectedWritten
                || !actual.AsSpan(0, written).SequenceEqual(expected.AsSpan(0, expectedWritten)))
            {
                Assert.Fail($"{name} ({way}, final: {isFinalBlock}, room {destinationLength}): expected {expectedStatus} {expectedRead}/{expectedWritten}, got {status} {read}/{written}");
            }
        }
    }

    /// <summary>Random characters of every length, with boundary values and each kind of ill-formed sequence among them.</summary>
    private static byte[] RandomMixture(Random random, int pieces)
    {
        int[] boundaries = [0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x3FFFF, 0x40000, 0x10FFFF];
        byte[][] illFormed =
        [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xDF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0],
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xEF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90], [0xF0, 0x90, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8], [0xFE], [0xFF], [0xE4, 0xB8], [0xC3, 0xC3],
        ];
        var bytes = new List<byte>();
        for (int i = 0; i < pieces; i++)
        {
            int kind = random.Next(100);
            int scalar = kind switch
            {
                < 25 => random.Next(0x20, 0x7F),
                < 45 => random.Next(0x80, 0x800),
                < 75 => random.Next(0x800, 0xD800),
                < 80 => random.Next(0xE000, 0x10000),
                < 85 => random.Next(0x10000, 0x110000),
                < 92 => boundaries[random.Next(boundaries.Length)],
                _ => -1,
            };
            if (scalar < 0)
            {
                bytes.AddRange(illFormed[random.Next(illFormed.Length)]);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(scalar)));
            }
        }

        return [.. bytes];
    }
}
