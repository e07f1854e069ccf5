using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using TokenizerCompiler.Analyzers.CodeFixes;
using Xunit;

namespace TokenizerCompiler.Analyzers.Tests;

public class MigrationTests
{
    private static async Task<ImmutableArray<Diagnostic>> Analyze(string source) =>
        await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.RunGenerator(new[] { source }).Output, new MigrationAnalyzer());

    [Fact]
    public async Task ConstantPathLoadIsAnInfoWithTheDeclarationToAdd()
    {
        const string source = """
            using TokenizerCompiler;

            public static class Loader
            {
                public static int Count(string text) => Tokenizer.FromVocabularyFile("vocab/r50k_base.tiktoken").CountTokens(text);
            }
            """;
        Diagnostic diagnostic = Assert.Single(await Analyze(source));

        Assert.Equal("TKC1005", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Equal("Tokenizer.FromVocabularyFile(\"vocab/r50k_base.tiktoken\")", AnalyzerHarness.At(diagnostic));
        Assert.Equal("Tokenizer.FromVocabularyFile loads 'vocab/r50k_base.tiktoken' at run time: declare [Tokenizer(\"r50k_base.tiktoken\")] to compile it into the assembly",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task MLTokenizersFactoriesForKnownModelsAndEncodingsAreReported()
    {
        const string source = """
            using Microsoft.ML.Tokenizers;

            public static class Loader
            {
                public static TiktokenTokenizer Model() => TiktokenTokenizer.CreateForModel("gpt-4o-mini");
                public static TiktokenTokenizer Encoding() => TiktokenTokenizer.CreateForEncoding("cl100k_base");
                public static TiktokenTokenizer Unknown() => TiktokenTokenizer.CreateForModel("llama-3");
            }
            """;
        ImmutableArray<Diagnostic> diagnostics = await Analyze(source);

        Assert.Equal(new[] { "o200k_base.tiktoken", "cl100k_base.tiktoken" },
            diagnostics.Select(d => d.Properties[MigrationAnalyzer.VocabularyFileProperty]));
        Assert.Equal(new[] { "O200kBase", "Cl100kBase" }, diagnostics.Select(d => d.Properties[MigrationAnalyzer.ClassNameProperty]));
    }

    [Fact]
    public async Task VariablePathsAndExplicitOptionsAreNotReported()
    {
        const string source = """
            using TokenizerCompiler;
            using TokenizerCompiler.Core.Compilation;

            public static class Loader
            {
                public static Tokenizer FromArgument(string path) => Tokenizer.FromVocabularyFile(path);
                public static Tokenizer WithOptions(CompileOptions options) => Tokenizer.FromVocabularyFile("custom.tiktoken", options);
            }
            """;
        Assert.Empty(await Analyze(source));
    }

    [Fact]
    public async Task FixDeclaresTheCompiledTokenizerUsesItAndTheProjectBuilds()
    {
        const string source = """
            using TokenizerCompiler;

            namespace App
            {
                public static class Loader
                {
                    public static int Count(string text)
                    {
                        Tokenizer tokenizer = Tokenizer.FromVocabularyFile("vocab/r50k_base.tiktoken");
                        return tokenizer.CountTokens(text);
                    }
                }
            }
            """;
        Compilation compilation = AnalyzerHarness.RunGenerator(new[] { source }).Output;
        string fixedSource = await CodeFixHarness.ApplyAsync(compilation, new MigrationAnalyzer(), new DeclareCompiledTokenizerCodeFix(), "TKC1005");

        Assert.Contains("var tokenizer = R50kBase.Tokenizer;", fixedSource);
        Assert.Contains("[global::TokenizerCompiler.Tokenizer(\"r50k_base.tiktoken\")]", fixedSource);

        var (output, generatorDiagnostics) = AnalyzerHarness.RunGenerator(new[] { fixedSource }, "r50k_base");
        Assert.Empty(generatorDiagnostics);
        AnalyzerHarness.AssertCompiles(output);
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(output));
        var count = (int)AnalyzerHarness.EmitAndLoad(output).GetType("App.Loader")!.GetMethod("Count")!.Invoke(null, new object[] { "Hello, world!" })!;
        Assert.Equal(4, count);
    }

    [Fact]
    public async Task FixReplacesMLTokenizersInTopLevelCode()
    {
        const string source = """
            using Microsoft.ML.Tokenizers;

            var tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");
            System.Console.WriteLine(tokenizer.CountTokens("Hello, world!"));
            """;
        var (compilation, _) = AnalyzerHarness.RunGenerator(new[] { source });
        Compilation exe = compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication));
        string fixedSource = await CodeFixHarness.ApplyAsync(exe, new MigrationAnalyzer(), new DeclareCompiledTokenizerCodeFix(), "TKC1005");

        Assert.Contains("var tokenizer = O200kBase.Tokenizer;", fixedSource);
        var (output, generatorDiagnostics) = AnalyzerHarness.RunGenerator(new[] { fixedSource }, "o200k_base");
        Assert.Empty(generatorDiagnostics);
        AnalyzerHarness.AssertCompiles(output.WithOptions(output.Options.WithOutputKind(OutputKind.ConsoleApplication)));
    }

    [Fact]
    public async Task FixReusesAnExistingDeclaration()
    {
        const string source = """
            using TokenizerCompiler;

            [Tokenizer("r50k_base.tiktoken")]
            public static partial class R50kBase;

            public static class Loader
            {
                public static Tokenizer Load() => Tokenizer.FromVocabularyFile("r50k_base.tiktoken");
            }
            """;
        var (compilation, _) = AnalyzerHarness.RunGenerator(new[] { source }, "r50k_base");
        string fixedSource = await CodeFixHarness.ApplyAsync(compilation, new MigrationAnalyzer(), new DeclareCompiledTokenizerCodeFix(), "TKC1005");

        Assert.Contains("=> R50kBase.Tokenizer;", fixedSource);
        Assert.Single(fixedSource.Split("[Tokenizer(").Skip(1));
        Assert.DoesNotContain("global::TokenizerCompiler.Tokenizer(", fixedSource);
    }
}
