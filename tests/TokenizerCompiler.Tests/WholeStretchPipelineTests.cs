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

    private static readonly Lazy<Tokenizer> General = new(() => Variant("binary-general", idleNormalizer: true, ordinarySeparator: false));

    /// <summary>Binary BPE with &lt;|sep|&gt; made an ordinary (not special) added token, on each path.</summary>
    private static readonly Lazy<Tokenizer> OrdinarySeparator = new(() => Variant("binary-ordinary-sep", idleNormalizer: false, ordinarySeparator: true));

    private static readonly Lazy<Tokenizer> OrdinarySeparatorGeneral = new(() => Variant("binary-ordinary-sep-general", idleNormalizer: true, ordinarySeparator: true));

    /// <summary>The Binary BPE tokenizer.json with a normalizer step that changes nothing (keeping it off the path) and/or one added token made ordinary.</summary>
    private static Tokenizer Variant(string name, bool idleNormalizer, bool ordinarySeparator)
    {
        string json = File.ReadAllText(Path.Combine(TestData.SharedVocabularies, Name, "tokenizer.json"));
        if (idleNormalizer)
        {
            const string NoNormalizer = "\"normalizer\": null";
            Assert.Contains(NoNormalizer, json);
            const string IdleReplace = "\"normalizer\": {\"type\": \"Replace\", \"pattern\": {\"String\": \"\uFFFF\"}, \"content\": \"\uFFFF\"}";
            json = json.Replace(NoNormalizer, IdleReplace, StringComparison.Ordinal);
        }

        if (ordinarySeparator)
        {
            const string Separator = "\"content\": \"<|sep|>\",\n      \"single_word\": false,\n      \"lstrip\": false,\n      \"rstrip\": false,\n      \"normalized\": false,\n      \"special\": true";
            Assert.Contains(Separator, json);
            json = json.Replace(Separator, Separator[..^"true".Length] + "false", StringComparison.Ordinal);
        }

        return Tokenizer.FromVocabularyText(name + "/tokenizer.json", json);
    }

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
    public void OrdinaryAddedTokensAreFoundUnderEveryPolicy()
    {
        // Binary BPE's own added tokens are all special, so TreatAsText leaves a file one stretch; an ordinary one is
        // split out under every policy, as the general path does.
        byte[] data = WithAddedTokens(File.ReadAllBytes(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries", "xz.bin")), "<|sep|>");
        Tokenizer whole = OrdinarySeparator.Value;
        Assert.True(whole.IsWholeStretchPipeline);
        Assert.True(whole.TryGetTokenId("<|sep|>"u8, out int separator));
        foreach (SpecialTokenPolicy policy in new[] { SpecialTokenPolicy.Allow, SpecialTokenPolicy.TreatAsText })
        {
            int[] ids = whole.EncodeBinary(data, policy);
            Assert.Equal(OrdinarySeparatorGeneral.Value.EncodeBinary(data, policy), ids);
            Assert.Equal(Splices * SplicedTokens.Length, ids.Count(id => id == separator));
        }
    }

    [Fact]
    public void ADisallowedSpecialTokenIsReportedAtItsOffsetInTheBytes()
    {
        // Bytes above 0x7F take two bytes in UTF-8: the offset must count the caller's bytes, not those.
        byte[] data = [.. Enumerable.Repeat((byte)0xFF, 10), .. "<|end|>"u8];
        var error = Assert.Throws<DisallowedSpecialTokenException>(() => HuggingFaceVocabularies.Get(Name).EncodeBinary(data, SpecialTokenPolicy.Disallow));
        Assert.Equal(10, error.ByteOffset);
    }

    [Fact]
    public void Latin1BytesBecomeTheUtf8OfTheirCharacters()
    {
        byte[] every = Enumerable.Range(0, 256).Select(b => (byte)b).Concat(Enumerable.Range(0, 256).Select(b => (byte)(255 - b))).ToArray();
        using var utf8 = TokenizerCompiler.Text.Utf8Text.FromLatin1(every);
        Assert.Equal(Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(every)), utf8.Bytes.ToArray());
        for (int prefix = 0; prefix <= every.Length; prefix += 37)
        {
            int bytes = Encoding.UTF8.GetByteCount(Encoding.Latin1.GetString(every, 0, prefix));
            Assert.Equal(prefix, utf8.CharsForBytes(bytes));
            Assert.Equal(prefix, utf8.SourceBytesFor(bytes));
        }
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

    /// <summary>The bytes with the added tokens spliced in at evenly spaced places, so that the stretches between them vary.</summary>
    private static byte[] WithAddedTokens(byte[] data, params string[] tokens)
    {
        string[] spliced = tokens.Length > 0 ? tokens : SplicedTokens;
        var result = new System.Collections.Generic.List<byte>(data.Length + 256);
        int step = data.Length / ((SplicedTokens.Length * Splices) + 1);
        int from = 0;
        for (int i = 0; i < SplicedTokens.Length * Splices; i++)
        {
            result.AddRange(data.AsSpan(from, step).ToArray());
            result.AddRange(Encoding.Latin1.GetBytes(spliced[i % spliced.Length]));
            from += step;
        }

        result.AddRange(data.AsSpan(from).ToArray());
        return result.ToArray();
    }
}
