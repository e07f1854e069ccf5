using System;
using System.IO;
using System.Linq;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Binary BPE on real executables and on every corpus file read as bytes: ids identical to Hugging Face encoding
/// the Latin-1 string of the bytes, decoding back to the same bytes, and linear-ish time on a whole megabyte.
/// </summary>
public class BinaryEncodingTests
{
    private const string Name = "binary-bpe-32k-it4";

    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(HuggingFaceVocabularies.GoldensDirectory, Name), "*.ids.gz").Select(Path.GetFileName).Order(StringComparer.Ordinal)!)
        {
            if (file.StartsWith("exe-", StringComparison.Ordinal) || file.StartsWith("latin1-", StringComparison.Ordinal))
            {
                data.Add(file![..^".ids.gz".Length]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void BytesEncodeAsHuggingFaceAndDecodeBack(string golden)
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(Name);
        byte[] data = golden.StartsWith("exe-", StringComparison.Ordinal)
            ? File.ReadAllBytes(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries", golden["exe-".Length..] + ".bin"))
            : File.ReadAllBytes(Path.Combine(TestData.CorpusDirectory, golden["latin1-".Length..] + ".txt"));
        int[] expected = TestData.ReadIds(Path.Combine(HuggingFaceVocabularies.GoldensDirectory, Name, golden + ".ids.gz"));
        WaitForTheSearch(tokenizer); // long inputs then take the search straight from their bytes, not by chance

        int[] actual = tokenizer.EncodeBinary(data, SpecialTokenPolicy.Allow);

        TiktokenConformanceTests.AssertSameIds(tokenizer, expected, actual);
        Assert.Equal(data, tokenizer.DecodeBinary(actual));
    }

    [Theory]
    [InlineData(4096, SpecialTokenPolicy.Allow)]          // short enough for the piece caches: the UTF-8 path
    [InlineData(4097, SpecialTokenPolicy.Allow)]          // the first length searched straight from the bytes
    [InlineData(60_000, SpecialTokenPolicy.Allow)]
    [InlineData(60_000, SpecialTokenPolicy.TreatAsText)]
    [InlineData(60_000, SpecialTokenPolicy.Disallow)]     // looks for special-token text first: the UTF-8 path
    public void BytesSearchedDirectlyMatchTheirLatin1Text(int size, SpecialTokenPolicy policy)
    {
        // Long inputs without added-token text are searched from their bytes (no UTF-8 copy); the text path, which
        // reads the same bytes as Latin-1 characters in UTF-8, is the reference. Zero runs and every high byte included.
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(Name);
        WaitForTheSearch(tokenizer);
        var random = new Random(size);
        for (int round = 0; round < 4; round++)
        {
            byte[] data = new byte[size];
            random.NextBytes(data);
            data.AsSpan(size / 3, size / 4).Clear();
            data.AsSpan(size / 2, 64).Fill((byte)0xFF);
            string text = System.Text.Encoding.Latin1.GetString(data);

            int[] expected = tokenizer.EncodeToIds(text, policy);
            Assert.Equal(expected, tokenizer.EncodeBinary(data, policy));
            int[] destination = new int[size];
            Assert.Equal(System.Buffers.OperationStatus.Done, tokenizer.EncodeBinary(data, destination, out int consumed, out int written, policy));
            Assert.Equal(size, consumed);
            Assert.Equal(expected, destination.AsSpan(0, written).ToArray());
        }
    }

    [Theory]
    [InlineData(SpecialTokenPolicy.Allow)]
    [InlineData(SpecialTokenPolicy.TreatAsText)]
    public void AddedTokenTextInLongBytesIsStillMatched(SpecialTokenPolicy policy)
    {
        // Under Allow a special token's text is matched: the bytes then take the UTF-8 path, which splits there.
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(Name);
        WaitForTheSearch(tokenizer);
        byte[] data = new byte[20_000];
        new Random(7).NextBytes(data);
        "<|reserved:7|>"u8.CopyTo(data.AsSpan(12_345));
        Assert.True(tokenizer.TryGetTokenId("<|reserved:7|>"u8, out int reserved));

        int[] ids = tokenizer.EncodeBinary(data, policy);

        Assert.Equal(policy == SpecialTokenPolicy.Allow, ids.Contains(reserved));
        Assert.Equal(tokenizer.EncodeToIds(System.Text.Encoding.Latin1.GetString(data), policy), ids);
    }

    [Fact]
    public void DestinationTooSmallReportsBytesConsumed()
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(Name);
        byte[] data = File.ReadAllBytes(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries", "xz.bin"));
        int[] all = tokenizer.EncodeBinary(data);

        Assert.Equal(System.Buffers.OperationStatus.DestinationTooSmall, tokenizer.EncodeBinary(data, new int[all.Length - 1], out int consumed, out int written));
        Assert.True(consumed < data.Length);
        Assert.Equal(all.Take(written), tokenizer.EncodeBinary(data.AsSpan(0, consumed)));
    }

    [Fact]
    public void DecodeBinaryRejectsTokensThatAreNotBytes()
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get("llama3");
        Assert.True(tokenizer.TryGetTokenId("ĠĠ"u8, out _) == false);
        int wide = tokenizer.EncodeToIds("世界")[0];
        Assert.Equal(System.Buffers.OperationStatus.InvalidData, tokenizer.DecodeBinary(new[] { wide }, new byte[16], out int consumed, out _));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void OneMegabyteOfRandomBytesIsOneWordThatRoundTrips()
    {
        // One 1 MB word goes through the heap merge (speed is the benchmarks' business: BinaryBenchmarks).
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(Name);
        byte[] data = new byte[1 << 20];
        new Random(20261123).NextBytes(data);

        int[] ids = tokenizer.EncodeBinary(data);

        Assert.InRange(ids.Length, data.Length / 8, data.Length);
        Assert.Equal(data, tokenizer.DecodeBinary(ids));
    }

    /// <summary>
    /// Waits for the backtracking search's tables, built on the thread pool the first time they are needed: until they
    /// are, a long input takes the UTF-8 path, and a test meant for the bytes path would pass without running it.
    /// </summary>
    private static void WaitForTheSearch(Tokenizer tokenizer) =>
        Assert.True(tokenizer.Tables.WaitForMergeTree() is { WalksLatin1: true }, "Binary BPE has a merge tree spelled in Latin-1");
}
