using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

/// <summary>Chunked encoding must give exactly the ids of encoding the whole input at once, wherever the chunks fall.</summary>
public class StreamingEncoderTests
{
    public static IEnumerable<object[]> Cases()
    {
        string data = Path.Combine(CliHarness.RepositoryRoot, "tests", "data");
        IEnumerable<string> files = Directory.GetFiles(Path.Combine(data, "corpus"), "*.txt")
            .Concat(Directory.GetFiles(Path.Combine(data, "binaries"), "*.bin"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (string encoding in new[] { "o200k_base", "cl100k_base", "r50k_base" })
        {
            foreach (string file in files)
            {
                yield return new object[] { encoding, file };
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SmallChunksGiveTheWholeInputIds(string encoding, string file)
    {
        string path = File.Exists(CliHarness.Corpus(file)) ? CliHarness.Corpus(file) : Path.Combine(CliHarness.RepositoryRoot, "tests", "data", "binaries", file);
        byte[] bytes = File.ReadAllBytes(path);
        Tokenizer tokenizer = VocabularyResolver.Load(encoding, null, null);

        foreach (SpecialTokenPolicy policy in new[] { SpecialTokenPolicy.TreatAsText, SpecialTokenPolicy.Allow })
        {
            int[] expected = tokenizer.EncodeToIds(bytes, policy);
            foreach (int chunk in new[] { 16, 1000, 65536 })
            {
                var encoder = new StreamingEncoder(tokenizer, policy, chunk);
                Assert.True(encoder.CanSplit);
                var sink = new ListSink();
                (long tokens, long length) = encoder.Encode(new MemoryStream(bytes), ReadOnlySpan<byte>.Empty, sink);

                Assert.Equal(bytes.Length, length);
                Assert.Equal(expected.Length, tokens);
                Assert.True(expected.AsSpan().SequenceEqual(sink.Ids.ToArray()), $"{file}, {policy}, chunk {chunk}: ids differ");
            }
        }
    }

    [Fact]
    public void InputWithoutBoundariesGrowsTheBuffer()
    {
        Tokenizer tokenizer = VocabularyResolver.Load("o200k_base", null, null);
        byte[] bytes = Encoding.UTF8.GetBytes(new string('-', 5000) + "word\n" + new string(' ', 3000) + "\nend");
        var sink = new ListSink();

        new StreamingEncoder(tokenizer, SpecialTokenPolicy.TreatAsText, 64).Encode(new MemoryStream(bytes), ReadOnlySpan<byte>.Empty, sink);

        Assert.Equal(tokenizer.EncodeToIds(bytes, SpecialTokenPolicy.TreatAsText), sink.Ids.ToArray());
    }

    [Fact]
    public void CustomPatternReadsTheWholeInput()
    {
        Tokenizer tokenizer = VocabularyResolver.Load("r50k_base", @"\S+|\s+", null);
        byte[] bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("alpha beta\n  gamma ", 500)));
        var encoder = new StreamingEncoder(tokenizer, SpecialTokenPolicy.TreatAsText, 64);
        var sink = new ListSink();

        encoder.Encode(new MemoryStream(bytes), ReadOnlySpan<byte>.Empty, sink);

        Assert.False(encoder.CanSplit);
        Assert.Equal(tokenizer.EncodeToIds(bytes, SpecialTokenPolicy.TreatAsText), sink.Ids.ToArray());
    }

    [Fact]
    public void PrefixIsEncodedBeforeTheStream()
    {
        Tokenizer tokenizer = VocabularyResolver.Load("o200k_base", null, null);
        byte[] bytes = File.ReadAllBytes(CliHarness.Corpus("prose-en-python-faq.txt"));
        var sink = new ListSink();

        new StreamingEncoder(tokenizer, SpecialTokenPolicy.TreatAsText, 4096).Encode(new MemoryStream(bytes, 100, bytes.Length - 100), bytes.AsSpan(0, 100), sink);

        Assert.Equal(tokenizer.EncodeToIds(bytes, SpecialTokenPolicy.TreatAsText), sink.Ids.ToArray());
    }

    private sealed class ListSink : IdSink
    {
        public List<int> Ids { get; } = new();

        public override void Write(ReadOnlySpan<int> ids) => Ids.AddRange(ids);
    }
}
