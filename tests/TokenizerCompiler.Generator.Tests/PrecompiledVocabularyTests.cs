extern alias Gen;

using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using TokenizerCompiler.Core.Compilation;
using Xunit;

namespace TokenizerCompiler.Generator.Tests;

/// <summary>
/// The path a real build takes: the MSBuild step compiled the vocabulary into an image (a manifest resource)
/// and a summary; the generator reads only the summary and emits a class that opens the resource.
/// </summary>
public class PrecompiledVocabularyTests
{
    private const string Declaration = """
        using TokenizerCompiler;
        namespace Demo;
        [Tokenizer("cl100k_base.tiktoken", Pattern = "cl100k")]
        public static partial class Cl100k;
        """;

    private static (GeneratorHarness.InMemoryAdditionalText Summary, byte[]? Image) Precompile(string vocabularyPath, string text)
    {
        CompilationOutput output = VocabularyCompiler.Compile(vocabularyPath, text, new CompileOptions());
        string summary = CompilationSummary.From(vocabularyPath, "TokenizerCompiler.cl100k_base.tiktoken.tkc", output).Write();
        return (new GeneratorHarness.InMemoryAdditionalText("/project/obj/tkc/cl100k_base.tiktoken.tkc-summary", summary), output.Image);
    }

    [Fact]
    public void SummaryAndResourceGiveTheSameTokenizerAsTheRuntimeLoader()
    {
        string path = GeneratorHarness.TiktokenPath("cl100k_base");
        var (summary, image) = Precompile(path, File.ReadAllText(path));
        var (driver, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Declaration), summary);

        Assert.Empty(diagnostics);
        Assert.Single(driver.GetRunResult().GeneratedTrees); // the class only: no image literal to compile
        using var stream = new MemoryStream();
        var resource = new ResourceDescription("TokenizerCompiler.cl100k_base.tiktoken.tkc", () => new MemoryStream(image!), isPublic: true);
        Assert.True(output.Emit(stream, manifestResources: new[] { resource }).Success);
        Type type = Assembly.Load(stream.ToArray()).GetType("Demo.Cl100k")!;
        var compiled = (Tokenizer)type.GetProperty("Tokenizer")!.GetValue(null)!;

        string text = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "data", "corpus", "cjk-ja.txt"));
        Tokenizer loaded = Tokenizer.FromVocabularyFile(path);
        Assert.Equal(loaded.EncodeToIds(text, SpecialTokenPolicy.TreatAsText), compiled.EncodeToIds(text, SpecialTokenPolicy.TreatAsText));
        Assert.Equal(100277, (int)type.GetField("VocabularySize")!.GetValue(null)!);
        Assert.Equal(100276, (int)type.GetNestedType("SpecialTokens")!.GetField("EndOfPrompt")!.GetValue(null)!);
    }

    [Fact]
    public void DiagnosticsFromTheBuildStepKeepTheirVocabularyLocation()
    {
        string path = GeneratorHarness.TiktokenPath("cl100k_base");
        string[] lines = File.ReadLines(path).Take(400).ToArray();
        lines[6] = "QUJD 5"; // the token "ABC" given rank 5, which another line already has
        var (summary, _) = Precompile("/project/vocab/cl100k_base.tiktoken", string.Join("\n", lines));

        var (_, _, diagnostics) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Declaration), summary);

        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal("TKC0003", error.Id);
        FileLinePositionSpan span = error.Location.GetLineSpan();
        Assert.Equal("/project/vocab/cl100k_base.tiktoken", span.Path);
        Assert.Equal(6, span.StartLinePosition.Line);
    }

    [Fact]
    public void PatternThatContradictsTheBuildStepIsAnError()
    {
        string path = GeneratorHarness.TiktokenPath("cl100k_base");
        var (summary, _) = Precompile(path, File.ReadAllText(path));
        var (_, _, diagnostics) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(
            Declaration.Replace("Pattern = \"cl100k\"", "Pattern = \"o200k\"", StringComparison.Ordinal)), summary);

        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal("TKC0009", error.Id);
        Assert.Equal("Source0.cs", error.Location.GetLineSpan().Path);
        Assert.Contains("Pattern=\"o200k\"", error.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tkc-summary\t1\nsource\t/v/cl100k_base.tiktoken\nvocabularySize\n")]
    [InlineData("tkc-summary\t1\nsource\t/v/cl100k_base.tiktoken\nvocabularySize\t99999999999\n")]
    [InlineData("tkc-summary\t1\nsource\t/v/cl100k_base.tiktoken\ndiagnostic\tTKC0002\n")]
    [InlineData("not a summary")]
    public void DamagedSummaryIsADiagnosticNotAGeneratorCrash(string text)
    {
        var summary = new GeneratorHarness.InMemoryAdditionalText("/project/obj/tkc/cl100k_base.tiktoken.tkc-summary", text);
        var (driver, _, diagnostics) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Declaration), summary);

        Assert.All(driver.GetRunResult().Results, r => Assert.Null(r.Exception));
        Assert.Contains(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
