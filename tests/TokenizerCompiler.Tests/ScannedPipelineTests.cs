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
    [InlineData("qwen3", false)]
    [InlineData("deepseek_v3", false)]
    [InlineData("gemma3", false)]
    public void KnownPatternsTakeTheScannedPath(string name, bool scanned)
    {
        Assert.Equal(scanned, HuggingFaceVocabularies.Get(name).IsScannedPipeline);
    }

    [Theory]
    [InlineData("llama3")]
    [InlineData("gpt4o")]
    public void ScannedAndRegexPathsAgreeOnGeneratedText(string name)
    {
        Tokenizer scanned = HuggingFaceVocabularies.Get(name);
        // An empty non-capturing group first: the same language, but not a pattern the compiler recognises.
        string json = HuggingFaceVocabularies.NpmTokenizerJson(name).Replace("\"Regex\": \"", "\"Regex\": \"(?:)", StringComparison.Ordinal);
        Tokenizer regex = Tokenizer.FromVocabularyText(name + "/tokenizer.json", json);
        Assert.False(regex.IsScannedPipeline);

        PropertyTests.Text.Sample(text =>
            scanned.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(regex.EncodeToIds(text, SpecialTokenPolicy.Allow)), iter: 300);
    }

    [Fact]
    public void UnrecognisedSplitPatternIsReportedAsTheSlowPath()
    {
        CompilationOutput output = VocabularyCompiler.Compile("tokenizer.json", HuggingFaceVocabularies.NpmTokenizerJson("qwen3"), new CompileOptions());

        Assert.NotNull(output.Image);
        CompilerDiagnostic info = Assert.Single(output.Diagnostics);
        Assert.Equal(DiagnosticIds.SlowPathPattern, info.Id);
        Assert.Equal(DiagnosticSeverityLevel.Info, info.Severity);
        Assert.StartsWith("pre_tokenizer.pretokenizers[0].pattern:", info.Message, StringComparison.Ordinal);
    }
}
