using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Special-token policies against npm tiktoken's encode(text, "all") and encode_ordinary goldens.</summary>
public class SpecialTokenTests
{
    /// <summary>tiktoken's special tokens per encoding (tiktoken_ext/openai_public.py), written out independently of the image.</summary>
    private static readonly Dictionary<string, Dictionary<string, int>> s_tiktokenSpecials = new()
    {
        ["o200k_base"] = new() { ["<|endoftext|>"] = 199999, ["<|endofprompt|>"] = 200018 },
        ["cl100k_base"] = new()
        {
            ["<|endoftext|>"] = 100257, ["<|fim_prefix|>"] = 100258, ["<|fim_middle|>"] = 100259,
            ["<|fim_suffix|>"] = 100260, ["<|endofprompt|>"] = 100276,
        },
        ["p50k_base"] = new() { ["<|endoftext|>"] = 50256 },
        ["r50k_base"] = new() { ["<|endoftext|>"] = 50256 },
    };

    public sealed record Case(string Encoding, int Index, string Text, int[] EncodeAll, int[] EncodeOrdinary);

    private static readonly Lazy<List<Case>> s_cases = new(() =>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.TiktokenGoldens, "specials.json")));
        var cases = new List<Case>();
        foreach (JsonProperty encoding in document.RootElement.GetProperty("encodings").EnumerateObject())
        {
            int index = 0;
            foreach (JsonElement item in encoding.Value.EnumerateArray())
            {
                cases.Add(new Case(
                    encoding.Name,
                    index++,
                    item.GetProperty("text").GetString()!,
                    item.GetProperty("encode_all").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                    item.GetProperty("encode_ordinary").EnumerateArray().Select(e => e.GetInt32()).ToArray()));
            }
        }

        return cases;
    });

    public static IEnumerable<object[]> Cases() => s_cases.Value.Select(c => new object[] { c.Encoding, c.Index });

    private static Case Get(string encoding, int index) => s_cases.Value.Single(c => c.Encoding == encoding && c.Index == index);

    [Fact]
    public void GoldenFileCoversEveryEncoding()
    {
        Assert.Equal(s_tiktokenSpecials.Keys.OrderBy(k => k), s_cases.Value.Select(c => c.Encoding).Distinct().OrderBy(k => k));
        // At least one case per encoding must actually hold a special token, or the Allow test proves nothing.
        foreach (string encoding in s_tiktokenSpecials.Keys)
        {
            Assert.Contains(s_cases.Value, c => c.Encoding == encoding && !c.EncodeAll.SequenceEqual(c.EncodeOrdinary));
        }
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    [InlineData("p50k_base")]
    [InlineData("r50k_base")]
    public void SpecialTokenSetMatchesTiktoken(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        Dictionary<string, int> expected = s_tiktokenSpecials[encoding];
        Assert.Equal(expected.Values.OrderBy(v => v), tokenizer.SpecialTokenIds.ToArray().OrderBy(v => v));
        foreach ((string text, int id) in expected)
        {
            Assert.True(tokenizer.TryGetSpecialTokenId(text, out int found), text);
            Assert.Equal(id, found);
            Assert.Equal(text, Encoding.UTF8.GetString(tokenizer.GetTokenBytes(id)));
            Assert.True(tokenizer.IsValidId(id));
            Assert.False(tokenizer.TryGetTokenId(Encoding.UTF8.GetBytes(text), out _), "special text is not an ordinary token");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AllowMatchesEncodeAll(string encoding, int index)
    {
        Case c = Get(encoding, index);
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        EngineTestSupport.SameIds(tokenizer, c.EncodeAll, tokenizer.EncodeToIds(c.Text, SpecialTokenPolicy.Allow));
        EngineTestSupport.SameIds(tokenizer, c.EncodeAll, tokenizer.EncodeToIds(Encoding.UTF8.GetBytes(c.Text), SpecialTokenPolicy.Allow));
        Assert.Equal(c.EncodeAll.Length, tokenizer.CountTokens(c.Text, SpecialTokenPolicy.Allow));
        Assert.Equal(c.EncodeAll.Length, tokenizer.CountTokens(Encoding.UTF8.GetBytes(c.Text), SpecialTokenPolicy.Allow));
        Assert.Equal(c.Text, tokenizer.Decode(c.EncodeAll));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TreatAsTextMatchesEncodeOrdinary(string encoding, int index)
    {
        Case c = Get(encoding, index);
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        EngineTestSupport.SameIds(tokenizer, c.EncodeOrdinary, tokenizer.EncodeToIds(c.Text, SpecialTokenPolicy.TreatAsText));
        EngineTestSupport.SameIds(tokenizer, c.EncodeOrdinary, tokenizer.EncodeToIds(Encoding.UTF8.GetBytes(c.Text), SpecialTokenPolicy.TreatAsText));
        Assert.Equal(c.EncodeOrdinary.Length, tokenizer.CountTokens(c.Text, SpecialTokenPolicy.TreatAsText));
        Assert.Equal(c.Text, tokenizer.Decode(c.EncodeOrdinary));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DisallowThrowsAtTheFirstSpecialToken(string encoding, int index)
    {
        Case c = Get(encoding, index);
        Tokenizer tokenizer = TestData.Tiktoken(encoding);

        // The leftmost special-token text (longest at the same start), found independently of the engine.
        (string Text, int CharIndex)? first = s_tiktokenSpecials[encoding].Keys
            .Select(s => (Text: s, CharIndex: c.Text.IndexOf(s, StringComparison.Ordinal)))
            .Where(p => p.CharIndex >= 0)
            .OrderBy(p => p.CharIndex).ThenByDescending(p => p.Text.Length)
            .Select(p => ((string, int)?)p)
            .FirstOrDefault();

        if (first is null)
        {
            // No special text: Disallow encodes like tiktoken's encode() with nothing allowed, which is encode_ordinary.
            Assert.Equal(c.EncodeOrdinary, c.EncodeAll);
            EngineTestSupport.SameIds(tokenizer, c.EncodeOrdinary, tokenizer.EncodeToIds(c.Text));
            EngineTestSupport.SameIds(tokenizer, c.EncodeOrdinary, tokenizer.EncodeToIds(Encoding.UTF8.GetBytes(c.Text)));
            return;
        }

        int byteOffset = Encoding.UTF8.GetByteCount(c.Text.AsSpan(0, first.Value.CharIndex));

        // Cross-check with the golden: the ids of encode_all before the first special id decode to exactly that many bytes.
        int firstSpecial = Array.FindIndex(c.EncodeAll, id => s_tiktokenSpecials[encoding].ContainsValue(id));
        Assert.Equal(s_tiktokenSpecials[encoding][first.Value.Text], c.EncodeAll[firstSpecial]);
        Assert.Equal(byteOffset, tokenizer.DecodeToBytes(c.EncodeAll.AsSpan(0, firstSpecial)).Length);

        void Check(Action action)
        {
            var e = Assert.Throws<DisallowedSpecialTokenException>(action);
            Assert.Equal(first.Value.Text, e.TokenText);
            Assert.Equal(byteOffset, e.ByteOffset);
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(c.Text);
        Check(() => tokenizer.EncodeToIds(c.Text));
        Check(() => tokenizer.EncodeToIds(c.Text, SpecialTokenPolicy.Disallow));
        Check(() => tokenizer.EncodeToIds(utf8));
        Check(() => tokenizer.EncodeToIds(c.Text.AsSpan(), new int[1000], out _, out _));
        Check(() => tokenizer.EncodeToIds(utf8.AsSpan(), new int[1], out _, out _));
        Check(() => tokenizer.CountTokens(c.Text));
        Check(() => tokenizer.CountTokens(utf8));
        Check(() => tokenizer.GetIndexByTokenCount(c.Text, 1, out _));
        Check(() => tokenizer.GetIndexByTokenCountFromEnd(c.Text, 1, out _));
    }

    [Fact]
    public void DisallowOffsetCountsUtf8BytesOfTheText()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        string text = "日本語 😀 <|endofprompt|> and <|endoftext|>";
        var e = Assert.Throws<DisallowedSpecialTokenException>(() => tokenizer.EncodeToIds(text));
        Assert.Equal("<|endofprompt|>", e.TokenText);
        Assert.Equal(9 + 1 + 4 + 1, e.ByteOffset);
    }

    [Fact]
    public void AllowInsideBudgetAndStreaming()
    {
        // Special tokens under Allow in the budget and streaming paths: a special token is one piece of one id.
        Tokenizer tokenizer = TestData.Tiktoken("cl100k_base");
        string text = string.Concat(Enumerable.Repeat("Hello world<|endoftext|><|fim_prefix|>x = 1<|fim_suffix|>", 20));
        int[] full = tokenizer.EncodeToIds(text, SpecialTokenPolicy.Allow);
        Assert.Contains(100257, full);
        for (int n = 0; n <= full.Length + 1; n++)
        {
            int index = tokenizer.GetIndexByTokenCount(text, n, out int count, SpecialTokenPolicy.Allow);
            Assert.True(count <= n);
            Assert.Equal(full.AsSpan(0, count).ToArray(), tokenizer.EncodeToIds(text[..index], SpecialTokenPolicy.Allow));
            int from = tokenizer.GetIndexByTokenCountFromEnd(text, n, out int tail, SpecialTokenPolicy.Allow);
            Assert.True(tail <= n);
            Assert.Equal(full.AsSpan(full.Length - tail).ToArray(), tokenizer.EncodeToIds(text[from..], SpecialTokenPolicy.Allow));
        }

        var collected = new List<int>();
        int position = 0;
        var destination = new int[3];
        while (true)
        {
            var status = tokenizer.EncodeToIds(text.AsSpan(position), destination, out int consumed, out int written, SpecialTokenPolicy.Allow);
            collected.AddRange(destination.AsSpan(0, written).ToArray());
            position += consumed;
            if (status == System.Buffers.OperationStatus.Done)
            {
                break;
            }

            Assert.True(consumed > 0);
        }

        Assert.Equal(full, collected);
    }
}
