using System;
using System.IO;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

public class CompileCommandTests
{
    [Fact]
    public void CompiledImageEncodesLikeTheVocabulary()
    {
        using var temp = new TempDirectory();
        string image = temp.File("o200k.tkc");
        string input = CliHarness.Corpus("code-python-test-re.txt");
        string fromVocabulary = temp.File("a.bin");
        string fromImage = temp.File("b.bin");

        CliResult compile = CliHarness.Run("compile", "--vocab", "o200k_base", "--out", image);
        CliResult encodeVocabulary = CliHarness.Run("encode", "--vocab", "o200k_base", "--input", input, "--ids-out", fromVocabulary);
        CliResult encodeImage = CliHarness.Run("encode", "--vocab", image, "--input", input, "--ids-out", fromImage);
        CliResult inspect = CliHarness.Run("inspect", "--vocab", image);

        Assert.True(compile.ExitCode == 0, compile.ToString());
        Assert.True(encodeVocabulary.ExitCode == 0, encodeVocabulary.ToString());
        Assert.True(encodeImage.ExitCode == 0, encodeImage.ToString());
        Assert.Equal(File.ReadAllBytes(fromVocabulary), File.ReadAllBytes(fromImage));
        Assert.Equal(CliHarness.Gunzip(CliHarness.Golden("o200k_base", "code-python-test-re")), File.ReadAllBytes(fromImage));
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Contains("compiled image", inspect.StdoutText, StringComparison.Ordinal);
        Assert.Contains("o200k_base", inspect.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedVocabularyReportsLineAndColumnLikeACompiler()
    {
        using var temp = new TempDirectory();
        string vocabulary = WriteMalformedVocabulary(temp);
        string image = temp.File("bad.tkc");

        CliResult result = CliHarness.Run("compile", "--vocab", vocabulary, "--pattern", "gpt2", "--out", image);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(3,", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("error TKC0002", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(vocabulary, result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(image));
    }

    [Fact]
    public void MalformedVocabularyFailsEncodeWithTheDiagnostics()
    {
        using var temp = new TempDirectory();
        string vocabulary = WriteMalformedVocabulary(temp);

        CliResult result = CliHarness.RunWithInput(new byte[] { (byte)'a' }, "encode", "--vocab", vocabulary, "--pattern", "gpt2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(3,", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("TKC0002", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptImageIsADataError()
    {
        using var temp = new TempDirectory();
        string image = temp.File("corrupt.tkc");
        CliResult compile = CliHarness.Run("compile", "--vocab", "r50k_base", "--out", image);
        Assert.True(compile.ExitCode == 0, compile.ToString());
        byte[] bytes = File.ReadAllBytes(image);
        bytes[^100] ^= 0x5A;
        File.WriteAllBytes(image, bytes);

        CliResult result = CliHarness.Run("inspect", "--vocab", image);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("corrupt.tkc", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectShowsSizeSpecialsAndPattern()
    {
        CliResult result = CliHarness.Run("inspect", "--vocab", "cl100k_base");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("cl100k_base", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("100277", result.StdoutText, StringComparison.Ordinal); // vocabulary size
        Assert.Contains("<|endofprompt|>", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("cl100k (built-in scanner)", result.StdoutText, StringComparison.Ordinal);
    }

    /// <summary>A small byte-level vocabulary (all 256 bytes) whose third line is not base64.</summary>
    private static string WriteMalformedVocabulary(TempDirectory temp)
    {
        var lines = new System.Collections.Generic.List<string>();
        for (int b = 0; b < 256; b++)
        {
            lines.Add(Convert.ToBase64String(new[] { (byte)b }) + " " + b);
        }

        lines[2] = "!!not*base64!! 2";
        string path = temp.File("bad.tiktoken");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }
}
