using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace TokenizerCompiler.Generator.Tests;

/// <summary>
/// Malformed and adversarial rank files, each through the real generator: every one is either compiled (when
/// it is merely unusual) or reported as a diagnostic with a location in the file — never a generator exception,
/// which Roslyn would turn into warning CS8785 and no output.
/// </summary>
public class HostileVocabularyTests
{
    private const string Declaration = """
        using TokenizerCompiler;
        [Tokenizer("r50k_base.tiktoken")]
        public static partial class Hostile;
        """;

    private static readonly string[] s_realLines = File.ReadAllLines(GeneratorHarness.TiktokenPath("r50k_base"));

    /// <summary>The first 300 lines of r50k_base (all 256 byte tokens and some merges), with edits.</summary>
    private static string Vocabulary(Func<string[], string[]> edit, string newline = "\n") =>
        string.Join(newline, edit(s_realLines.Take(300).ToArray())) + newline;

    private static (Diagnostic[] Diagnostics, int Trees) Run(string text)
    {
        var file = new GeneratorHarness.InMemoryAdditionalText("/project/r50k_base.tiktoken", text);
        var (driver, _, diagnostics) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Declaration), file);
        GeneratorDriverRunResult result = driver.GetRunResult();
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785");
        return (diagnostics.ToArray(), result.GeneratedTrees.Length);
    }

    private static void AssertErrorAt(string text, string id, int line, string messagePart)
    {
        var (diagnostics, trees) = Run(text);
        Diagnostic error = Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(id, error.Id);
        Assert.Equal(line, error.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal("/project/r50k_base.tiktoken", error.Location.GetLineSpan().Path);
        Assert.Contains(messagePart, error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(0, trees);
    }

    [Fact]
    public void TruncatedLastLine() =>
        AssertErrorAt(Vocabulary(l => l.Take(299).Append("aGVs").ToArray()).TrimEnd('\n'), "TKC0002", 299, "has no rank");

    [Fact]
    public void InvalidBase64() => AssertErrorAt(Vocabulary(l => Edit(l, 120, "@@@@ 120")), "TKC0002", 120, "not valid base64");

    [Fact]
    public void RankThatIsNotANumber() => AssertErrorAt(Vocabulary(l => Edit(l, 7, "IQ== seven")), "TKC0002", 7, "not a rank");

    [Fact]
    public void NegativeRank() => AssertErrorAt(Vocabulary(l => Edit(l, 7, "IQ== -7")), "TKC0002", 7, "not a rank");

    [Fact]
    public void HugeRank() => AssertErrorAt(Vocabulary(l => l.Append("aGVsbG8gd29ybGQ= 999999999999").ToArray()), "TKC0002", 300, "not a rank");

    [Fact]
    public void DuplicateRank() => AssertErrorAt(Vocabulary(l => Edit(l, 280, l[280].Split(' ')[0] + " 5")), "TKC0003", 280, "rank 5");

    [Fact]
    public void DuplicateToken() => AssertErrorAt(Vocabulary(l => l.Append(l[10].Split(' ')[0] + " 300").ToArray()), "TKC0003", 300, "appears twice");

    [Fact]
    public void EmptyFile()
    {
        var (diagnostics, trees) = Run(string.Empty);
        Assert.Equal("TKC0008", Assert.Single(diagnostics).Id);
        Assert.Equal(0, trees);
    }

    [Fact]
    public void MissingSingleByteToken()
    {
        var (diagnostics, trees) = Run(Vocabulary(l => l.Where((_, i) => i != 65).ToArray()));
        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal("TKC0002", error.Id);
        Assert.Contains("byte 0x", error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(0, trees);
    }

    [Fact]
    public void BinaryGarbageIsReportedNotCrashed()
    {
        var random = new Random(1234);
        var bytes = new byte[20_000];
        random.NextBytes(bytes);
        var (diagnostics, trees) = Run(Encoding.Latin1.GetString(bytes));
        Assert.Contains(diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Id == "TKC0002");
        Assert.Equal(0, trees);
    }

    [Fact]
    public void TenMegabyteToken()
    {
        string huge = Convert.ToBase64String(Enumerable.Repeat((byte)'x', 10 * 1024 * 1024).ToArray());
        var (diagnostics, trees) = Run(Vocabulary(l => l.Append(huge + " 300").ToArray()));
        Assert.Empty(diagnostics);
        Assert.Equal(2, trees); // unusual but valid: it compiles
    }

    [Fact]
    public void ByteOrderMarkAndCrlfCompile()
    {
        var (diagnostics, trees) = Run("\uFEFF" + Vocabulary(l => l, "\r\n"));
        Assert.Empty(diagnostics);
        Assert.Equal(2, trees);
    }

    [Fact]
    public void RankHolesCompile()
    {
        var (diagnostics, trees) = Run(Vocabulary(l => l.Where((_, i) => i != 280).Append("aGVsbG8= 40000").ToArray()));
        Assert.Empty(diagnostics);
        Assert.Equal(2, trees);
    }

    private static string[] Edit(string[] lines, int index, string replacement)
    {
        lines[index] = replacement;
        return lines;
    }
}
