using System;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using TokenizerCompiler.Core.Compilation;
using TokenizerCompiler.Core.Diagnostics;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Pipelines whose split pattern is a known model pattern run on the hand-written scanners straight from UTF-8; the
/// same tokenizer with its pattern made unrecognisable runs on System.Text.RegularExpressions. Both must give the
/// same ids on generated mixed-script text (the corpus goldens already pin the fast path to Hugging Face), and an
/// unrecognised pattern is reported as the slow path (TKC0007).
/// </summary>
public class ScannedPipelineTests
{
    [Theory]
    [InlineData("llama3", true)]
    [InlineData("gpt4o", true)]
    [InlineData("kl3m-001-32k", true)]
    [InlineData("qwen3", true)]
    [InlineData("claude", true)]
    [InlineData("deepseek_v3", true)]
    [InlineData("gemma3", false)]
    public void KnownPatternsTakeTheScannedPath(string name, bool scanned)
    {
        Assert.Equal(scanned, HuggingFaceVocabularies.Get(name).IsScannedPipeline);
    }

    [Theory]
    [InlineData("llama3")]
    [InlineData("gpt4o")]
    [InlineData("qwen3")]
    [InlineData("deepseek_v3")]
    public void ScannedAndRegexPathsAgreeOnGeneratedText(string name)
    {
        Tokenizer scanned = HuggingFaceVocabularies.Get(name);
        // An empty non-capturing group first: the same language, but not a pattern the compiler recognises.
        string json = HuggingFaceVocabularies.NpmTokenizerJson(name).Replace("\"Regex\": \"", "\"Regex\": \"(?:)", StringComparison.Ordinal);
        Tokenizer regex = Tokenizer.FromVocabularyText(name + "/tokenizer.json", json);
        Assert.False(regex.IsScannedPipeline);

        PropertyTests.Text.Sample(text =>
            scanned.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(regex.EncodeToIds(text, SpecialTokenPolicy.Allow)), iter: 300);

        // Qwen normalizes with NFC, so only ASCII text takes the scanner: check that path on ASCII too.
        Gen.Char[' ', '~'].Array[0, 200].Select(chars => new string(chars)).Sample(text =>
            scanned.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(regex.EncodeToIds(text, SpecialTokenPolicy.Allow)), iter: 300);
    }

    [Theory]
    [InlineData("qwen3")]
    public void LongTextWithSomeUnnormalizedCharactersEncodesInChunksAsTheRegexPathDoes(string name)
    {
        // Qwen normalizes with NFC: a long text with a few decomposed characters is encoded in chunks, the chunks
        // with those characters on the full path and the others on the scanner. The whole must equal the regex
        // path's encoding of the whole, also when encoding stops for a small destination and resumes.
        Tokenizer chunked = HuggingFaceVocabularies.Get(name);
        string json = HuggingFaceVocabularies.NpmTokenizerJson(name).Replace("\"Regex\": \"", "\"Regex\": \"(?:)", StringComparison.Ordinal);
        Tokenizer regex = Tokenizer.FromVocabularyText(name + "/tokenizer.json", json);
        var builder = new System.Text.StringBuilder();
        foreach (string file in new[] { "prose-en-python-faq", "code-python-test-re", "legal-permissive-licences-udhr", "whitespace-crlf-dotnet-xmldoc", "prose-en-node-api-docs" })
        {
            builder.Append(EngineTestSupport.Corpus(file)).Append("Cafe\u0301 A\u030Angstro\u0308m\nx\n\nY \r\nZ\n");

            // Line breaks before indented lines, where Qwen's pattern lets a chunk end: after a space, a tab, a
            // carriage return, a blank line, punctuation; and decomposed characters on the indented lines.
            builder.Append(string.Concat(Enumerable.Repeat("def f():\n    return 'e\u0301'  \n\t\tx = 1:\n\n    y\r\n  \n   z = [\n        'A\u030A',\n    ]\n", 40)));

            // Indentation followed by another line break or a non-ASCII space joins the line breaks' piece
            // (\s*[\r\n]+ takes both): no cut there (a generated text found this).
            builder.Append(string.Concat(Enumerable.Repeat("a\u3000\r\n\t\r\n\t\tb\n  \n\u3000c\n \u3000\nd\u0301\n", 60)));
        }

        string text = builder.ToString();
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(text) > 100_000);
        Assert.False(text.IsNormalized(System.Text.NormalizationForm.FormC));
        AssertChunkedEncoding(chunked, text, regex.EncodeToIds(text, SpecialTokenPolicy.Allow));
    }

    [Fact]
    public void Kl3m003CodeWithCharactersNfkcChangesEncodesInChunksAsItsNormalFormDoes()
    {
        // KL3M-003 (GPT-2's pattern, NFKC) finds few line-break cuts in code, so a chunk the form changes is cut
        // before spaces between visible ASCII characters. Its added tokens include runs of spaces, tabs and line
        // breaks, so a cut inside such a run would change the ids. The reference is the encoding of the text's
        // NFKC form, which the scanner takes whole; the inserted characters (ligature fi, fullwidth letters inside
        // words) do not form an added token when normalized.
        Tokenizer chunked = HuggingFaceVocabularies.Get("kl3m-003-64k");
        var builder = new System.Text.StringBuilder();
        foreach (string file in new[] { "code-python-test-re", "code-rust-regex-syntax", "code-c-sqlite3-h", "prose-en-python-faq" })
        {
            builder.Append(EngineTestSupport.Corpus(file).Replace("fi", "\uFB01", StringComparison.Ordinal));
            builder.Append(string.Concat(Enumerable.Repeat("    x  =  co\uFF4Efig[i]  +  y;\t\tz =\t\uFB01nal  \n\tif a  and  b:   c\u0301   d\n", 50)));
        }

        string text = builder.ToString();
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(text) > 100_000);
        Assert.False(text.IsNormalized(System.Text.NormalizationForm.FormKC));
        AssertChunkedEncoding(chunked, text, chunked.EncodeToIds(text.Normalize(System.Text.NormalizationForm.FormKC), SpecialTokenPolicy.Allow));
    }

    /// <summary>Encodes <paramref name="text"/> whole and resumed through a small destination; both must give <paramref name="expected"/>.</summary>
    private static void AssertChunkedEncoding(Tokenizer chunked, string text, int[] expected)
    {
        Assert.Equal(expected, chunked.EncodeToIds(text, SpecialTokenPolicy.Allow));

        var resumed = new System.Collections.Generic.List<int>();
        int[] destination = new int[777];
        ReadOnlySpan<char> rest = text;
        while (true)
        {
            System.Buffers.OperationStatus status = chunked.EncodeToIds(rest, destination, out int used, out int written, SpecialTokenPolicy.Allow);
            resumed.AddRange(destination.AsSpan(0, written).ToArray());
            rest = rest[used..];
            if (status == System.Buffers.OperationStatus.Done)
            {
                break;
            }

            Assert.True(used > 0 || written > 0, "encoding made progress");
        }

        Assert.Equal(expected, resumed);
    }

    [Theory]
    [InlineData("カタ・カナ゠ア゛イ\u3040ウ\u3099ー")]              // punctuation, symbols, an unassigned code point and a mark in a kana run
    [InlineData("漢字abc漢 字 1漢2 ３４５６７")]                         // CJK runs end pieces; digits three at a time, any script
    [InlineData("a.com _x $y ..z 'sé .é (A)")]                          // ASCII punctuation then ASCII letters
    [InlineData("\u0000\u0001abc\u0002 \u0003\u0004\u200B\u00ADx")] // characters no alternative matches, and prefixes
    [InlineData("  \n\n  x \t y\u00A0z   \r\n\u3000\u3000é \u2028 ")]   // whitespace runs, with and without line breaks
    [InlineData("x \n1 2\t3 漢 \u0301é e\u0301\u0302 !!\n\n?? «»¿¡ ½⅓ ⑴")] // whitespace before a segment's end, marks, symbols
    public void DeepSeekScannerAgreesWithItsRegexesOnEdgeCases(string text)
    {
        Tokenizer scanned = HuggingFaceVocabularies.Get("deepseek_v3");
        string json = HuggingFaceVocabularies.NpmTokenizerJson("deepseek_v3").Replace("\"Regex\": \"", "\"Regex\": \"(?:)", StringComparison.Ordinal);
        Tokenizer regex = Tokenizer.FromVocabularyText("deepseek_v3/tokenizer.json", json);
        Assert.False(regex.IsScannedPipeline);
        Assert.Equal(regex.EncodeToIds(text, SpecialTokenPolicy.Allow), scanned.EncodeToIds(text, SpecialTokenPolicy.Allow));
    }

    [Fact]
    public void UnrecognisedSplitPatternIsReportedAsTheSlowPath()
    {
        // DeepSeek V3's three splits are recognised together; with its word pattern changed none of them is.
        string json = HuggingFaceVocabularies.NpmTokenizerJson("deepseek_v3");
        Assert.Empty(VocabularyCompiler.Compile("tokenizer.json", json, new CompileOptions()).Diagnostics);
        string changed = json.Replace("\"Regex\": \"[!", "\"Regex\": \"(?:)[!", StringComparison.Ordinal);
        Assert.NotEqual(json, changed);
        CompilationOutput output = VocabularyCompiler.Compile("tokenizer.json", changed, new CompileOptions());

        Assert.NotNull(output.Image);
        Assert.Equal(3, output.Diagnostics.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(DiagnosticIds.SlowPathPattern, output.Diagnostics[i].Id);
            Assert.Equal(DiagnosticSeverityLevel.Info, output.Diagnostics[i].Severity);
            Assert.StartsWith($"pre_tokenizer.pretokenizers[{i}].pattern:", output.Diagnostics[i].Message, StringComparison.Ordinal);
        }

        Assert.Empty(VocabularyCompiler.Compile("tokenizer.json", HuggingFaceVocabularies.NpmTokenizerJson("qwen3"), new CompileOptions()).Diagnostics);
    }
}
