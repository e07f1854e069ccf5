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
    [InlineData("deepseek_v3", false)]
    [InlineData("gemma3", false)]
    public void KnownPatternsTakeTheScannedPath(string name, bool scanned)
    {
        Assert.Equal(scanned, HuggingFaceVocabularies.Get(name).IsScannedPipeline);
    }

    [Theory]
    [InlineData("llama3")]
    [InlineData("gpt4o")]
    [InlineData("qwen3")]
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

    [Fact]
    public void UnrecognisedSplitPatternIsReportedAsTheSlowPath()
    {
        // DeepSeek V3 splits with three patterns of its own.
        CompilationOutput output = VocabularyCompiler.Compile("tokenizer.json", HuggingFaceVocabularies.NpmTokenizerJson("deepseek_v3"), new CompileOptions());

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
