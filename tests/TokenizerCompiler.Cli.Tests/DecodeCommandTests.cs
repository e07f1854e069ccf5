using System.IO;
using System.Text;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

public class DecodeCommandTests
{
    [Theory]
    [InlineData("o200k_base", "prose-en-python-faq.txt")]
    [InlineData("cl100k_base", "cjk-ja.txt")]
    [InlineData("p50k_base", "emoji-unicode-emoji-test.txt")]
    public void EncodeThenDecodeRoundTripsTheBytes(string encoding, string corpus)
    {
        using var temp = new TempDirectory();
        string input = CliHarness.Corpus(corpus);
        string ids = temp.File("ids.bin");
        string decoded = temp.File("decoded.txt");

        CliResult encode = CliHarness.Run("encode", "--vocab", encoding, "--input", input, "--ids-out", ids);
        CliResult decode = CliHarness.Run("decode", "--vocab", encoding, "--ids", ids, "--out", decoded);

        Assert.True(encode.ExitCode == 0, encode.ToString());
        Assert.True(decode.ExitCode == 0, decode.ToString());
        Assert.Equal(File.ReadAllBytes(input), File.ReadAllBytes(decoded));
    }

    [Fact]
    public void IdsAsTextOrArgumentsDecodeToStdout()
    {
        CliResult fromText = CliHarness.Run("decode", "--ids-text", "13225, 11 2375");
        CliResult fromArguments = CliHarness.Run("decode", "13225", "11", "2375");

        Assert.Equal(0, fromText.ExitCode);
        Assert.Equal("Hello, world", fromText.StdoutText);
        Assert.Equal(Encoding.UTF8.GetBytes("Hello, world"), fromArguments.Stdout);
    }

    [Fact]
    public void BinaryIdsFromStdin()
    {
        var ids = new MemoryStream();
        ids.Write(System.BitConverter.GetBytes(13225u)); // "Hello"
        ids.Write(System.BitConverter.GetBytes(11u));    // ","

        CliResult result = CliHarness.RunWithInput(ids.ToArray(), "decode", "--ids", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Hello,", result.StdoutText);
    }

    [Fact]
    public void UnknownIdIsADataError()
    {
        CliResult result = CliHarness.Run("decode", "--vocab", "r50k_base", "60000");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("60000", result.Stderr, System.StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void IdsFileOfOddLengthIsADataError()
    {
        using var temp = new TempDirectory();
        string ids = temp.File("odd.bin");
        File.WriteAllBytes(ids, new byte[] { 1, 2, 3 });

        CliResult result = CliHarness.Run("decode", "--ids", ids);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("odd.bin", result.Stderr, System.StringComparison.Ordinal);
    }
}
