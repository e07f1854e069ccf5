using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

public class EncodeCommandTests
{
    [Fact]
    public void IdsOutMatchesTiktokenGoldenByteForByte()
    {
        using var temp = new TempDirectory();
        string idsOut = temp.File("faq.bin");

        CliResult result = CliHarness.Run("encode", "--vocab", "o200k_base", "--input", CliHarness.Corpus("prose-en-python-faq.txt"), "--ids-out", idsOut);

        Assert.True(result.ExitCode == 0, result.ToString());
        byte[] expected = CliHarness.Gunzip(CliHarness.Golden("o200k_base", "prose-en-python-faq"));
        Assert.Equal(expected, File.ReadAllBytes(idsOut));
        Assert.Contains($"{expected.Length / 4} tokens", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("MB/s", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("cl100k_base", "code-js-jquery-min")]
    [InlineData("r50k_base", "whitespace-crlf-dotnet-xmldoc")]
    [InlineData("o200k_base", "hostile-mixed")]
    public void IdsOutFromStdinMatchesGolden(string encoding, string corpus)
    {
        byte[] input = File.ReadAllBytes(CliHarness.Corpus(corpus + ".txt"));

        CliResult result = CliHarness.RunWithInput(input, "encode", "--vocab", encoding, "--ids-out", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CliHarness.Gunzip(CliHarness.Golden(encoding, corpus)), result.Stdout);
    }

    [Fact]
    public void DefaultVocabularyIsO200kBase()
    {
        byte[] input = File.ReadAllBytes(CliHarness.Corpus("prose-en-python-faq.txt"));

        CliResult result = CliHarness.RunWithInput(input, "encode", "--ids-out", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CliHarness.Gunzip(CliHarness.Golden("o200k_base", "prose-en-python-faq")), result.Stdout);
    }

    [Fact]
    public void ShortInputPrintsOneTokenPerLineWithEscapes()
    {
        byte[] input = Encoding.UTF8.GetBytes("Hello, world!\n\ttab");

        CliResult result = CliHarness.RunWithInput(input, "encode");

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("13225\tHello", lines[0]);
        Assert.Equal("11\t,", lines[1]);
        Assert.Equal("2375\t world", lines[2]);
        Assert.Contains(lines, line => line.EndsWith("\\n", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("\\ttab", StringComparison.Ordinal));
        Assert.Equal($"{lines.Length - 1} tokens", lines[^1]);
    }

    [Fact]
    public void LongInputPrintsIdsSeparatedBySpaces()
    {
        string path = CliHarness.Corpus("prose-en-python-faq.txt");
        int[] expected = CliHarness.ToIds(CliHarness.Gunzip(CliHarness.Golden("o200k_base", "prose-en-python-faq")));

        CliResult result = CliHarness.Run("encode", "--input", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        int[] actual = result.StdoutText.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SpecialTokensAreTextByDefaultAndFollowTheOption()
    {
        byte[] input = Encoding.UTF8.GetBytes("a<|endoftext|>");

        CliResult asText = CliHarness.RunWithInput(input, "encode");
        CliResult allowed = CliHarness.RunWithInput(input, "encode", "--special", "allow");
        CliResult disallowed = CliHarness.RunWithInput(input, "encode", "--special", "disallow");

        Assert.Equal(0, asText.ExitCode);
        Assert.DoesNotContain("199999\t", asText.StdoutText, StringComparison.Ordinal);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("199999\t<|endoftext|>", allowed.StdoutText, StringComparison.Ordinal);
        Assert.Equal(1, disallowed.ExitCode);
        Assert.Contains("<|endoftext|>", disallowed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", disallowed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialUtf8TokensAreShownAsHexInTheTable()
    {
        // r50k has no token for the emoji: byte-level BPE splits its four bytes over tokens that are not UTF-8 alone.
        CliResult result = CliHarness.RunWithInput(Encoding.UTF8.GetBytes("\U0001F600"), "encode", "--vocab", "r50k_base");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("<0xF0>", result.StdoutText, StringComparison.Ordinal);
    }
}
