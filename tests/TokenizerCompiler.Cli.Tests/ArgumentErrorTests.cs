using System;
using System.IO;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

public class ArgumentErrorTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("--vocab", "o200k_base")]
    [InlineData("encode", "--bogus")]
    [InlineData("encode", "--vocab")]
    [InlineData("encode", "--special", "sometimes")]
    [InlineData("encode", "stray")]
    [InlineData("encode", "--input", "a", "--input", "b")]
    [InlineData("decode")]
    [InlineData("decode", "12", "x7")]
    [InlineData("decode", "--ids-text", "1 2", "3")]
    [InlineData("compile", "--vocab", "o200k_base")]
    public void BadArgumentsExitWithTwo(params string[] args)
    {
        CliResult result = CliHarness.Run(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("tkc: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NoArgumentsPrintsUsageAndExitsWithTwo()
    {
        CliResult result = CliHarness.Run();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage: tkc", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("encode", "--help")]
    [InlineData("decode", "-h")]
    [InlineData("compile", "--help")]
    [InlineData("inspect", "--help")]
    [InlineData("help", "encode")]
    public void HelpPrintsUsageAndSucceeds(params string[] args)
    {
        CliResult result = CliHarness.Run(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage: tkc", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeHelpDocumentsTheSpecialTokenDefault()
    {
        CliResult result = CliHarness.Run("encode", "--help");

        Assert.Contains("encode_ordinary", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingInputFileExitsWithOneAndNamesTheFile()
    {
        string missing = Path.Combine(Path.GetTempPath(), "tkc-no-such-input-" + Guid.NewGuid().ToString("N") + ".txt");

        CliResult result = CliHarness.Run("encode", "--input", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingVocabularyFileExitsWithOneAndNamesTheFile()
    {
        string missing = Path.Combine(Path.GetTempPath(), "tkc-no-such-vocab-" + Guid.NewGuid().ToString("N") + ".tiktoken");

        CliResult result = CliHarness.Run("inspect", "--vocab", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnwritableOutputExitsWithOne()
    {
        string output = Path.Combine(Path.GetTempPath(), "tkc-no-such-dir-" + Guid.NewGuid().ToString("N"), "ids.bin");

        CliResult result = CliHarness.RunWithInput(new byte[] { (byte)'a' }, "encode", "--ids-out", output);

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
