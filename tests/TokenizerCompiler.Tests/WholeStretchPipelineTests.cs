using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Binary BPE neither normalizes nor pre-tokenizes, so each stretch between added tokens is merged whole, straight
/// from UTF-8; the same tokenizer with one idle normalizer step runs the general pipeline. Both must give the same
/// ids and stop at the same places (the executable goldens already pin the fast path to Hugging Face).
/// </summary>
public class WholeStretchPipelineTests
{
    private const string Name = "binary-bpe-32k-it4";

    private static readonly Lazy<Tokenizer> General = new(() =>
    {
        string json = File.ReadAllText(Path.Combine(TestData.SharedVocabularies, Name, "tokenizer.json"));
        const string NoNormalizer = "\"normalizer\": null";
        Assert.Contains(NoNormalizer, json);
        const string IdleReplace = "\"normalizer\": {\"type\": \"Replace\", \"pattern\": {\"String\": \"\uFFFF\"}, \"content\": \"\uFFFF\"}";
        return Tokenizer.FromVocabularyText("binary-general/tokenizer.json", json.Replace(NoNormalizer, IdleReplace, StringComparison.Ordinal));
    });

    [Fact]
    public void OnlyPipelinesWithoutNormalizerAndPreTokenizerTakeThePath()
    {
        Assert.True(HuggingFaceVocabularies.Get(Name).IsWholeStretchPipeline);
        Assert.False(General.Value.IsWholeStretchPipeline);
        Assert.False(HuggingFaceVocabularies.Get("gemma3").IsWholeStretchPipeline); // replaces spaces: the word path
        Assert.False(HuggingFaceVocabularies.Get("llama3").IsWholeStretchPipeline); // byte-level, pre-tokenized
    }

    public static TheoryData<string> Binaries => new(
        Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries"), "*.bin").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Binaries))]
    public void SameIdsAsTheGeneralPipelineWithAddedTokensInTheBytes(string file)
    {
        byte[] data = WithAddedTokens(File.ReadAllBytes(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries", file)));
        Tokenizer whole = HuggingFaceVocabularies.Get(Name);
        foreach (SpecialTokenPolicy policy in new[] { SpecialTokenPolicy.Allow, SpecialTokenPolicy.TreatAsText })
        {
            int[] expected = General.Value.EncodeBinary(data, policy);
            Assert.Equal(expected, whole.EncodeBinary(data, policy));
        }

        // The special tokens are found: each one spliced in comes out as its id.
        int[] spliced = SplicedTokens.Select(token => whole.TryGetTokenId(Encoding.UTF8.GetBytes(token), out int id) ? id : throw new InvalidOperationException(token)).ToArray();
        Assert.Equal(SplicedTokens.Length * Splices, whole.EncodeBinary(data, SpecialTokenPolicy.Allow).Count(spliced.Contains));
    }

    [Fact]
    public void StopsWhereTheGeneralPipelineStops()
    {
        byte[] data = WithAddedTokens(File.ReadAllBytes(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries", "xz.bin")));
        Tokenizer whole = HuggingFaceVocabularies.Get(Name);
        int total = whole.EncodeBinary(data, SpecialTokenPolicy.Allow).Length;
        foreach (int room in new[] { 0, 1, 100, total / 3, total / 2, total - 1, total })
        {
            int[] fast = new int[room], general = new int[room];
            OperationStatus fastStatus = whole.EncodeBinary(data, fast, out int fastConsumed, out int fastWritten, SpecialTokenPolicy.Allow);
            OperationStatus generalStatus = General.Value.EncodeBinary(data, general, out int generalConsumed, out int generalWritten, SpecialTokenPolicy.Allow);

            Assert.Equal(generalStatus, fastStatus);
            Assert.Equal(generalConsumed, fastConsumed);
            Assert.Equal(generalWritten, fastWritten);
            Assert.Equal(general, fast);
        }
    }

    private static readonly string[] SplicedTokens = { "<|start|>", "<|reserved:7|>", "<|end|>" };
    private const int Splices = 5;

    /// <summary>The bytes with the special tokens spliced in at evenly spaced places, so that the stretches between them vary.</summary>
    private static byte[] WithAddedTokens(byte[] data)
    {
        var spliced = new System.Collections.Generic.List<byte>(data.Length + 256);
        int step = data.Length / ((SplicedTokens.Length * Splices) + 1);
        int from = 0;
        for (int i = 0; i < SplicedTokens.Length * Splices; i++)
        {
            spliced.AddRange(data.AsSpan(from, step).ToArray());
            spliced.AddRange(Encoding.Latin1.GetBytes(SplicedTokens[i % SplicedTokens.Length]));
            from += step;
        }

        spliced.AddRange(data.AsSpan(from).ToArray());
        return spliced.ToArray();
    }
}
