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

        int[] actual = tokenizer.EncodeBinary(data, SpecialTokenPolicy.Allow);

        TiktokenConformanceTests.AssertSameIds(tokenizer, expected, actual);
        Assert.Equal(data, tokenizer.DecodeBinary(actual));
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
}
