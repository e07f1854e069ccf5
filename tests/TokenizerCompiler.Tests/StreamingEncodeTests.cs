using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The resumable span overloads of EncodeToIds. Contract exercised here:
/// <list type="bullet">
/// <item>On <see cref="OperationStatus.DestinationTooSmall"/>, encoding stopped at a piece (pre-token) boundary:
/// the first <c>idsWritten</c> ids are exactly the first ids of the whole text's encoding, and encoding the text from
/// <c>charsConsumed</c> (or <c>bytesConsumed</c>) on gives the remaining ids.</item>
/// <item>Ids are written a whole piece at a time, so a piece whose ids alone exceed the destination cannot be written:
/// the call then returns DestinationTooSmall with 0 consumed and 0 written, and the caller must offer a larger
/// destination (this test doubles it, then returns to the requested size). Whenever anything is written, something is consumed.</item>
/// </list>
/// </summary>
public class StreamingEncodeTests
{
    private static readonly string[] s_files =
    {
        "prose-en-python-tutorial", "cjk-zh", "emoji-unicode-emoji-test", "code-js-jquery-min", "hostile-mixed", "whitespace-crlf-dotnet-xmldoc",
    };

    public static IEnumerable<object[]> Cases() =>
        from e in new[] { "o200k_base", "cl100k_base" }
        from f in s_files
        from size in new[] { 1, 7, 100, 1000 }
        select new object[] { e, f, size };

    /// <summary>Encodes UTF-16 text through a destination of <paramref name="size"/> ids, growing it only when one piece needs more.</summary>
    internal static int[] EncodeInChunks(Tokenizer tokenizer, string text, int size, SpecialTokenPolicy policy)
    {
        var ids = new List<int>();
        int position = 0;
        int calls = 0;
        var destination = new int[size];
        while (true)
        {
            Assert.True(++calls < 10_000_000, "no progress");
            OperationStatus status = tokenizer.EncodeToIds(text.AsSpan(position), destination, out int consumed, out int written, policy);
            Assert.InRange(consumed, 0, text.Length - position);
            Assert.InRange(written, 0, destination.Length);
            ids.AddRange(destination.AsSpan(0, written).ToArray());
            position += consumed;
            if (status == OperationStatus.Done)
            {
                Assert.Equal(text.Length, position);
                return ids.ToArray();
            }

            Assert.Equal(OperationStatus.DestinationTooSmall, status);
            Assert.True(position < text.Length);
            Assert.False(char.IsLowSurrogate(text[position]) && position > 0 && char.IsHighSurrogate(text[position - 1]), "cut inside a surrogate pair");
            Assert.Equal(written == 0, consumed == 0);
            destination = written == 0 ? new int[destination.Length * 2] : new int[size];
        }
    }

    /// <summary>The UTF-8 form of <see cref="EncodeInChunks(Tokenizer, string, int, SpecialTokenPolicy)"/>.</summary>
    internal static int[] EncodeInChunks(Tokenizer tokenizer, byte[] text, int size, SpecialTokenPolicy policy)
    {
        var ids = new List<int>();
        int position = 0;
        int calls = 0;
        var destination = new int[size];
        while (true)
        {
            Assert.True(++calls < 10_000_000, "no progress");
            OperationStatus status = tokenizer.EncodeToIds(text.AsSpan(position), destination, out int consumed, out int written, policy);
            Assert.InRange(consumed, 0, text.Length - position);
            Assert.InRange(written, 0, destination.Length);
            ids.AddRange(destination.AsSpan(0, written).ToArray());
            position += consumed;
            if (status == OperationStatus.Done)
            {
                Assert.Equal(text.Length, position);
                return ids.ToArray();
            }

            Assert.Equal(OperationStatus.DestinationTooSmall, status);
            Assert.True(position < text.Length);
            Assert.Equal(written == 0, consumed == 0);
            destination = written == 0 ? new int[destination.Length * 2] : new int[size];
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ChunkedEncodeEqualsWholeEncode(string encoding, string file, int size)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string text = EngineTestSupport.Corpus(file);
        if (size == 1)
        {
            text = text[..Math.Min(text.Length, 12_000)]; // each call re-reads the rest of the text; keep the 1-id case quick
            if (char.IsHighSurrogate(text[^1]))
            {
                text = text[..^1];
            }
        }

        int[] full = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
        EngineTestSupport.SameIds(tokenizer, full, EncodeInChunks(tokenizer, text, size, SpecialTokenPolicy.TreatAsText), "utf-16");
        EngineTestSupport.SameIds(tokenizer, full, EncodeInChunks(tokenizer, Encoding.UTF8.GetBytes(text), size, SpecialTokenPolicy.TreatAsText), "utf-8");
    }

    [Fact]
    public void WholeCorpusFileMatchesGoldenInChunks()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        foreach (string file in new[] { "thai", "numbers-cmath-testcases", "mixed-udhr-article1-all-languages" })
        {
            int[] golden = EngineTestSupport.Golden("o200k_base", file);
            string text = EngineTestSupport.Corpus(file);
            EngineTestSupport.SameIds(tokenizer, golden, EncodeInChunks(tokenizer, text, 64, SpecialTokenPolicy.TreatAsText), file);
        }
    }

    [Fact]
    public void OnePieceLargerThanTheDestinationConsumesNothing()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        string text = new string('x', 3000); // one pre-token of many ids
        int total = tokenizer.CountTokens(text);
        Assert.True(total > 10);
        var destination = new int[total - 1];
        Assert.Equal(OperationStatus.DestinationTooSmall, tokenizer.EncodeToIds(text.AsSpan(), destination, out int consumed, out int written));
        Assert.Equal(0, consumed);
        Assert.Equal(0, written);
        Assert.Throws<ArgumentException>(() => tokenizer.EncodeToIds(text.AsSpan(), destination));

        destination = new int[total];
        Assert.Equal(OperationStatus.Done, tokenizer.EncodeToIds(text.AsSpan(), destination, out consumed, out written));
        Assert.Equal(text.Length, consumed);
        Assert.Equal(total, written);
    }

    [Fact]
    public void EmptyInputAndEmptyDestination()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        Assert.Equal(OperationStatus.Done, tokenizer.EncodeToIds(ReadOnlySpan<char>.Empty, Span<int>.Empty, out int consumed, out int written));
        Assert.Equal(0, consumed);
        Assert.Equal(0, written);
        Assert.Equal(OperationStatus.Done, tokenizer.EncodeToIds(ReadOnlySpan<byte>.Empty, Span<int>.Empty, out consumed, out written));
        Assert.Empty(tokenizer.EncodeToIds(string.Empty));
        Assert.Equal(0, tokenizer.CountTokens(string.Empty));

        Assert.Equal(OperationStatus.DestinationTooSmall, tokenizer.EncodeToIds("hello".AsSpan(), Span<int>.Empty, out consumed, out written));
        Assert.Equal(0, consumed);
        Assert.Equal(0, written);
    }

    [Fact]
    public void BufferWriterOverloadAppends()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        var writer = new ArrayBufferWriter<int>();
        writer.Write(new[] { -5, -6 });
        byte[] first = Encoding.UTF8.GetBytes(EngineTestSupport.Corpus("cjk-ko"));
        byte[] second = Encoding.UTF8.GetBytes(EngineTestSupport.Corpus("greek"));
        int a = tokenizer.EncodeToIds(first, writer);
        int b = tokenizer.EncodeToIds(second, writer);
        int[] expected = new[] { -5, -6 }.Concat(EngineTestSupport.Golden("o200k_base", "cjk-ko")).Concat(EngineTestSupport.Golden("o200k_base", "greek")).ToArray();
        Assert.Equal(expected.Length - 2, a + b);
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }
}
