using System;
using System.IO;
using System.IO.Compression;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

/// <summary>tkc on Hugging Face vocabularies: encode and compile give Hugging Face's ids (npm tokenizers goldens).</summary>
public class HuggingFaceCommandTests
{
    private static string Shared(string name, string file) =>
        Path.GetFullPath(Path.Combine(CliHarness.RepositoryRoot, "..", "shared", "vocabularies", name, file));

    private static string HfGolden(string tokenizer, string corpus) =>
        Path.Combine(CliHarness.RepositoryRoot, "tests", "data", "goldens", "hf", tokenizer, corpus + ".ids.gz");

    [Theory]
    [InlineData("kl3m-001-32k", "legal-gnu-licences")]
    [InlineData("kl3m-004-char-4k-cased", "cjk-ja")]
    [InlineData("kl3m-005-multi-word-example-32k", "legal-permissive-licences-udhr")]
    public void EncodeTokenizerJsonMatchesHuggingFace(string tokenizer, string corpus)
    {
        using var temp = new TempDirectory();
        string idsOut = temp.File("ids.bin");

        CliResult result = CliHarness.Run("encode", "--vocab", Shared(tokenizer, "tokenizer.json"), "--special", "allow",
            "--input", CliHarness.Corpus(corpus + ".txt"), "--ids-out", idsOut);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CliHarness.Gunzip(HfGolden(tokenizer, corpus)), File.ReadAllBytes(idsOut));
    }

    [Fact]
    public void EncodeVocabJsonWithMergesAndNormalizerMatchesHuggingFace()
    {
        using var temp = new TempDirectory();
        string idsOut = temp.File("ids.bin");

        CliResult result = CliHarness.Run("encode", "--vocab", Shared("kl3m-003-64k", "vocab.json"), "--normalizer", "NFKC",
            "--special", "allow", "--input", CliHarness.Corpus("mixed-udhr-article1-all-languages.txt"), "--ids-out", idsOut);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CliHarness.Gunzip(HfGolden("kl3m-003-64k", "mixed-udhr-article1-all-languages")), File.ReadAllBytes(idsOut));
    }

    [Fact]
    public void CompiledImageOfANpmTokenizerEncodesLikeHuggingFace()
    {
        using var temp = new TempDirectory();
        string json = temp.File("tokenizer.json");
        using (var gzip = new GZipStream(File.OpenRead(Path.Combine(CliHarness.RepositoryRoot, "vocabularies", "hf", "llama3", "tokenizer.json.gz")), CompressionMode.Decompress))
        using (var output = File.Create(json))
        {
            gzip.CopyTo(output);
        }

        string image = temp.File("llama3.tkc");
        Assert.Equal(0, CliHarness.Run("compile", "--vocab", json, "--out", image).ExitCode);
        string idsOut = temp.File("ids.bin");

        CliResult result = CliHarness.Run("encode", "--vocab", image, "--special", "allow", "--input", CliHarness.Corpus("code-rust-regex-syntax.txt"), "--ids-out", idsOut);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CliHarness.Gunzip(HfGolden("llama3", "code-rust-regex-syntax")), File.ReadAllBytes(idsOut));
    }

    [Fact]
    public void UnsupportedComponentIsReportedWithItsJsonPath()
    {
        using var temp = new TempDirectory();
        string json = temp.File("tokenizer.json");
        File.WriteAllText(json, "{\n  \"normalizer\": {\"type\": \"Precompiled\", \"precompiled_charsmap\": \"AA==\"},\n" +
            "  \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}\n}");

        CliResult result = CliHarness.Run("encode", "--vocab", json, "--input", CliHarness.Corpus("legal-permissive-licences-udhr.txt"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("tokenizer.json(2,26): error TKC0005: normalizer.type: normalizer 'Precompiled' is not supported", result.Stderr, StringComparison.Ordinal);
    }
}
