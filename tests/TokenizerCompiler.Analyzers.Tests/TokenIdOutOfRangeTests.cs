using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace TokenizerCompiler.Analyzers.Tests;

public class TokenIdOutOfRangeTests
{
    private static async Task<Diagnostic[]> Tkc1002(string source) =>
        (await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source), new TokenIdAnalyzer())).Where(d => d.Id == "TKC1002").ToArray();

    [Fact]
    public async Task IdsLiteralPassedToDecodeIsCheckedElementByElement()
    {
        const string source = """
            public static class Ids
            {
                public static string Array() => O200k.Tokenizer.Decode(new[] { 15339, 300000, 200018 });
                public static string Collection() => Cl100k.Tokenizer.Decode([100257, 100261]);
            }
            """;
        Diagnostic[] diagnostics = await Tkc1002(source);

        Assert.Equal(new[] { "300000", "100261" }, diagnostics.Select(AnalyzerHarness.At));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Equal("Token id 300000 is outside the vocabulary (size 200019) of O200k", diagnostics[0].GetMessage());
        Assert.Equal("Token id 100261 names an unused slot of Cl100k", diagnostics[1].GetMessage());
    }

    [Fact]
    public async Task SingleIdArgumentsAreChecked()
    {
        const string source = """
            public static class Ids
            {
                public static int Bytes() => O200k.Tokenizer.GetTokenBytes(200019).Length;
                public static bool Valid() => O200k.Tokenizer.IsValidId(-1);
                public static bool Gap() => O200k.Tokenizer.IsValidId(199998);
                public static bool Fine() => O200k.Tokenizer.IsValidId(199999) && O200k.Tokenizer.GetTokenBytes(0).Length == 1;
            }
            """;
        Diagnostic[] diagnostics = await Tkc1002(source);

        Assert.Equal(new[] { "200019", "-1", "199998" }, diagnostics.Select(AnalyzerHarness.At));
    }

    [Fact]
    public async Task ComparisonsAndSwitchCasesOnEncodedIdsAreChecked()
    {
        const string source = """
            public static class Ids
            {
                public static int Classify(string text)
                {
                    int[] ids = O200k.Tokenizer.EncodeToIds(text);
                    if (ids[0] == 250000 || ids[0] == O200k.SpecialTokens.EndOfText || ids[^1] == -1)
                    {
                        return 0;
                    }

                    int score = 0;
                    foreach (int id in ids)
                    {
                        switch (id)
                        {
                            case 100257: score++; break;
                            case 200005: score--; break;
                        }

                        score += id is 210000 ? 1 : 0;
                    }

                    return score;
                }
            }
            """;
        Diagnostic[] diagnostics = await Tkc1002(source);

        Assert.Equal(new[] { "250000", "200005", "210000" }, diagnostics.Select(AnalyzerHarness.At));
    }

    [Fact]
    public async Task InRangeIdsUnknownTokenizersAndUnrelatedIntegersAreNotReported()
    {
        const string source = """
            public static class Ids
            {
                public static string Decode(TokenizerCompiler.Tokenizer runTime) => runTime.Decode(new[] { 999999 });

                public static bool Unrelated(int[] values) => values[0] == 300000;

                public static string InRange() => O200k.Tokenizer.Decode(new[] { 0, 199997, 199999, 200018 });
            }
            """;
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source)));
    }
}
