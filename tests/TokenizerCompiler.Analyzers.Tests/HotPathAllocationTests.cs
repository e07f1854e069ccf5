using System;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using TokenizerCompiler.Analyzers.CodeFixes;
using Xunit;

namespace TokenizerCompiler.Analyzers.Tests;

public class HotPathAllocationTests
{
    private const string LoopSource = """
        public static class Corpus
        {
            public static int CountAll(string[] lines)
            {
                int total = 0;
                foreach (string line in lines)
                {
                    var ids = O200k.Tokenizer.EncodeToIds(line, TokenizerCompiler.SpecialTokenPolicy.Allow);
                    total += ids.Length;
                    if (ids.Length > 0 && ids[0] == O200k.SpecialTokens.EndOfText)
                    {
                        total += 1000;
                    }
                }

                return total;
            }
        }
        """;

    private static async Task<Diagnostic[]> Tkc1004(string source) =>
        (await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source), new HotPathAllocationAnalyzer())).ToArray();

    [Fact]
    public async Task AllocatingOverloadsInLoopsAreWarnings()
    {
        const string source = """
            public static class Corpus
            {
                public static int Lines(string[] lines)
                {
                    int total = 0;
                    for (int i = 0; i < lines.Length; i++)
                    {
                        total += O200k.Tokenizer.EncodeToIds(lines[i]).Length;
                    }

                    int j = 0;
                    while (j < 3)
                    {
                        total += Cl100k.Tokenizer.Decode(new[] { j++ }).Length;
                    }

                    return total;
                }
            }
            """;
        Diagnostic[] diagnostics = await Tkc1004(source);

        Assert.Equal(new[] { "O200k.Tokenizer.EncodeToIds(lines[i])", "Cl100k.Tokenizer.Decode(new[] { j++ })" }, diagnostics.Select(AnalyzerHarness.At));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal("'Tokenizer.EncodeToIds(string, SpecialTokenPolicy)' allocates a new int[] on every call inside a loop: use the span overload with a pooled buffer",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task HotPathAttributeMarksAMethodWithoutALoop()
    {
        const string source = """
            using TokenizerCompiler;

            public static class Handler
            {
                [TokenizerHotPath]
                public static string Echo(System.ReadOnlySpan<int> ids) => O200k.Tokenizer.Decode(ids);

                public static string Cold(System.ReadOnlySpan<int> ids) => O200k.Tokenizer.Decode(ids);

                [TokenizerHotPath]
                public static int[] Greeting => Cl100k.Tokenizer.EncodeToIds("Hello");
            }
            """;
        Diagnostic[] diagnostics = await Tkc1004(source);
        Assert.Equal(new[] { "O200k.Tokenizer.Decode(ids)", "Cl100k.Tokenizer.EncodeToIds(\"Hello\")" }, diagnostics.Select(AnalyzerHarness.At));
        Assert.All(diagnostics, d => Assert.Contains("in a [TokenizerHotPath] member", d.GetMessage()));
    }

    [Fact]
    public async Task SpanOverloadsLoopCollectionsAndLambdasAreNotReported()
    {
        const string source = """
            using System;
            using System.Linq;

            public static class Corpus
            {
                public static int Lines(string[] lines, TokenizerCompiler.Tokenizer tokenizer)
                {
                    int total = 0;
                    Span<int> buffer = stackalloc int[1024];
                    foreach (string line in lines)
                    {
                        total += O200k.Tokenizer.EncodeToIds(line, buffer);
                        total += O200k.Tokenizer.CountTokens(line);
                        Func<string, int[]> later = s => tokenizer.EncodeToIds(s);
                    }

                    foreach (int id in O200k.Tokenizer.EncodeToIds(lines[0]))
                    {
                        total += id;
                    }

                    for (int[] ids = Cl100k.Tokenizer.EncodeToIds(lines[0]); total < 0;)
                    {
                        total++;
                    }

                    return total + O200k.Tokenizer.Decode(buffer[..1]).Length;
                }
            }
            """;
        Assert.Empty(await Tkc1004(source));
    }

    [Fact]
    public async Task FixEncodesIntoAPooledBufferCompilesAndGivesTheSameResult()
    {
        string fixedSource = await CodeFixHarness.ApplyAsync(AnalyzerHarness.Compile(LoopSource), new HotPathAllocationAnalyzer(), new PooledEncodeCodeFix(), "TKC1004");

        Assert.Contains("ArrayPool<int>.Shared.Rent(", fixedSource);
        Assert.Contains("ArrayPool<int>.Shared.Return(idsBuffer)", fixedSource);
        Assert.Contains("O200k.Tokenizer.EncodeToIds(line, idsBuffer, TokenizerCompiler.SpecialTokenPolicy.Allow)", fixedSource);

        Compilation before = AnalyzerHarness.Compile(LoopSource);
        Compilation after = AnalyzerHarness.Compile(fixedSource);
        AnalyzerHarness.AssertCompiles(after);
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(after));

        string[] lines = { "Hello, world!", "<|endoftext|> is a special token here", "Grüße, 世界 🌍", string.Empty };
        int expected = Run(before, lines);
        Assert.True(expected > 1000, "the special token at the start of a line must count");
        Assert.Equal(expected, Run(after, lines));
    }

    [Fact]
    public async Task FixIsOfferedOnlyForALocalInitialisedFromEncodeToIdsOfAString()
    {
        const string source = """
            public static class Corpus
            {
                public static int Total(string[] lines)
                {
                    int total = 0;
                    foreach (string line in lines)
                    {
                        total += O200k.Tokenizer.EncodeToIds(line).Length;
                    }

                    return total;
                }
            }
            """;
        Assert.False(await CodeFixHarness.IsOfferedAsync(AnalyzerHarness.Compile(source), new HotPathAllocationAnalyzer(), new PooledEncodeCodeFix(), "TKC1004"));
    }

    private static int Run(Compilation compilation, string[] lines)
    {
        Assembly assembly = AnalyzerHarness.EmitAndLoad(compilation);
        MethodInfo method = assembly.GetType("Corpus")!.GetMethod("CountAll")!;
        return (int)method.Invoke(null, new object[] { lines })!;
    }
}
