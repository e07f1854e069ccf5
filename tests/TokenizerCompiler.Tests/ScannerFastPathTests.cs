using System;
using System.Text;
using CsCheck;
using TokenizerCompiler.PreTokenization;
using Xunit;
using Scan = TokenizerCompiler.Tests.PieceScanners.Scan;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The scanners' ASCII fast paths and the BMP class table are optimisations of the general scanners, which the
/// tiktoken goldens pin down. These tests run both on the same text and compare every piece boundary, so a fast
/// path that decides differently (or gives up too late) fails here with the text that shows it.
/// </summary>
[Collection(nameof(AsciiScan.Vectorized))] // both flip that switch: not at the same time
public class ScannerFastPathTests
{
    public static TheoryData<string> Scanners => PieceScanners.Names;

    [Theory]
    [MemberData(nameof(Scanners))]
    public void FastPathAgreesWithGeneralScannerOnGeneratedText(string scanner)
    {
        (Scan fast, Scan general) = For(scanner);
        PropertyTests.Text.Sample(text => AssertSameBoundaries(fast, general, Encoding.UTF8.GetBytes(text), text), iter: 2000);
    }

    [Theory]
    [MemberData(nameof(Scanners))]
    public void FastPathAgreesWithGeneralScannerOnAsciiEdgeCases(string scanner)
    {
        (Scan fast, Scan general) = For(scanner);
        string[] cases =
        [
            "Hello, World! It's 2026; they'RE here.\r\n\r\n  x", "ABCdef ABC DEF aBC", "'s 's'S'll'LL'd", "x'ſ y's",
            "12345 1 12 123 1234567", "a1b22c333", "  \t\n  \n\r\n   end   ", "/* c */ //x\n///", "((a)) [[b]] {{{",
            "tab\tsep\tvalues\t\t", "trailing space ", " ", "\n", "a", "1", "'", "''", "a\u00A0b", "caf\u00E9 na\u00EFve",
            "word\u0301 x", "x\u3000y", "\u2028", "end\r", "A\u00C9B", "snake_case_name = value_2;", "\u0000\u0001\u007F",
        ];
        foreach (string text in cases)
        {
            AssertSameBoundaries(fast, general, Encoding.UTF8.GetBytes(text), text);
        }
    }

    [Theory]
    [MemberData(nameof(Scanners))]
    public void FastPathAgreesWithGeneralScannerOnTheCorpus(string scanner)
    {
        (Scan fast, Scan general) = For(scanner);
        foreach (string file in EngineTestSupport.AllCorpusFiles)
        {
            string text = EngineTestSupport.Corpus(file);
            AssertSameBoundaries(fast, general, Encoding.UTF8.GetBytes(text), file);
        }
    }

    [Theory]
    [MemberData(nameof(Scanners))]
    public void ScalarLetterRunsAgreeWithTheGeneralScanner(string scanner)
    {
        // The same inputs with the sixteen-byte letter runs switched off, so the scalar fallback (what runs on
        // hardware without vectors, and at the end of every buffer) is checked on the whole corpus too.
        (Scan fast, Scan general) = For(scanner);
        bool vectorized = AsciiScan.Vectorized;
        AsciiScan.Vectorized = false;
        try
        {
            foreach (string file in EngineTestSupport.AllCorpusFiles)
            {
                AssertSameBoundaries(fast, general, Encoding.UTF8.GetBytes(EngineTestSupport.Corpus(file)), file + " (scalar)");
            }

            PropertyTests.Text.Sample(text => AssertSameBoundaries(fast, general, Encoding.UTF8.GetBytes(text), text + " (scalar)"), iter: 500);
        }
        finally
        {
            AsciiScan.Vectorized = vectorized;
        }
    }

    [Fact]
    public void BmpTableMatchesTheUnicodeCategoriesThroughUtf8()
    {
        // Every BMP scalar value, encoded as UTF-8, classifies as Rune does (the table lookup decodes by hand).
        Span<byte> utf8 = stackalloc byte[4];
        for (int c = 0; c < 0x10000; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var rune = new Rune(c);
            int length = rune.EncodeToUtf8(utf8);
            byte flags = CharClass.At(utf8[..length], 0, out int decoded);
            Assert.Equal(length, decoded);
            Assert.True(CharClass.Classify(rune) == flags, $"U+{c:X4}: table {flags}, Rune {CharClass.Classify(rune)}");
        }
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void RegexPathAgreesWithTheScannerOutsideTheBmp(string encoding)
    {
        // The same pattern, wrapped in a group so that it is not recognised, runs on the regex path; letters, marks
        // and digits outside the BMP (which .NET's \p classes miss on raw UTF-16) must split as the scanner splits them.
        string pattern = encoding == "o200k_base" ? Core.Patterns.KnownPatterns.O200k : Core.Patterns.KnownPatterns.Cl100k;
        Tokenizer scanned = TestData.Tiktoken(encoding);
        Tokenizer regex = Tokenizer.FromVocabularyFile(TestData.VocabularyPath(encoding), new Core.Compilation.CompileOptions(Pattern: "(?:" + pattern + ")"));
        Assert.False(regex.IsScannedForTests);
        string[] texts =
        [
            "The 𝔢𝔵𝔞𝔪𝔭𝔩𝔢 of 𝐁𝐨𝐥𝐝 words, 𝟏𝟐𝟑 digits and 😀 emoji 👨‍👩‍👧 here.",
            "𐌰𐌱𐌲 gothic 𐐀𐐨 deseret's 𝒜𝒷𝒸\n\n  𝔞",
            EngineTestSupport.Corpus("emoji-unicode-emoji-test")[..6000],
        ];
        foreach (string text in texts)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            Assert.Equal(scanned.CountPreTokens(utf8), regex.CountPreTokens(utf8));
            Assert.Equal(scanned.EncodeToIds(text, SpecialTokenPolicy.TreatAsText), regex.EncodeToIds(text, SpecialTokenPolicy.TreatAsText));
        }
    }

    private static (Scan Fast, Scan General) For(string scanner)
    {
        var scans = PieceScanners.For(scanner);
        return (scans.Fast, scans.General);
    }

    private static void AssertSameBoundaries(Scan fast, Scan general, byte[] text, string context)
    {
        for (int position = 0; position < text.Length;)
        {
            int expected = general(text, position);
            int actual = fast(text, position);
            if (expected != actual)
            {
                string at = Encoding.UTF8.GetString(text, position, Math.Min(text.Length - position, 24));
                Assert.Fail($"{context}: at byte {position} ('{at}') the fast path ends the piece at {actual}, the general scanner at {expected}");
            }

            position = expected;
        }
    }
}
