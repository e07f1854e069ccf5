using System;
using System.IO;
using System.Linq;
using TokenizerCompiler.Transfer;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

/// <summary>tkc transfer on r50k_base -> p50k_base (p50k adds whitespace-run tokens, so most rows copy and a few are estimated).</summary>
public sealed class TransferCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tkc-transfer-cli", Guid.NewGuid().ToString("N"));

    public TransferCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("fvt")]
    [InlineData("hybrid")]
    [InlineData("focus")]
    public void Transfers_a_safetensors_matrix(string method)
    {
        string model = Path.Combine(_folder, "model.safetensors");
        var matrix = new EmbeddingMatrix(50257, 8);
        var random = new Random(3);
        Span<float> values = matrix.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        SafetensorsWriter.Write(model, [new("transformer.wte.weight", matrix)], TensorElementType.BFloat16);
        string output = Path.Combine(_folder, "out.safetensors");
        CliResult result = CliHarness.Run("transfer", "--source-vocab", "r50k_base", "--target-vocab", "p50k_base",
            "--embeddings", model, "--method", method, "--out", output, "--seed", "7");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(result.Stderr.Contains("50256 copied, 1 special, 24 estimated", StringComparison.Ordinal), result.Stderr);
        Assert.True(result.Stderr.Contains("0 fallback", StringComparison.Ordinal), result.Stderr);

        using SafetensorsFile file = SafetensorsFile.Open(output);
        Assert.Equal("BF16", file.Tensors.Single().DataType);
        EmbeddingMatrix transferred = file.ReadMatrix("transformer.wte.weight");
        Assert.Equal((50281, 8), (transferred.Rows, transferred.Columns));
        // "hello" is the same bytes in both: copied exactly (bf16 in, bf16 out).
        Tokenizer r50k = Tokenizer.FromVocabularyFile(Path.Combine(CliHarness.RepositoryRoot, "vocabularies", "tiktoken", "r50k_base.tiktoken"));
        Tokenizer p50k = Tokenizer.FromVocabularyFile(Path.Combine(CliHarness.RepositoryRoot, "vocabularies", "tiktoken", "p50k_base.tiktoken"));
        Assert.True(r50k.TryGetTokenId("hello"u8, out int sourceId));
        Assert.True(p50k.TryGetTokenId("hello"u8, out int targetId));
        using SafetensorsFile input = SafetensorsFile.Open(model);
        Assert.True(input.ReadMatrix("transformer.wte.weight").GetRow(sourceId).SequenceEqual(transferred.GetRow(targetId)));
    }

    [Fact]
    public void Bad_inputs_are_reported()
    {
        string model = Path.Combine(_folder, "small.npy");
        NpyFile.Write(model, new EmbeddingMatrix(10, 4));
        CliResult tooSmall = CliHarness.Run("transfer", "--source-vocab", "r50k_base", "--target-vocab", "p50k_base",
            "--embeddings", model, "--out", Path.Combine(_folder, "o.npy"));
        Assert.Equal(1, tooSmall.ExitCode);
        Assert.Contains("needs 50257", tooSmall.Stderr);
        CliResult badMethod = CliHarness.Run("transfer", "--source-vocab", "r50k_base", "--target-vocab", "p50k_base",
            "--embeddings", model, "--out", "o.npy", "--method", "magic");
        Assert.Equal(2, badMethod.ExitCode);
        string garbage = Path.Combine(_folder, "garbage.safetensors");
        File.WriteAllBytes(garbage, new byte[] { 1, 2, 3 });
        CliResult malformed = CliHarness.Run("transfer", "--source-vocab", "r50k_base", "--target-vocab", "p50k_base",
            "--embeddings", garbage, "--out", Path.Combine(_folder, "o.safetensors"));
        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("too short", malformed.Stderr);
        Assert.False(File.Exists(Path.Combine(_folder, "o.safetensors")));
    }
}
