using System;
using System.IO;
using System.Linq;
using System.Text;
using TokenizerCompiler.Core.Compilation;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Special-token lookup, token bytes, id validity, vocabulary sizes, and rejection of corrupt images.</summary>
public class VocabularyApiTests
{
    internal static byte[] CompileImage(string encoding)
    {
        string path = TestData.VocabularyPath(encoding);
        byte[]? image = VocabularyCompiler.Compile(path, File.ReadAllText(path), new CompileOptions()).Image;
        Assert.NotNull(image);
        return image!;
    }

    [Theory]
    [InlineData("o200k_base", 199999, 200019)]
    [InlineData("cl100k_base", 100257, 100277)]
    [InlineData("p50k_base", 50256, 50281)]
    [InlineData("r50k_base", 50256, 50257)]
    public void EndOfTextAndVocabularySize(string encoding, int endOfText, int vocabularySize)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        Assert.Equal(encoding, tokenizer.Name);
        Assert.True(tokenizer.TryGetSpecialTokenId("<|endoftext|>", out int id));
        Assert.Equal(endOfText, id);
        Assert.Equal(vocabularySize, tokenizer.VocabularySize);
        Assert.False(tokenizer.TryGetSpecialTokenId("<|endoftext|", out _));
        Assert.False(tokenizer.TryGetSpecialTokenId("<|endoftext|>x", out _));
        Assert.False(tokenizer.TryGetSpecialTokenId("<|ENDOFTEXT|>", out _));
        Assert.False(tokenizer.TryGetSpecialTokenId("", out _));
        Assert.False(tokenizer.TryGetSpecialTokenId("hello", out _));
        Assert.False(tokenizer.TryGetSpecialTokenId("<|im_start|>", out _));
        Assert.False(tokenizer.TryGetSpecialTokenId(new string('x', 1000), out _));
        Assert.True(tokenizer.IsValidId(endOfText));
        Assert.True(tokenizer.IsValidId(0));
        Assert.False(tokenizer.IsValidId(-1));
        Assert.False(tokenizer.IsValidId(vocabularySize));
        Assert.False(tokenizer.IsValidId(int.MaxValue));
        Assert.False(tokenizer.IsValidId(int.MinValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetTokenBytes(-1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetTokenBytes(vocabularySize).Length);
    }

    [Fact]
    public void O200kVocabularyDetails()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        Assert.True(tokenizer.TryGetSpecialTokenId("<|endofprompt|>", out int prompt));
        Assert.Equal(200018, prompt);
        Assert.Equal("Hello"u8.ToArray(), tokenizer.GetTokenBytes(13225).ToArray());
        Assert.Equal(" world"u8.ToArray(), tokenizer.GetTokenBytes(2375).ToArray());
        Assert.Equal("!"u8.ToArray(), tokenizer.GetTokenBytes(0).ToArray());
        Assert.True(tokenizer.TryGetTokenId("Hello"u8, out int hello));
        Assert.Equal(13225, hello);
        Assert.False(tokenizer.TryGetTokenId("<|endoftext|>"u8, out _));
        Assert.False(tokenizer.TryGetTokenId(ReadOnlySpan<byte>.Empty, out _));
        Assert.False(tokenizer.TryGetTokenId(new byte[tokenizer.MaxTokenLength + 1], out _));
        foreach (int id in Enumerable.Range(200000, 18).Append(199998))
        {
            Assert.False(tokenizer.IsValidId(id), $"{id} is unused in o200k_base");
            Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetTokenBytes(id).Length);
        }
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    [InlineData("r50k_base")]
    public void EveryOrdinaryTokenRoundTripsThroughLookup(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        // Straight from the vocabulary file: base64 token, space, rank.
        string[] lines = File.ReadAllLines(TestData.VocabularyPath(encoding));
        int maxLength = 0;
        foreach (string line in lines.Where(l => l.Length > 0))
        {
            string[] parts = line.Split(' ');
            byte[] bytes = Convert.FromBase64String(parts[0]);
            int rank = int.Parse(parts[1]);
            maxLength = Math.Max(maxLength, bytes.Length);
            Assert.True(tokenizer.IsValidId(rank));
            Assert.True(tokenizer.GetTokenBytes(rank).SequenceEqual(bytes), $"bytes of {rank}");
            Assert.True(tokenizer.TryGetTokenId(bytes, out int id) && id == rank, $"lookup of {rank}");
        }

        Assert.Equal(maxLength, tokenizer.MaxTokenLength);
        int specials = tokenizer.SpecialTokenIds.Length;
        Assert.Equal(lines.Count(l => l.Length > 0) + specials, Enumerable.Range(0, tokenizer.VocabularySize).Count(tokenizer.IsValidId));
    }

    [Fact]
    public void ImageRoundTrip()
    {
        byte[] image = CompileImage("o200k_base");
        Tokenizer tokenizer = Tokenizer.FromImage(image);
        string text = EngineTestSupport.Corpus("mixed-udhr-article1-all-languages");
        Assert.Equal(EngineTestSupport.Golden("o200k_base", "mixed-udhr-article1-all-languages"), tokenizer.EncodeToIds(text));
        Assert.Equal(200019, tokenizer.VocabularySize);
    }

    [Fact]
    public void CorruptImagesAreRejected()
    {
        byte[] image = CompileImage("r50k_base");
        Assert.NotNull(Tokenizer.FromImage(image));

        void Rejected(byte[] bad, string what)
        {
            var e = Record.Exception(() => Tokenizer.FromImage(bad));
            Assert.True(e is InvalidTokenizerImageException, $"{what}: got {e?.GetType().Name ?? "no exception"} {e?.Message}");
        }

        // A byte flipped in the middle, and at many spread-out places (every section).
        byte[] flipped = (byte[])image.Clone();
        flipped[image.Length / 2] ^= 0x01;
        Rejected(flipped, "middle byte flipped");
        var random = new Random(42);
        for (int i = 0; i < 200; i++)
        {
            int at = random.Next(image.Length);
            byte[] copy = (byte[])image.Clone();
            copy[at] ^= (byte)(1 << random.Next(8));
            Rejected(copy, $"bit flipped at {at}");
        }

        // Every byte of the header (the checksum does not cover it).
        for (int at = 0; at < 32; at++)
        {
            foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                byte[] copy = (byte[])image.Clone();
                copy[at] ^= mask;
                Rejected(copy, $"header byte {at} ^ {mask:X2}");
            }
        }

        // Truncated, extended.
        foreach (int length in new[] { 0, 1, 8, 16, 31, 32, 33, 100, image.Length / 2, image.Length - 8, image.Length - 1 })
        {
            Rejected(image[..length], $"truncated to {length}");
        }

        Rejected(image.Concat(new byte[] { 0 }).ToArray(), "one trailing byte");
        Rejected(image.Concat(new byte[8]).ToArray(), "eight trailing bytes");

        // Wrong magic.
        byte[] magic = (byte[])image.Clone();
        Encoding.ASCII.GetBytes("NOTIMAGE").CopyTo(magic, 0);
        Rejected(magic, "wrong magic");
        Rejected(new byte[image.Length], "all zeros");
        Rejected(Encoding.UTF8.GetBytes(File.ReadAllText(TestData.VocabularyPath("r50k_base"))), "a vocabulary file instead of an image");
    }
}
