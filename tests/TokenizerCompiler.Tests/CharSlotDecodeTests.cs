using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text.Unicode;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Decode to chars through the UTF-16 slot table: tokens that are whole characters copy their chars, the rest go
/// through UTF-8 and a transcoder. Whatever the mix, the chars must be those of transcoding the whole decoded bytes at
/// once, with U+FFFD where they are not valid UTF-8.
/// </summary>
public class CharSlotDecodeTests
{
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    [InlineData("llama3")]
    [InlineData("llama2")]
    [InlineData("gemma3")]
    public void MixedSlotAndPartialTokensDecodeAsTheWholeBytesTranscode(string name)
    {
        Tokenizer tokenizer = name.EndsWith("_base", StringComparison.Ordinal) ? TestData.Tiktoken(name) : HuggingFaceVocabularies.Get(name);
        tokenizer.Tables.WaitForCharSlots();
        tokenizer.Tables.WaitForDecodeSlots();
        TokenPools pools = TokenPools.Of(tokenizer);
        Assert.NotEmpty(pools.Whole);
        Assert.NotEmpty(pools.Partial);

        var random = new Random(20261206);
        for (int sample = 0; sample < 60; sample++)
        {
            int[] ids = pools.Sequence(random, random.Next(256, 3000), partialShare: sample % 4 * 0.1);
            string expected = TranscodeWhole(tokenizer.DecodeToBytes(ids));

            foreach (int extra in new[] { 0, 1, 200 })
            {
                var chars = new char[expected.Length + extra];
                Assert.Equal(OperationStatus.Done, tokenizer.DecodeToChars(ids, chars, out int consumed, out int written));
                Assert.Equal(ids.Length, consumed);
                Assert.True(expected.AsSpan().SequenceEqual(chars.AsSpan(0, written)), $"{name} sample {sample}, {extra} spare chars");
            }

            var shorter = new char[expected.Length - 1];
            Assert.Equal(OperationStatus.DestinationTooSmall, tokenizer.DecodeToChars(ids, shorter, out int kept, out int fitted));
            Assert.Equal(tokenizer.Decode(ids.AsSpan(0, kept)), new string(shorter, 0, fitted));
        }
    }

    /// <summary>
    /// A long run of single-byte tokens that spell two-, three- and four-byte characters fills the UTF-8 chunk many
    /// times over; a character cut at the end of a chunk must be carried to the next, not replaced.
    /// </summary>
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void CharactersCutAtAChunkEdgeAreCarriedOver(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        tokenizer.Tables.WaitForCharSlots();
        int[] byteIds = Enumerable.Range(0, 256)
            .Select(b => Enumerable.Range(0, tokenizer.VocabularySize)
                .Single(id => tokenizer.IsValidId(id) && tokenizer.GetTokenBytes(id).SequenceEqual(new[] { (byte)b })))
            .ToArray();
        string[] characters = { "中", "é", "🦜", "文", "ж" };
        var random = new Random(7);
        var text = new System.Text.StringBuilder();
        var ids = new List<int>();
        for (int i = 0; i < 20_000; i++)
        {
            string character = characters[random.Next(characters.Length)];
            text.Append(character);
            ids.AddRange(System.Text.Encoding.UTF8.GetBytes(character).Select(b => byteIds[b]));
            if (i % 7_000 == 6_999)
            {
                text.Append(" language");
                ids.AddRange(tokenizer.EncodeToIds(" language")); // back to the slots for a moment
            }
        }

        ids.Add(byteIds[0xE4]); // and one incomplete character at the very end
        text.Append('\uFFFD');
        Assert.Equal(text.ToString(), TranscodeWhole(tokenizer.DecodeToBytes(ids.ToArray())));

        var chars = new char[text.Length];
        Assert.Equal(OperationStatus.Done, tokenizer.DecodeToChars(ids.ToArray(), chars, out int consumed, out int written));
        Assert.Equal(ids.Count, consumed);
        Assert.Equal(text.ToString(), new string(chars, 0, written));
    }

    /// <summary>
    /// A whole token too long for a slot (over sixteen chars), transcoded on its own between slot blocks, and a run of
    /// them, at every position of a block, with destinations that end around the slot copies' limits: the chars of decoding the ids
    /// that fit, and nothing written past the destination.
    /// </summary>
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void LongWholeTokensBetweenSlotBlocksAndTightDestinations(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        tokenizer.Tables.WaitForCharSlots();
        tokenizer.Tables.WaitForDecodeSlots();
        int[] words = tokenizer.EncodeToIds(EngineTestSupport.Corpus("prose-en-python-faq"))[..280];
        int longToken = Enumerable.Range(0, tokenizer.VocabularySize)
            .First(id => tokenizer.IsValidId(id) && tokenizer.GetTokenBytes(id).Length > 20 && Utf8.IsValid(tokenizer.GetTokenBytes(id)));
        foreach (int run in new[] { 1, 9 }) // one long token; a block of them, whose stores go furthest
        for (int at = 0; at < 24; at++)
        {
            int[] ids = words[..at].Concat(Enumerable.Repeat(longToken, run)).Concat(words[at..]).Append(longToken).ToArray();
            string expected = tokenizer.Decode(ids);
            Assert.Equal(TranscodeWhole(tokenizer.DecodeToBytes(ids)), expected);
            foreach (int room in DecodeTests.TightRooms(expected.Length).Concat(DecodeTests.TightRooms(expected.Length).Select(r => r / 2)).Distinct())
            {
                char[] buffer = Enumerable.Repeat('\uA5A5', room + 32).ToArray();
                Span<char> destination = buffer.AsSpan(0, room);
                OperationStatus status = tokenizer.DecodeToChars(ids, destination, out int consumed, out int written);
                Assert.True(buffer.AsSpan(room).IndexOfAnyExcept('\uA5A5') < 0, $"long token at {at}, room {room}: written past the destination");
                Assert.Equal(room >= expected.Length ? OperationStatus.Done : OperationStatus.DestinationTooSmall, status);
                Assert.Equal(tokenizer.Decode(ids.AsSpan(0, consumed)), destination[..written].ToString());
                if (status == OperationStatus.DestinationTooSmall)
                {
                    Assert.True(written + tokenizer.Decode(ids.AsSpan(consumed, 1)).Length > room, $"long token at {at}, room {room}: stopped early");
                }
            }
        }
    }

    /// <summary>
    /// The first long call only starts building the UTF-16 slot table and transcodes UTF-8 chunks meanwhile; the chars
    /// are the same before and after the table exists.
    /// </summary>
    [Fact]
    public void CharsAreTheSameBeforeAndAfterTheSlotTableIsBuilt()
    {
        Tokenizer tokenizer = Tokenizer.FromVocabularyFile(TestData.VocabularyPath("o200k_base"));
        string text = EngineTestSupport.Corpus("hostile-mixed");
        int[] ids = tokenizer.EncodeToIds(text);
        Assert.True(ids.Length >= TokenizerCompiler.Internal.TokenizerTables.SlotTableMinimumIds);
        var chars = new char[text.Length];
        Assert.Equal(OperationStatus.Done, tokenizer.DecodeToChars(ids, chars, out _, out int written));
        Assert.Equal(text, new string(chars, 0, written));

        tokenizer.Tables.WaitForCharSlots();
        Assert.True(tokenizer.Tables.HasCharSlots);
        Array.Clear(chars);
        Assert.Equal(OperationStatus.Done, tokenizer.DecodeToChars(ids, chars, out _, out written));
        Assert.Equal(text, new string(chars, 0, written));
    }

    private static string TranscodeWhole(byte[] utf8)
    {
        var chars = new char[utf8.Length + 1];
        Assert.Equal(OperationStatus.Done, Utf8.ToUtf16(utf8, chars, out _, out int written, replaceInvalidSequences: true, isFinalBlock: true));
        return new string(chars, 0, written);
    }

    /// <summary>Token ids of a vocabulary sorted by what the UTF-16 slot table does with them.</summary>
    private sealed class TokenPools
    {
        public List<int> Whole { get; } = new();   // valid UTF-8 of at most sixteen chars: a slot
        public List<int> Partial { get; } = new(); // not valid UTF-8 alone: part of a character, or no character
        public List<int> Long { get; } = new();    // valid, but more than sixteen chars (Llama 2 has none)

        public static TokenPools Of(Tokenizer tokenizer)
        {
            var pools = new TokenPools();
            for (int id = 0; id < tokenizer.VocabularySize; id++)
            {
                if (!tokenizer.IsValidId(id))
                {
                    continue;
                }

                ReadOnlySpan<byte> bytes = tokenizer.Tables.DecodedBytes(id);
                if (bytes.IsEmpty)
                {
                    continue;
                }

                if (!Utf8.IsValid(bytes))
                {
                    pools.Partial.Add(id);
                }
                else if (System.Text.Encoding.UTF8.GetCharCount(bytes) > 16)
                {
                    pools.Long.Add(id);
                }
                else
                {
                    pools.Whole.Add(id);
                }
            }

            return pools;
        }

        /// <summary>
        /// Runs of whole tokens broken by runs of partial ones (about <paramref name="partialShare"/> of the ids) and
        /// the odd long token, so that blocks of eight are sometimes all whole and sometimes not.
        /// </summary>
        public int[] Sequence(Random random, int length, double partialShare)
        {
            var ids = new List<int>(length);
            while (ids.Count < length)
            {
                double pick = random.NextDouble();
                List<int> pool = pick < partialShare ? Partial : pick < partialShare + 0.02 && Long.Count > 0 ? Long : Whole;
                int run = pool == Whole ? random.Next(1, 40) : random.Next(1, 5);
                for (int i = 0; i < run; i++)
                {
                    ids.Add(pool[random.Next(pool.Count)]);
                }
            }

            return ids.ToArray();
        }
    }
}
