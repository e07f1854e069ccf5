using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using TokenizerCompiler.Analyzers.CodeFixes;
using Xunit;

namespace TokenizerCompiler.Analyzers.Tests;

public class UnknownSpecialTokenTests
{
    [Fact]
    public async Task ChatMLTokenOnO200kIsAnErrorAtTheLiteralWithSuggestions()
    {
        const string source = """
            public static class Chat
            {
                public static int Start() => O200k.Tokenizer.TryGetSpecialTokenId("<|im_start|>", out int id) ? id : -1;
            }
            """;
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source));

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("TKC1001", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("\"<|im_start|>\"", AnalyzerHarness.At(diagnostic));
        Assert.Equal("'<|im_start|>' is not a special token of O200k; did you mean '<|endoftext|>', '<|endofprompt|>'?", diagnostic.GetMessage());
        Assert.EndsWith("docs/rules/TKC1001.md", diagnostic.Descriptor.HelpLinkUri);
    }

    [Fact]
    public async Task MisspeltTokenSuggestsTheNearestFirst()
    {
        const string source = """
            public static class Chat
            {
                public static bool Prompt() => Cl100k.Tokenizer.TryGetSpecialTokenId("<|endofpromt|>", out _);
            }
            """;
        Diagnostic diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source)));
        Assert.StartsWith("'<|endofpromt|>' is not a special token of Cl100k; did you mean '<|endofprompt|>', ", diagnostic.GetMessage());
    }

    [Fact]
    public async Task ExistingTokensVariablesAndRunTimeTokenizersAreNotReported()
    {
        const string source = """
            public static class Chat
            {
                public static bool Known() => O200k.Tokenizer.TryGetSpecialTokenId("<|endofprompt|>", out _)
                    && Cl100k.Tokenizer.TryGetSpecialTokenId("<|fim_middle|>", out _);

                public static bool Variable(string text) => O200k.Tokenizer.TryGetSpecialTokenId(text, out _);

                public static bool RunTime(TokenizerCompiler.Tokenizer tokenizer) => tokenizer.TryGetSpecialTokenId("<|im_start|>", out _);
            }
            """;
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source)));
    }

    [Fact]
    public async Task LocalHoldingTheCompiledTokenizerIsFollowed()
    {
        const string source = """
            public static class Chat
            {
                public static bool Lookup()
                {
                    var tokenizer = Cl100k.Tokenizer;
                    return tokenizer.TryGetSpecialTokenId("<|im_end|>", out _);
                }
            }
            """;
        Diagnostic diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source)));
        Assert.Equal("TKC1001", diagnostic.Id);
    }

    [Fact]
    public async Task FixReplacesTheTextWithTheNearestTokenAndTheResultCompilesClean()
    {
        const string source = """
            public static class Chat
            {
                public static int End() => O200k.Tokenizer.TryGetSpecialTokenId("<|endoftxt|>", out int id) ? id : -1;
            }
            """;
        string fixedSource = await CodeFixHarness.ApplyAsync(AnalyzerHarness.Compile(source), new UnknownSpecialTokenAnalyzer(), new UseClosestSpecialTokenCodeFix(), "TKC1001");

        Assert.Contains("TryGetSpecialTokenId(\"<|endoftext|>\", out int id)", fixedSource);
        Compilation recompiled = AnalyzerHarness.Compile(fixedSource);
        AnalyzerHarness.AssertCompiles(recompiled);
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(recompiled));
    }
}
