using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace TokenizerCompiler.Analyzers.Tests;

public class TokenizerMismatchTests
{
    private static async Task<Diagnostic[]> Tkc1003(string source) =>
        (await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source), new TokenIdAnalyzer())).Where(d => d.Id == "TKC1003").ToArray();

    [Fact]
    public async Task EncodedArrayDecodedByAnotherTokenizerIsAWarning()
    {
        const string source = """
            public static class Pipeline
            {
                public static string RoundTrip(string text)
                {
                    int[] ids = O200k.Tokenizer.EncodeToIds(text);
                    var copy = ids;
                    return Cl100k.Tokenizer.Decode(copy);
                }
            }
            """;
        Diagnostic diagnostic = Assert.Single(await Tkc1003(source));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("copy", AnalyzerHarness.At(diagnostic));
        Assert.Equal("Token ids from O200k are used with Cl100k", diagnostic.GetMessage());
    }

    [Fact]
    public async Task SpanDestinationSlicesFieldsAndSpecialTokenConstantsAreTracked()
    {
        const string source = """
            using System;

            public sealed class Pipeline
            {
                private int[] _ids = Array.Empty<int>();

                public int Buffer(string text)
                {
                    Span<int> buffer = stackalloc int[256];
                    int written = O200k.Tokenizer.EncodeToIds(text, buffer);
                    return Cl100k.Tokenizer.GetDecodedByteCount(buffer[..written]);
                }

                public string Field(string text)
                {
                    _ids = Cl100k.Tokenizer.EncodeToIds(text);
                    return O200k.Tokenizer.Decode(_ids.AsSpan(1));
                }

                public bool Constants(string text)
                {
                    int[] ids = O200k.Tokenizer.EncodeToIds(text);
                    return ids[^1] == Cl100k.SpecialTokens.EndOfText
                        || Cl100k.Tokenizer.IsValidId(O200k.SpecialTokens.EndOfPrompt);
                }
            }
            """;
        Diagnostic[] diagnostics = await Tkc1003(source);

        Assert.Equal(new[] { "buffer[..written]", "_ids.AsSpan(1)", "Cl100k.SpecialTokens.EndOfText", "O200k.SpecialTokens.EndOfPrompt" },
            diagnostics.Select(AnalyzerHarness.At));
    }

    [Fact]
    public async Task IdsReturnedByAHelperMethodCarryTheirTokenizer()
    {
        const string source = """
            public static class Pipeline
            {
                private static int[] Prompt(string text) => O200k.Tokenizer.EncodeToIds(text);

                private static int[] Either(string text, bool flag)
                {
                    if (flag)
                    {
                        return O200k.Tokenizer.EncodeToIds(text);
                    }

                    return Cl100k.Tokenizer.EncodeToIds(text);
                }

                public static string Mixed(string text) => Cl100k.Tokenizer.Decode(Prompt(text));

                public static string Same(string text) => O200k.Tokenizer.Decode(Prompt(text));

                public static string Unknown(string text) => O200k.Tokenizer.Decode(Either(text, true));
            }
            """;
        Diagnostic diagnostic = Assert.Single(await Tkc1003(source));
        Assert.Equal("Prompt(text)", AnalyzerHarness.At(diagnostic));
    }

    [Fact]
    public async Task SameTokenizerAndAmbiguousLocalsAreNotReported()
    {
        const string source = """
            public static class Pipeline
            {
                public static string Same(string text)
                {
                    int[] ids = O200k.Tokenizer.EncodeToIds(text);
                    return O200k.Tokenizer.Decode(ids) + (ids[0] == O200k.SpecialTokens.EndOfText);
                }

                public static string Either(string text, bool useO200k)
                {
                    int[] ids = O200k.Tokenizer.EncodeToIds(text);
                    if (!useO200k)
                    {
                        ids = Cl100k.Tokenizer.EncodeToIds(text);
                    }

                    return Cl100k.Tokenizer.Decode(ids);
                }
            }
            """;
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source)));
    }
}
