using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Lone surrogates in UTF-16 input and invalid sequences in UTF-8 input are encoded as U+FFFD.</summary>
public class InvalidTextTests
{
    private static readonly Lazy<JsonDocument> s_golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "data", "goldens", "invalid-text.json"))));

    public static IEnumerable<object[]> GoldenCases()
    {
        foreach (JsonElement c in s_golden.Value.RootElement.GetProperty("cases").EnumerateArray())
        {
            foreach (JsonProperty result in c.GetProperty("results").EnumerateObject())
            {
                if (result.Value.TryGetProperty("encode_ordinary", out _))
                {
                    yield return new object[] { c.GetProperty("name").GetString()!, result.Name };
                }
            }
        }
    }

    /// <summary>The golden's <c>utf16</c> field: space-separated hex UTF-16 code units (values above FFFF are code points).</summary>
    private static string ParseUtf16(string units)
    {
        var builder = new StringBuilder();
        foreach (string unit in units.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int value = int.Parse(unit, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (value > 0xFFFF)
            {
                builder.Append(char.ConvertFromUtf32(value));
            }
            else
            {
                builder.Append((char)value);
            }
        }

        return builder.ToString();
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void LoneSurrogatesEncodeLikeTiktoken(string name, string encoding)
    {
        JsonElement c = s_golden.Value.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        JsonElement result = c.GetProperty("results").GetProperty(encoding);
        string text = ParseUtf16(c.GetProperty("utf16").GetString()!);
        int[] ordinary = result.GetProperty("encode_ordinary").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        int[] encode = result.GetProperty("encode").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        byte[] decodedBytes = Convert.FromHexString(result.GetProperty("decoded_hex").GetString()!);
        byte[] nodeUtf8 = Convert.FromHexString(c.GetProperty("node_utf8_hex").GetString()!);

        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        EngineTestSupport.SameIds(tokenizer, ordinary, tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText));
        EngineTestSupport.SameIds(tokenizer, encode, tokenizer.EncodeToIds(text));
        Assert.Equal(ordinary.Length, tokenizer.CountTokens(text));
        Assert.Equal(decodedBytes, tokenizer.DecodeToBytes(ordinary));

        // The span overload and the UTF-8 form Node produced agree with the string overload.
        var destination = new int[ordinary.Length];
        Assert.Equal(OperationStatus.Done, tokenizer.EncodeToIds(text.AsSpan(), destination, out int consumed, out int written));
        Assert.Equal(text.Length, consumed);
        Assert.Equal(ordinary.Length, written);
        Assert.Equal(ordinary, destination);
        EngineTestSupport.SameIds(tokenizer, ordinary, tokenizer.EncodeToIds(nodeUtf8));
    }

    public static IEnumerable<object[]> InvalidUtf8Cases() => new[]
    {
        // input hex, the text with WHATWG / Unicode "maximal subpart" replacement, written out by hand
        new object[] { "61 62 63 FF 64 65 66", "abc\uFFFDdef" },
        new object[] { "FF", "\uFFFD" },
        new object[] { "FE FF", "\uFFFD\uFFFD" },
        new object[] { "80", "\uFFFD" },
        new object[] { "80 80 80 41", "\uFFFD\uFFFD\uFFFDA" },
        new object[] { "E6 97", "\uFFFD" },                                // truncated 3-byte sequence at the end
        new object[] { "E6 97 61 62 63", "\uFFFDabc" },                    // truncated 3-byte sequence before ASCII
        new object[] { "F0 9F 98", "\uFFFD" },                             // truncated 4-byte sequence at the end
        new object[] { "20 F0 9F 98 20 F0 9F 98 80", " \uFFFD \U0001F600" },
        new object[] { "C0 AF", "\uFFFD\uFFFD" },                          // overlong '/'
        new object[] { "E0 80 AF", "\uFFFD\uFFFD\uFFFD" },                 // overlong '/', three bytes
        new object[] { "F0 80 80 AF", "\uFFFD\uFFFD\uFFFD\uFFFD" },        // overlong '/', four bytes
        new object[] { "ED A0 80", "\uFFFD\uFFFD\uFFFD" },                 // encoded surrogate D800
        new object[] { "F4 90 80 80", "\uFFFD\uFFFD\uFFFD\uFFFD" },        // above U+10FFFF
        new object[] { "68 65 6C 6C 6F C3 20 77 6F 72 6C 64", "hello\uFFFD world" },
        new object[] { "E6 97 A5 E6 9C E8 AA 9E", "日\uFFFD語" },
        new object[] { "3C 7C 65 6E 64 6F 66 FF 74 65 78 74 7C 3E", "<|endof\uFFFDtext|>" },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8Cases))]
    public void InvalidUtf8EncodesAsReplacementCharacter(string hex, string expectedText)
    {
        byte[] input = EngineTestSupport.Hex(hex);
        Assert.False(System.Text.Unicode.Utf8.IsValid(input));
        foreach (string encoding in new[] { "o200k_base", "cl100k_base", "r50k_base" })
        {
            Tokenizer tokenizer = TestData.Tiktoken(encoding);
            int[] expected = tokenizer.EncodeToIds(expectedText);
            EngineTestSupport.SameIds(tokenizer, expected, tokenizer.EncodeToIds(input), encoding);
            Assert.Equal(expected.Length, tokenizer.CountTokens(input));
            Assert.Equal(expectedText, tokenizer.Decode(tokenizer.EncodeToIds(input)));

            var destination = new int[expected.Length + 3];
            Assert.Equal(OperationStatus.Done, tokenizer.EncodeToIds(input, destination, out int consumed, out int written));
            Assert.Equal(input.Length, consumed);
            Assert.Equal(expected, destination.AsSpan(0, written).ToArray());
        }
    }

    /// <summary>Text with invalid bytes and lone surrogates sprinkled through real prose: offsets map back to the caller's input.</summary>
    [Fact]
    public void OffsetsMapBackToTheCallersInput()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        string prose = EngineTestSupport.Corpus("prose-en-python-faq")[..6000];
        var random = new Random(1234);

        // UTF-8: insert invalid sequences of various lengths at random places (always between whole characters).
        var bytes = new List<byte>();
        var repaired = new StringBuilder();
        byte[][] junk = { new byte[] { 0xFF }, new byte[] { 0xC0, 0xAF }, new byte[] { 0xE6, 0x97 }, new byte[] { 0xF0, 0x9F, 0x98 }, new byte[] { 0x80, 0x80 } };
        string[] junkText = { "\uFFFD", "\uFFFD\uFFFD", "\uFFFD", "\uFFFD", "\uFFFD\uFFFD" };
        var surrogates = new StringBuilder();
        foreach (char ch in prose)
        {
            if (random.Next(40) == 0)
            {
                int k = random.Next(junk.Length);
                bytes.AddRange(junk[k]);
                repaired.Append(junkText[k]);
                surrogates.Append(random.Next(2) == 0 ? '\uD800' : '\uDFFF');
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(ch.ToString()));
            repaired.Append(ch);
            surrogates.Append(ch);
        }

        byte[] input = bytes.ToArray();
        string withSurrogates = surrogates.ToString();
        int[] full = tokenizer.EncodeToIds(repaired.ToString());
        EngineTestSupport.SameIds(tokenizer, full, tokenizer.EncodeToIds(input), "utf-8");

        int[] fullSurrogates = tokenizer.EncodeToIds(withSurrogates.Replace('\uD800', '\uFFFD').Replace('\uDFFF', '\uFFFD'));
        EngineTestSupport.SameIds(tokenizer, fullSurrogates, tokenizer.EncodeToIds(withSurrogates), "utf-16");

        // Streaming resumes from byte/char offsets of the original input.
        Assert.Equal(full, StreamingEncodeTests.EncodeInChunks(tokenizer, input, 5, SpecialTokenPolicy.Disallow));
        Assert.Equal(fullSurrogates, StreamingEncodeTests.EncodeInChunks(tokenizer, withSurrogates, 5, SpecialTokenPolicy.Disallow));

        // Budgets return offsets into the original input.
        foreach (int n in new[] { 0, 1, 7, 50, 333, full.Length / 2, full.Length - 1, full.Length })
        {
            int index = tokenizer.GetIndexByTokenCount(input, n, out int count);
            Assert.True(count <= n);
            Assert.Equal(full.AsSpan(0, count).ToArray(), tokenizer.EncodeToIds(input.AsSpan(0, index)));
            int from = tokenizer.GetIndexByTokenCountFromEnd(input, n, out int tail);
            Assert.True(tail <= n);
            Assert.Equal(full.AsSpan(full.Length - tail).ToArray(), tokenizer.EncodeToIds(input.AsSpan(from)));

            int charIndex = tokenizer.GetIndexByTokenCount(withSurrogates, n, out int charCount);
            Assert.Equal(fullSurrogates.AsSpan(0, charCount).ToArray(), tokenizer.EncodeToIds(withSurrogates[..charIndex]));
            int charFrom = tokenizer.GetIndexByTokenCountFromEnd(withSurrogates, n, out int charTail);
            Assert.Equal(fullSurrogates.AsSpan(fullSurrogates.Length - charTail).ToArray(), tokenizer.EncodeToIds(withSurrogates[charFrom..]));
        }
    }

    [Fact]
    public void DisallowedSpecialOffsetIsInTheCallersUtf8Input()
    {
        // "Where it starts in the UTF-8 input": with invalid bytes before the special text, the offset must
        // still index the caller's bytes, not the repaired copy (FF becomes three bytes there).
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        byte[] input = EngineTestSupport.Hex("FF FF 61 C0 AF").Concat(Encoding.UTF8.GetBytes("<|endoftext|>")).ToArray();
        var e = Assert.Throws<DisallowedSpecialTokenException>(() => tokenizer.EncodeToIds(input));
        Assert.Equal("<|endoftext|>", e.TokenText);
        Assert.Equal(5, e.ByteOffset);
        Assert.Equal(Encoding.UTF8.GetBytes("<|endoftext|>"), input.AsSpan(e.ByteOffset, 13).ToArray());
    }
}
