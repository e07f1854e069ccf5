using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

public class DynamicCommandTests
{
    [Fact]
    public void PrintsTheReductionAndTheFirstNewTokens()
    {
        CliResult result = CliHarness.Run("dynamic", "--vocab", "cl100k_base", "--input", CliHarness.Corpus("greek.txt"),
            "--merges", "50", "--batch-lines", "100", "--show", "3");

        Assert.True(result.ExitCode == 0, result.ToString());
        string text = result.StdoutText;
        Assert.Contains("535 lines in 6 batches", text, StringComparison.Ordinal);
        long before = long.Parse(Regex.Match(text, @"base tokens:\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        long after = long.Parse(Regex.Match(text, @"after merges:\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(34780, before);
        Assert.InRange(after, 1, before - 1);
        Assert.Matches(@"reduction:\s+\d+\.\d %? ?with 300 merges", text);
        // Three listed tokens, ids right after cl100k's vocabulary, each with at least two base ids.
        string[] listed = text.Split('\n').SkipWhile(l => !l.StartsWith("first new tokens", StringComparison.Ordinal)).Skip(1)
            .Where(l => l.Length > 0).ToArray();
        Assert.Equal(3, listed.Length);
        Assert.StartsWith("100277 ", listed[0].TrimStart(), StringComparison.Ordinal);
        Assert.All(listed, l => Assert.Matches(@"\[\d+( \d+)+\]$", l));
    }

    [Fact]
    public void BadOptionsAreUsageErrors()
    {
        Assert.Equal(2, CliHarness.Run("dynamic", "--vocab", "o200k_base").ExitCode);
        CliResult boundary = CliHarness.Run("dynamic", "--input", CliHarness.Corpus("greek.txt"), "--boundary", "paragraph");
        Assert.Equal(2, boundary.ExitCode);
        Assert.Contains("pretoken, word or sentence", boundary.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, CliHarness.Run("dynamic", "--input", CliHarness.Corpus("greek.txt"), "--merges", "-3").ExitCode);
        Assert.Equal(1, CliHarness.Run("dynamic", "--input", CliHarness.Corpus("no-such-file.txt")).ExitCode);
    }
}
