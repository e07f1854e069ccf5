using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TokenizerCompiler.TokenLevel;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Prefix queries, canonical-encoding checks, token healing, the streaming decoder and offsets, on real vocabularies and text.</summary>
public sealed class TokenLevelApiTests
{
    private static Tokenizer O200k => TestData.Tiktoken("o200k_base");

    /// <summary>The ordinary ids of a tokenizer, by brute force.</summary>
    private static IEnumerable<int> OrdinaryIds(Tokenizer tokenizer) =>
        Enumerable.Range(0, tokenizer.VocabularySize).Where(id => tokenizer.IsValidId(id) && !tokenizer.SpecialTokenIds.Contains(id));

    [Theory]
    [InlineData("o200k_base", " hel")]
    [InlineData("o200k_base", "http")]
    [InlineData("cl100k_base", " пр")]
    [InlineData("cl100k_base", "\n\n")]
    [InlineData("o200k_base", "zzzzzzzzzzqqq")]
    public void TokensStartingWithMatchesAScanOfTheVocabulary(string encoding, string prefix)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        byte[] bytes = Encoding.UTF8.GetBytes(prefix);
        int[] expected = OrdinaryIds(tokenizer).Where(id => tokenizer.GetTokenBytes(id).StartsWith(bytes)).Order().ToArray();
        TokenIdRange range = tokenizer.TokenByteIndex.TokensStartingWith(bytes);
        Assert.Equal(expected, range.Ids.ToArray().Order().ToArray());
        var copied = new int[range.Count];
        range.CopyTo(copied);
        Assert.Equal(range.Ids.ToArray(), copied);
        foreach (int id in range)
        {
            Assert.True(tokenizer.GetTokenBytes(id).StartsWith(bytes));
        }
    }

    [Fact]
    public void EmptyPrefixIsEveryOrdinaryTokenAndCutCharactersWork()
    {
        Assert.Equal(OrdinaryIds(O200k).Count(), O200k.TokenByteIndex.TokensStartingWith(default).Count);
        // The first byte of a Cyrillic letter: byte-level tokens start with it.
        Assert.True(O200k.TokenByteIndex.TokensStartingWith(new byte[] { 0xD0 }).Count > 100);
    }

    [Fact]
    public void TokensThatArePrefixesOfABytesStringMatchAScan()
    {
        byte[] text = Encoding.UTF8.GetBytes(" international cooperation");
        int[] expected = OrdinaryIds(O200k).Where(id => text.AsSpan().StartsWith(O200k.GetTokenBytes(id)))
            .OrderBy(id => O200k.GetTokenBytes(id).Length).ToArray();
        Span<int> found = stackalloc int[O200k.MaxTokenLength];
        int count = O200k.TokenByteIndex.GetTokensThatArePrefixesOf(text, found);
        Assert.Equal(expected, found[..count].ToArray());
        Assert.True(count >= 3);
        var lengths = new List<int>();
        foreach (int id in O200k.TokenByteIndex.TokensThatArePrefixesOf(text))
        {
            lengths.Add(O200k.GetTokenBytes(id).Length);
        }

        Assert.Equal(lengths.Order(), lengths);
        Assert.Throws<ArgumentException>(() => O200k.TokenByteIndex.GetTokensThatArePrefixesOf(text, new int[1]));
    }

    [Fact]
    public void PrefixQueriesAllocateNothing()
    {
        TokenByteIndex index = O200k.TokenByteIndex;
        byte[] prefix = Encoding.UTF8.GetBytes(" the");
        Span<int> buffer = stackalloc int[256];
        index.TokensStartingWith(prefix);
        index.GetTokensThatArePrefixesOf(prefix, buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 100; i++)
        {
            total += index.TokensStartingWith(prefix).Count + index.GetTokensThatArePrefixesOf(prefix, buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(total > 0);
    }

    [Theory]
    [InlineData("o200k_base", "mixed-udhr-article1-all-languages")]
    [InlineData("cl100k_base", "code-python-test-re")]
    public void EncodingsOfRealTextAreCanonicalAndOtherSegmentationsAreNot(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string text = EngineTestSupport.Corpus(file)[..4000];
        int[] ids = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
        Assert.True(tokenizer.IsCanonicalEncoding(ids));

        // The same text spelled byte by byte decodes identically but is not the tokenizer's encoding.
        int[] bytewise = Encoding.UTF8.GetBytes(text[..40]).Select(b => { tokenizer.TryGetTokenId(new[] { b }, out int id); return id; }).ToArray();
        Assert.Equal(text[..40], tokenizer.Decode(bytewise));
        Assert.False(tokenizer.IsCanonicalEncoding(bytewise));
        Assert.True(tokenizer.IsCanonicalEncoding(ReadOnlySpan<int>.Empty));
    }

    [Fact]
    public void CutCharactersAndSpecialTokensFollowThePolicy()
    {
        int[] ids = O200k.EncodeToIds("日本");
        byte[] first = O200k.GetTokenBytes(ids[0]).ToArray();
        Assert.True(O200k.TryGetTokenId(first[..1], out int cut));
        Assert.False(O200k.IsCanonicalEncoding(new[] { cut }));
        Assert.True(O200k.TryGetSpecialTokenId("<|endoftext|>", out int eot));
        int[] withSpecial = O200k.EncodeToIds("Hi<|endoftext|>", SpecialTokenPolicy.Allow);
        Assert.True(O200k.IsCanonicalEncoding(withSpecial, SpecialTokenPolicy.Allow));
        Assert.False(O200k.IsCanonicalEncoding(withSpecial, SpecialTokenPolicy.TreatAsText));
        Assert.Contains(eot, withSpecial);
        Assert.Throws<ArgumentOutOfRangeException>(() => O200k.IsCanonicalEncoding(ids, SpecialTokenPolicy.Disallow));
    }

    [Fact]
    public void TokenHealingBacksOffAndOffersTheTokensThatRestoreTheText()
    {
        int[] prompt = O200k.EncodeToIds("The link is https:");
        HealedPrompt healed = TokenHealing.BackOff(O200k, prompt, 1);
        Assert.Equal(prompt.Length - 1, healed.KeptTokenCount);
        byte[] removed = O200k.GetTokenBytes(prompt[^1]).ToArray();
        Assert.Equal(removed, healed.RemovedBytes.ToArray());
        Assert.True(O200k.TryGetTokenId(Encoding.UTF8.GetBytes("://"), out int colonSlashes));
        Assert.True(healed.ConsistentTokens.Contains(colonSlashes));
        Assert.All(healed.ConsistentTokens.Ids.ToArray(), id => Assert.True(O200k.GetTokenBytes(id).StartsWith(removed)));

        HealedPrompt two = TokenHealing.BackOff(O200k, prompt, 2);
        Assert.Equal(O200k.DecodeToBytes(prompt[^2..]), two.RemovedBytes.ToArray());
        var partial = new List<int>();
        foreach (int id in two.PartialTokens)
        {
            partial.Add(id);
        }

        Assert.Contains(prompt[^2], partial);
        Assert.All(partial, id => Assert.True(two.RemovedBytes.StartsWith(O200k.GetTokenBytes(id)) && O200k.GetTokenBytes(id).Length < two.RemovedBytes.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenHealing.BackOff(O200k, prompt, prompt.Length + 1));
        Assert.Equal(0, TokenHealing.BackOff(O200k, prompt, prompt.Length).KeptTokenCount);
    }

    [Theory]
    [InlineData("o200k_base", "cjk-ja")]
    [InlineData("cl100k_base", "hindi")]
    [InlineData("cl100k_base", "emoji-unicode-emoji-test")]
    public void StreamingDecoderEmitsOnlyCompleteCharactersAndMatchesDecode(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string text = EngineTestSupport.Corpus(file)[..6000];
        int[] ids = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
        var decoder = new StreamingDecoder(tokenizer);
        var output = new List<byte>();
        byte[] buffer = new byte[decoder.MaxBytesPerAppend];
        int heldBack = 0;
        foreach (int id in ids)
        {
            int written = decoder.Append(id, buffer);
            Assert.True(System.Text.Unicode.Utf8.IsValid(buffer.AsSpan(0, written)));
            output.AddRange(buffer.AsSpan(0, written).ToArray());
            heldBack += decoder.PendingByteCount > 0 ? 1 : 0;
        }

        Assert.Equal(0, decoder.Flush(buffer));
        Assert.Equal(text, Encoding.UTF8.GetString(output.ToArray()));
        Assert.True(heldBack > 0, "the text should have characters cut between tokens");
    }

    [Fact]
    public void StreamingDecoderReplacesInvalidAndTruncatedSequencesLikeDecode()
    {
        // Byte tokens spelling: an invalid lead, "a", the first two bytes of a three-byte character, then the end.
        byte[] bytes = { 0xFF, (byte)'a', 0xE6, 0x97 };
        int[] ids = bytes.Select(b => { O200k.TryGetTokenId(new[] { b }, out int id); return id; }).ToArray();
        var decoder = new StreamingDecoder(O200k);
        var text = new StringBuilder();
        foreach (int id in ids)
        {
            text.Append(decoder.Append(id));
        }

        Assert.Equal(2, decoder.PendingByteCount);
        text.Append(decoder.Flush());
        Assert.Equal("\uFFFDa\uFFFD", text.ToString());
        Assert.Equal(O200k.Decode(ids), text.ToString());
        Assert.Equal(string.Empty, decoder.Flush());

        // A destination too small consumes nothing.
        O200k.TryGetTokenId(new byte[] { 0xE6 }, out int lead);
        decoder.Append(lead);
        Assert.Throws<ArgumentException>(() => decoder.Append(ids[1], new byte[1]));
        Assert.Equal(1, decoder.PendingByteCount);
    }

    [Fact]
    public void OffsetsCoverTheTextAndCutCharactersBelongToBothTokens()
    {
        string text = "Hello, wörld! 日本語 x";
        TokenSpan[] spans = TokenOffsets.Encode(O200k, text);
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int position = 0;
        foreach (TokenSpan span in spans)
        {
            Assert.Equal(position, span.ByteStart);
            Assert.Equal(O200k.GetTokenBytes(span.Id).ToArray(), utf8.AsSpan(span.ByteStart, span.ByteLength).ToArray());
            position += span.ByteLength;
            string covered = text.Substring(span.CharStart, span.CharLength);
            // The token's bytes lie inside the UTF-8 of its char span.
            Assert.Contains(Convert.ToHexString(O200k.GetTokenBytes(span.Id)), Convert.ToHexString(Encoding.UTF8.GetBytes(covered)));
        }

        Assert.Equal(utf8.Length, position);
        AssertWordIndices(text, spans);
        Assert.Equal(3, spans[^1].WordIndex);
        Assert.Equal(0, spans[0].WordIndex);
    }

    /// <summary>Each token's word index is the word of the first non-whitespace char of its char span, words counted naively.</summary>
    private static void AssertWordIndices(string text, TokenSpan[] spans)
    {
        var wordOfChar = new int[text.Length];
        int word = -1;
        bool previousSpace = true;
        for (int i = 0; i < text.Length; i++)
        {
            bool space = char.IsWhiteSpace(text[i]);
            if (!space && previousSpace && !char.IsLowSurrogate(text[i]))
            {
                word++;
            }

            wordOfChar[i] = space ? -1 : word;
            previousSpace = space;
        }

        foreach (TokenSpan span in spans)
        {
            int expected = Enumerable.Range(span.CharStart, span.CharLength).Select(i => wordOfChar[i]).FirstOrDefault(w => w >= 0, -1);
            Assert.Equal(expected, span.WordIndex);
        }
    }

    [Fact]
    public void OffsetsOnRealTextWithCutCharactersAndLoneSurrogates()
    {
        string text = EngineTestSupport.Corpus("emoji-cldr-annotations-en")[..3000] + "\uD800 lone";
        TokenSpan[] spans = TokenOffsets.Encode(TestData.Tiktoken("cl100k_base"), text, SpecialTokenPolicy.TreatAsText);
        Assert.Equal(text.Length, spans[^1].CharStart + spans[^1].CharLength);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), spans[^1].ByteStart + spans[^1].ByteLength);
        Assert.Contains(spans, s => spans.Any(t => t.CharStart < s.CharStart + s.CharLength && s.CharStart < t.CharStart + t.CharLength && !t.Equals(s)));
        int words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.Equal(words - 1, spans.Max(s => s.WordIndex));
        AssertWordIndices(text, spans);
    }

    [Fact]
    public void Utf8OffsetsMatchUtf16OffsetsAndInvalidUtf8IsRejected()
    {
        string text = EngineTestSupport.Corpus("hindi")[..2000];
        Tokenizer tokenizer = TestData.Tiktoken("cl100k_base");
        TokenSpan[] fromString = TokenOffsets.Encode(tokenizer, text, SpecialTokenPolicy.TreatAsText);
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int[] ids = tokenizer.EncodeToIds(utf8, SpecialTokenPolicy.TreatAsText);
        var fromUtf8 = new TokenSpan[ids.Length];
        TokenOffsets.GetSpans(tokenizer, utf8, ids, fromUtf8);
        Assert.Equal(fromString, fromUtf8);
        Assert.Throws<ArgumentException>(() => TokenOffsets.GetSpans(tokenizer, new byte[] { (byte)'a', 0xFF }, ids, fromUtf8));
    }

    [Fact]
    public void OffsetsRejectIdsThatAreNotTheTextsEncoding()
    {
        int[] ids = O200k.EncodeToIds("something else");
        var destination = new TokenSpan[ids.Length];
        Assert.Throws<InvalidOperationException>(() => TokenOffsets.GetSpans(O200k, "something", ids, destination));
        Assert.Throws<InvalidOperationException>(() => TokenOffsets.GetSpans(O200k, "something else and more", ids, destination));
        Assert.Throws<ArgumentException>(() => TokenOffsets.GetSpans(O200k, "something else", ids, new TokenSpan[1]));
    }
}
