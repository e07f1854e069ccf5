using System;
using System.Collections.Generic;
using System.Numerics;
using System.Text;
using TokenizerCompiler.PreTokenization;
using Xunit;
using Scan = TokenizerCompiler.Tests.PieceScanners.Scan;
using Window = TokenizerCompiler.Tests.PieceScanners.Window;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The window scans (o200k's, cl100k's, Qwen's, GPT-2's) decide many piece starts at once from class masks; the general
/// scanners, which the tiktoken goldens pin down, are their reference. At every piece start of a text a window's
/// starts must be exactly the general scanner's starts up to the last one the window reports.
/// </summary>
[Collection(nameof(AsciiScan.Vectorized))] // both flip that switch: not at the same time
public class ScannerWindowTests
{
    public static TheoryData<string> Scanners => PieceScanners.Names;

    // Fragments that meet every rule of the pattern in ASCII: both cases, contractions and near misses, digit runs,
    // each kind of white space and line break, slashes and other punctuation, and non-ASCII letters and spaces that
    // end a window's ASCII.
    private static readonly string[] Fragments =
    [
        "a", "b", "Z", "Q", "ab", "AB", "Ab", "aB", "'", "''", "'s", "'S", "'t", "'re", "'RE", "'rE", "'r", "'ve", "'v", "'ll",
        "'lL", "'l", "'m", "'d", "'x", "0", "7", "12", "345", "6789", " ", " ", " ", "  ", "    ", "\t", "\n", "\r\n", "\r",
        "\v", "\f", " \n", "\n ", "/", "//", "(", ")", ".", ";", ",", "-", "_", "=", "*", "{", "\"", "#", "\u007F", "\u0001",
        "é", "中", "\u00A0", "\u3000", "ſ", " the", " The", "HTTPServer", "don't", "x", "foo", ";\n", ";\n//", "*/\n", "\n\n",
    ];

    [Theory]
    [MemberData(nameof(Scanners))]
    public void WindowAgreesWithTheGeneralScannerOnGeneratedText(string scanner)
    {
        var random = new Random(20261207);
        var text = new StringBuilder();
        for (int sample = 0; sample < 6000; sample++)
        {
            text.Clear();
            int length = random.Next(70, 400);
            while (text.Length < length)
            {
                text.Append(Fragments[random.Next(Fragments.Length)]);
            }

            AssertWindowsAgree(scanner, Encoding.UTF8.GetBytes(text.ToString()), $"sample {sample}");
        }
    }

    [Theory]
    [MemberData(nameof(Scanners))]
    public void WindowAgreesWithTheGeneralScannerOnTheCorpus(string scanner)
    {
        foreach (string file in EngineTestSupport.AllCorpusFiles)
        {
            AssertWindowsAgree(scanner, Encoding.UTF8.GetBytes(EngineTestSupport.Corpus(file)), file);
        }
    }

    [Theory]
    [MemberData(nameof(Scanners))]
    public void ScalarMasksGiveTheSameStarts(string scanner)
    {
        // The byte-at-a-time class masks (hardware without vectors) on the same inputs.
        bool vectorized = AsciiScan.Vectorized;
        AsciiScan.Vectorized = false;
        try
        {
            var random = new Random(7);
            var text = new StringBuilder();
            for (int sample = 0; sample < 1000; sample++)
            {
                text.Clear();
                while (text.Length < 200)
                {
                    text.Append(Fragments[random.Next(Fragments.Length)]);
                }

                AssertWindowsAgree(scanner, Encoding.UTF8.GetBytes(text.ToString()), $"scalar sample {sample}");
            }

            AssertWindowsAgree(scanner, Encoding.UTF8.GetBytes(EngineTestSupport.Corpus(EngineTestSupport.AllCorpusFiles[0])), "scalar corpus");
        }
        finally
        {
            AsciiScan.Vectorized = vectorized;
        }
    }

    [Theory]
    [InlineData("o200k", "int main() {\n    return x's + y;\n}\n// done\n", 8)]
    [InlineData("o200k", "The quick brown fox jumps over the lazy dog, doesn't it? 12345 apples.  ", 10)]
    [InlineData("cl100k", "int main() {\n    return x's + y;\n}\n// done\n", 8)]
    [InlineData("cl100k", "The quick brown fox jumps over the lazy dog, doesn't it? 12345 apples.  ", 10)]
    [InlineData("gpt2", "int main() {\n    return x's + y;\n}\n// done\n", 8)]
    [InlineData("gpt2", "The quick brown fox jumps over the lazy dog, doesn't it? 12345 apples.  ", 10)]
    public void WindowDecidesMostOfAnAsciiWindow(string scanner, string line, int minimumStarts)
    {
        // Guards the window against deciding almost nothing (it would still be exact, only slow).
        byte[] text = Encoding.UTF8.GetBytes(line + line + line);
        ulong starts = For(scanner).Window(text, 0);
        Assert.True(BitOperations.PopCount(starts) >= minimumStarts, $"{BitOperations.PopCount(starts)} starts");
    }

    [Theory]
    [MemberData(nameof(Scanners))]
    public void WindowAgreesAtItsEdges(string scanner)
    {
        // Cases the generated text meets only by chance: a contraction whose apostrophe is the window's last byte or
        // one before it (its letters past the window), one at a non-ASCII cut (ſ folds to s), runs that cross byte
        // 64, and a digit run longer than the window.
        string pad = new string('x', 60);
        string[] texts =
        [
            pad + "ab'll" + pad, pad + "a'll" + pad, pad + "abc'd" + pad, pad + "ab're" + pad, pad + " 's'" + pad,
            pad + "ab'ſ" + pad, new string('x', 62) + "'ſ" + pad, pad + "  \n\n  " + pad, pad + ";\n//x" + pad,
            new string('7', 70) + " x" + pad, pad + "Ab" + new string('C', 10) + "d" + pad,
        ];
        foreach (string text in texts)
        {
            for (int shift = 0; shift < 8; shift++)
            {
                AssertWindowsAgree(scanner, Encoding.UTF8.GetBytes(text[shift..]), $"edge case '{Escape(text)}' from {shift}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Scanners))]
    public void WindowFilledByOneRunDecidesNothing(string scanner)
    {
        foreach (char c in "a9 ;")
        {
            Assert.Equal(0UL, For(scanner).Window(Encoding.UTF8.GetBytes(new string(c, 80)), 0));
        }
    }

    [Theory]
    [MemberData(nameof(Scanners))]
    public void WindowDecidesNothingAtNonAscii(string scanner)
    {
        byte[] text = Encoding.UTF8.GetBytes("中文 " + new string('a', 80));
        Assert.Equal(0UL, For(scanner).Window(text, 0));
    }

    [Theory]
    [InlineData("o200k", "o200k_base")]
    [InlineData("cl100k", "cl100k_base")]
    [InlineData("gpt2", "r50k_base")]
    public void CountPreTokensCountsTheGeneralScannersPieces(string scanner, string encoding)
    {
        // CountPreTokens walks the pieces with the window scan: the same count as the general scanner's walk.
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        Scan general = For(scanner).General;
        foreach (string file in EngineTestSupport.AllCorpusFiles)
        {
            byte[] text = Encoding.UTF8.GetBytes(EngineTestSupport.Corpus(file));
            int expected = 0;
            for (int position = 0; position < text.Length; position = general(text, position))
            {
                expected++;
            }

            Assert.True(expected == tokenizer.CountPreTokens(text), $"{encoding} {file}");
        }
    }

    private static (Scan General, Window Window) For(string scanner)
    {
        var scans = PieceScanners.For(scanner);
        return (scans.General, scans.Window);
    }

    private static void AssertWindowsAgree(string scanner, byte[] text, string context)
    {
        (Scan general, Window scan) = For(scanner);
        var starts = new List<int>();
        for (int position = 0; position < text.Length; position = general(text, position))
        {
            starts.Add(position);
        }

        var isStart = new bool[text.Length + 1];
        foreach (int start in starts)
        {
            isStart[start] = true;
        }

        foreach (int start in starts)
        {
            if (text.Length - start < WindowRules.BytesRead)
            {
                break;
            }

            ulong window = scan(text, start);
            if (window == 0)
            {
                continue;
            }

            int last = 63 - BitOperations.LeadingZeroCount(window);
            for (int offset = 1; offset <= last; offset++)
            {
                bool decided = (window & (1UL << offset)) != 0;
                if (decided != isStart[start + offset])
                {
                    string at = Encoding.UTF8.GetString(text, start, Math.Min(text.Length - start, 70));
                    Assert.Fail($"{scanner} {context}: window at byte {start} ('{Escape(at)}') says {(decided ? "a piece starts" : "no piece starts")} at +{offset}; the general scanner disagrees");
                }
            }
        }
    }

    private static string Escape(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\v", "\\v").Replace("\f", "\\f");
}
