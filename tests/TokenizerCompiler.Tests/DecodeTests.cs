using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Unicode;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Resumable decoding into small destinations, and invalid ids.</summary>
public class DecodeTests
{
    private static readonly string[] s_files = { "cjk-zh", "emoji-unicode-emoji-test", "emoji-cldr-annotations-en", "hostile-mixed", "thai", "prose-en-python-faq" };

    public static IEnumerable<object[]> Cases() => EngineTestSupport.Cross(new[] { "o200k_base", "cl100k_base", "r50k_base" }, s_files);

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodeToUtf8InSmallDestinations(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string text = EngineTestSupport.Corpus(file);
        int[] ids = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
        byte[] expected = Encoding.UTF8.GetBytes(text);
        Assert.Equal(expected, tokenizer.DecodeToBytes(ids));
        Assert.Equal(expected.Length, tokenizer.GetDecodedByteCount(ids));

        foreach (int size in new[] { 1, 2, 3, 5, 16, 100, 4096 })
        {
            var output = new List<byte>(expected.Length);
            int position = 0;
            var destination = new byte[size];
            while (true)
            {
                OperationStatus status = tokenizer.DecodeToUtf8(ids.AsSpan(position), destination, out int consumed, out int written);
                Assert.Equal(tokenizer.GetDecodedByteCount(ids.AsSpan(position, consumed)), written);
                output.AddRange(destination.AsSpan(0, written).ToArray());
                position += consumed;
                if (status == OperationStatus.Done)
                {
                    break;
                }

                Assert.Equal(OperationStatus.DestinationTooSmall, status);
                // It stops only before an id that does not fit.
                Assert.True(tokenizer.GetTokenBytes(ids[position]).Length > destination.Length - written);
                destination = consumed == 0 ? new byte[destination.Length * 2] : new byte[size];
            }

            Assert.Equal(ids.Length, position);
            Assert.True(expected.AsSpan().SequenceEqual(output.ToArray()), $"size {size}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodeToCharsInSmallDestinations(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string corpus = EngineTestSupport.Corpus(file);
        int[] ids = tokenizer.EncodeToIds(corpus, SpecialTokenPolicy.TreatAsText);
        ids = ids[..Math.Min(ids.Length, 2000)];
        string expected = tokenizer.Decode(ids);
        Assert.StartsWith(expected.TrimEnd('\uFFFD'), corpus);

        if (file.StartsWith("cjk", StringComparison.Ordinal) || file.StartsWith("emoji", StringComparison.Ordinal))
        {
            // The test is only meaningful if some tokens split a multi-byte character.
            Assert.Contains(ids, id => !Utf8.IsValid(tokenizer.GetTokenBytes(id)));
        }

        foreach (int size in new[] { 1, 3, 7, 64 })
        {
            var output = new StringBuilder(expected.Length);
            int position = 0;
            var destination = new char[size];
            while (true)
            {
                OperationStatus status = tokenizer.DecodeToChars(ids.AsSpan(position), destination, out int consumed, out int written);
                Assert.InRange(written, 0, destination.Length);
                output.Append(destination, 0, written);
                position += consumed;
                if (status == OperationStatus.Done)
                {
                    break;
                }

                Assert.Equal(OperationStatus.DestinationTooSmall, status);
                Assert.Equal(written == 0, consumed == 0);
                destination = consumed == 0 ? new char[destination.Length * 2] : new char[size];
            }

            Assert.Equal(ids.Length, position);
            Assert.True(expected == output.ToString(), $"size {size}: chunked decode differs");
        }
    }

    /// <summary>
    /// Regression: DecodeToChars into a destination smaller than the text once searched for the longest fitting
    /// prefix from the end of the id list, summing the prefix's bytes each time (quadratic per call), so
    /// streaming a long id list through a small buffer never finished.
    /// </summary>
    [Fact]
    public void DecodeToCharsOfALongListThroughASmallBuffer()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        string text = EngineTestSupport.Corpus("cjk-zh") + EngineTestSupport.Corpus("emoji-unicode-emoji-test");
        int[] ids = tokenizer.EncodeToIds(text);
        Assert.True(ids.Length > 40_000);
        var output = new StringBuilder(text.Length);
        var destination = new char[2048];
        int position = 0;
        OperationStatus status;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            status = tokenizer.DecodeToChars(ids.AsSpan(position), destination, out int consumed, out int written);
            Assert.True(consumed > 0);
            Assert.True(status == OperationStatus.Done || written >= destination.Length - tokenizer.MaxTokenLength - 4,
                "the destination is filled up to an id that does not fit");
            output.Append(destination, 0, written);
            position += consumed;
        }
        while (status == OperationStatus.DestinationTooSmall);

        // A linear pass per call takes well under a second here; the quadratic search took about a minute.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(OperationStatus.Done, status);
        Assert.True(text == output.ToString());
    }

    [Fact]
    public void DecodeToCharsKeepsASplitCharacterTogether()
    {
        Tokenizer tokenizer = TestData.Tiktoken("cl100k_base");
        // Find a character whose encoding takes several byte-level ids.
        string text = "🦜🦜🦜 𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
        int[] ids = tokenizer.EncodeToIds(text);
        Assert.Contains(ids, id => !Utf8.IsValid(tokenizer.GetTokenBytes(id)));
        var destination = new char[2];
        OperationStatus status = tokenizer.DecodeToChars(ids, destination, out int consumed, out int written);
        Assert.Equal(OperationStatus.DestinationTooSmall, status);
        // Whatever was written is whole characters and exactly the ids consumed: no half of a split character.
        string got = new string(destination, 0, written);
        Assert.StartsWith(got, text, StringComparison.Ordinal);
        Assert.True(Utf8.IsValid(tokenizer.DecodeToBytes(ids.AsSpan(0, consumed))));
        Assert.Equal(got, tokenizer.Decode(ids.AsSpan(0, consumed)));
        Assert.DoesNotContain('\uFFFD', got);
    }

    /// <summary>
    /// Every token, in id order and reversed, in one call into a destination of exactly the right size: the copy's
    /// groups of four meet long tokens, the last tokens of the byte table (copied one at a time, so that no 16-byte
    /// load runs past it; a read past it is not observable here unless it faults) and the end of the destination.
    /// </summary>
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    [InlineData("r50k_base")]
    public void EveryTokenDecodesToItsBytes(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        int[] ids = Enumerable.Range(0, tokenizer.VocabularySize).Where(tokenizer.IsValidId).ToArray();
        foreach (int[] order in new[] { ids, ids.Reverse().ToArray() })
        {
            byte[] expected = order.SelectMany(id => tokenizer.GetTokenBytes(id).ToArray()).ToArray();
            var destination = new byte[expected.Length];
            Assert.Equal(OperationStatus.Done, tokenizer.DecodeToUtf8(order, destination, out int consumed, out int written));
            Assert.Equal(order.Length, consumed);
            Assert.Equal(expected.Length, written);
            Assert.True(expected.AsSpan().SequenceEqual(destination));
        }
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void InvalidIdIsReported(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        // Long enough that the copy's groups of four (they need 64 bytes of room) meet the bad id at every position.
        string text = "Hello, 世界! 🎉 The quick brown fox jumps over the lazy dog, again and again and again.";
        int[] good = tokenizer.EncodeToIds(text);
        var bads = new List<int> { -1, int.MinValue, tokenizer.VocabularySize, tokenizer.VocabularySize + 1000, int.MaxValue };
        // An unused id below the vocabulary size, if there is one (o200k: 199998, then 200000..200017; cl100k: 100256).
        int gap = Enumerable.Range(0, tokenizer.VocabularySize).FirstOrDefault(id => !tokenizer.IsValidId(id), -1);
        Assert.Equal(encoding == "o200k_base" ? 199998 : 100256, gap);

        if (gap >= 0)
        {
            bads.Add(gap);
        }

        foreach (int bad in bads)
        {
            for (int at = 0; at <= good.Length; at++)
            {
                int[] ids = good[..at].Append(bad).Concat(good[at..]).ToArray();
                string prefix = tokenizer.Decode(good.AsSpan(0, at));
                byte[] prefixBytes = tokenizer.DecodeToBytes(good.AsSpan(0, at));

                var bytes = new byte[400];
                Assert.Equal(OperationStatus.InvalidData, tokenizer.DecodeToUtf8(ids, bytes, out int consumed, out int written));
                Assert.Equal(at, consumed);
                Assert.Equal(prefixBytes, bytes.AsSpan(0, written).ToArray());

                var chars = new char[400];
                Assert.Equal(OperationStatus.InvalidData, tokenizer.DecodeToChars(ids, chars, out consumed, out written));
                Assert.Equal(at, consumed);
                Assert.Equal(prefix, new string(chars, 0, written));

                Assert.False(tokenizer.IsValidId(bad));
                Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode(ids));
                Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.DecodeToBytes(ids));
                Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetDecodedByteCount(ids));
                Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetTokenBytes(bad));
            }
        }
    }

    /// <summary>
    /// The slot table's blocks of eight: a bad id at every position of a long list (before, inside and after a
    /// block, and in the last ids that no block holds) stops the call exactly there, with the bytes before it written.
    /// Hugging Face vocabularies go through the same table with their decoded bytes (Llama 2 strips the first space).
    /// </summary>
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    [InlineData("llama3")]
    [InlineData("llama2")]
    public void SlotBlocksStopAtABadIdAnywhere(string name)
    {
        Tokenizer tokenizer = SlotTestTokenizer(name);
        int[] good = tokenizer.EncodeToIds(EngineTestSupport.Corpus("prose-en-python-faq"))[..300];
        // Past the vocabulary: the first id, the last one below the next power of two (both slot tables are kept up to
        // it, without contents, so that one OR checks a block's range) and the power of two itself.
        int powerOfTwo = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)tokenizer.VocabularySize);
        var bads = new List<int> { -1, tokenizer.VocabularySize, powerOfTwo - 1, powerOfTwo, int.MaxValue };
        if (tokenizer.Tables.Pipeline is null)
        {
            bads.Add(name == "o200k_base" ? 199998 : 100256); // an unused id below the vocabulary size
        }

        foreach (int bad in bads)
        {
            for (int at = 0; at <= good.Length; at++)
            {
                int[] ids = good[..at].Append(bad).Concat(good[at..]).ToArray();
                byte[] prefix = tokenizer.DecodeToBytes(good.AsSpan(0, at));
                var bytes = new byte[prefix.Length + 4096];
                Assert.Equal(OperationStatus.InvalidData, tokenizer.DecodeToUtf8(ids, bytes, out int consumed, out int written));
                Assert.Equal(at, consumed);
                Assert.True(prefix.AsSpan().SequenceEqual(bytes.AsSpan(0, written)), $"bad {bad} at {at}");

                string prefixChars = tokenizer.Decode(good.AsSpan(0, at));
                var chars = new char[prefixChars.Length + 4096];
                Assert.Equal(OperationStatus.InvalidData, tokenizer.DecodeToChars(ids, chars, out consumed, out written));
                Assert.Equal(at, consumed);
                Assert.Equal(prefixChars, new string(chars, 0, written));
            }
        }
    }

    /// <summary>
    /// A bad id in a block whose other seven tokens are a byte each: the block's advance is then the smallest a bad id
    /// can make it (seven, plus the bad id's length), and it must still exceed what a block of eight good tokens can
    /// advance, at every position of the block.
    /// </summary>
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void SlotBlocksStopAtABadIdAmongOneByteTokens(string name)
    {
        Tokenizer tokenizer = SlotTestTokenizer(name);
        int letter = tokenizer.EncodeToIds("a")[0];
        int powerOfTwo = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)tokenizer.VocabularySize);
        foreach (int bad in new[] { name == "o200k_base" ? 199998 : 100256, tokenizer.VocabularySize, powerOfTwo - 1 })
        {
            for (int at = 0; at < 16; at++)
            {
                int[] ids = Enumerable.Repeat(letter, 40).ToArray();
                ids[at] = bad;
                var bytes = new byte[4096];
                Assert.Equal(OperationStatus.InvalidData, tokenizer.DecodeToUtf8(ids, bytes, out int consumed, out int written));
                Assert.Equal(at, consumed);
                Assert.Equal(at, written);
                var chars = new char[4096];
                Assert.Equal(OperationStatus.InvalidData, tokenizer.DecodeToChars(ids, chars, out consumed, out written));
                Assert.Equal(at, consumed);
                Assert.Equal(at, written);
            }
        }
    }

    /// <summary>A tiktoken (<c>*_base</c>) or Hugging Face vocabulary with both slot tables built, so that the slot paths run from the first call.</summary>
    private static Tokenizer SlotTestTokenizer(string name)
    {
        Tokenizer tokenizer = name.EndsWith("_base", StringComparison.Ordinal) ? TestData.Tiktoken(name) : HuggingFaceVocabularies.Get(name);
        tokenizer.Tables.WaitForDecodeSlots();
        tokenizer.Tables.WaitForCharSlots();
        return tokenizer;
    }

    /// <summary>
    /// Hugging Face decoders that strip leading spaces do it once per call, before the blocks take over: a call that
    /// starts with tokens that are only spaces, then long text, strips exactly as the token-by-token rule says.
    /// </summary>
    [Fact]
    public void LeadingSpacesAreStrippedBeforeTheBlocks()
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get("llama2"); // Metaspace: strips one leading space
        tokenizer.Tables.WaitForDecodeSlots();
        string text = EngineTestSupport.Corpus("prose-en-python-faq");
        int[] ids = tokenizer.EncodeToIds(text);
        Assert.True(ids.Length > TokenizerCompiler.Internal.TokenizerTables.SlotTableMinimumIds);
        Assert.Equal(text, tokenizer.Decode(ids));
        byte[] whole = tokenizer.DecodeToBytes(ids);
        byte[] joined = ids.SelectMany(id => tokenizer.GetTokenBytes(id).ToArray()).ToArray();
        Assert.Equal((byte)' ', joined[0]);
        Assert.Equal(joined[1..], whole);
    }

    /// <summary>
    /// A long token (over fifteen bytes, which has no slot: the slot's last byte holds the length; the test takes one
    /// of sixteen bytes and longer ones, up to and past the 32 and 64 bytes that long tokens are moved by), a token
    /// that just fits, and a run of them, at every position of a block, and destinations that end around the slot
    /// copies' limits: the same bytes and chars as decoding each token alone, and nothing written past the destination.
    /// </summary>
    [Theory]
    [InlineData("o200k_base", 15)]
    [InlineData("o200k_base", 16)]
    [InlineData("o200k_base", 17)]
    [InlineData("o200k_base", 32)]
    [InlineData("o200k_base", 33)]
    [InlineData("o200k_base", 64)]
    [InlineData("o200k_base", 65)]
    [InlineData("cl100k_base", 15)]
    [InlineData("cl100k_base", 16)]
    [InlineData("cl100k_base", 17)]
    [InlineData("cl100k_base", 31)]
    [InlineData("cl100k_base", 33)]
    [InlineData("cl100k_base", 63)]
    [InlineData("cl100k_base", 64)]
    public void SlotBlocksHandOnLongTokensAndTightDestinations(string encoding, int tokenBytes)
    {
        Tokenizer tokenizer = SlotTestTokenizer(encoding);
        int[] words = tokenizer.EncodeToIds(EngineTestSupport.Corpus("prose-en-python-faq"))[..280];
        int longToken = Enumerable.Range(0, tokenizer.VocabularySize).First(id => tokenizer.IsValidId(id) && tokenizer.GetTokenBytes(id).Length == tokenBytes);
        foreach (int run in new[] { 1, 9 }) // one long token; a block of them, whose stores go furthest
        for (int at = 0; at < 24; at++)
        {
            int[] ids = words[..at].Concat(Enumerable.Repeat(longToken, run)).Concat(words[at..]).ToArray();
            byte[] expected = ids.SelectMany(id => tokenizer.GetTokenBytes(id).ToArray()).ToArray();
            Assert.Equal(expected, tokenizer.DecodeToBytes(ids));
            foreach (int room in TightRooms(expected.Length))
            {
                // A slice of a larger buffer: the bytes after it must stay as they were.
                byte[] buffer = Enumerable.Repeat((byte)0xA5, room + 64).ToArray();
                Span<byte> destination = buffer.AsSpan(0, room);
                OperationStatus status = tokenizer.DecodeToUtf8(ids, destination, out int consumed, out int written);
                Assert.True(buffer.AsSpan(room).IndexOfAnyExcept((byte)0xA5) < 0, $"long token at {at}, room {room}: written past the destination");
                Assert.Equal(room >= expected.Length ? OperationStatus.Done : OperationStatus.DestinationTooSmall, status);
                byte[] fits = tokenizer.DecodeToBytes(ids.AsSpan(0, consumed));
                Assert.True(fits.AsSpan().SequenceEqual(destination[..written]), $"long token at {at}, room {room}");
                if (status == OperationStatus.DestinationTooSmall)
                {
                    Assert.True(written + tokenizer.GetTokenBytes(ids[consumed]).Length > room); // it stops only before an id that does not fit
                }
            }

            string expectedText = string.Concat(ids.Select(id => tokenizer.Decode([id])));
            foreach (int room in TightRooms(expectedText.Length))
            {
                char[] buffer = Enumerable.Repeat('\uA5A5', room + 64).ToArray();
                Span<char> destination = buffer.AsSpan(0, room);
                OperationStatus status = tokenizer.DecodeToChars(ids, destination, out int consumed, out int written);
                Assert.True(buffer.AsSpan(room).IndexOfAnyExcept('\uA5A5') < 0, $"long token at {at}, room {room}: chars written past the destination");
                Assert.Equal(room >= expectedText.Length ? OperationStatus.Done : OperationStatus.DestinationTooSmall, status);
                Assert.Equal(tokenizer.Decode(ids.AsSpan(0, consumed)), new string(destination[..written]));
            }
        }
    }

    /// <summary>
    /// Long tokens of every length a vocabulary has past fifteen bytes, among short ones, over many rounds of blocks (the
    /// blocks take long tokens and their contents are put in afterwards, a round of blocks at a time): the same bytes as
    /// the tokens one after another, into a destination of exactly their length, or one short of it, with nothing
    /// written past it.
    /// </summary>
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    [InlineData("r50k_base")]
    public void LongTokensAmongManyBlocksArePlacedExactly(string name)
    {
        Tokenizer tokenizer = SlotTestTokenizer(name);
        int[] valid = Enumerable.Range(0, tokenizer.VocabularySize).Where(tokenizer.IsValidId).ToArray();
        int[] longOnes = valid.Where(id => tokenizer.GetTokenBytes(id).Length > 15)
            .GroupBy(id => tokenizer.GetTokenBytes(id).Length).Select(lengths => lengths.First()).ToArray();
        Assert.True(longOnes.Length >= 15, $"{name}: {longOnes.Length} lengths past fifteen bytes");
        int[] shortOnes = valid.Where(id => tokenizer.GetTokenBytes(id).Length is > 0 and <= 15).ToArray();
        var random = new Random(23);
        int[] ids = Enumerable.Range(0, 6000)
            .Select(_ => random.Next(5) == 0 ? longOnes[random.Next(longOnes.Length)] : shortOnes[random.Next(shortOnes.Length)])
            .ToArray();
        byte[] expected = ids.SelectMany(id => tokenizer.GetTokenBytes(id).ToArray()).ToArray();
        foreach (int room in new[] { expected.Length, expected.Length - 1 })
        {
            byte[] buffer = Enumerable.Repeat((byte)0xA5, room + 64).ToArray();
            OperationStatus status = tokenizer.DecodeToUtf8(ids, buffer.AsSpan(0, room), out int consumed, out int written);
            Assert.True(buffer.AsSpan(room).IndexOfAnyExcept((byte)0xA5) < 0, $"room {room}: written past the destination");
            Assert.Equal(room == expected.Length ? OperationStatus.Done : OperationStatus.DestinationTooSmall, status);
            Assert.Equal(ids.Take(consumed).Sum(id => tokenizer.GetTokenBytes(id).Length), written);
            Assert.True(expected.AsSpan(0, written).SequenceEqual(buffer.AsSpan(0, written)), $"room {room}: bytes differ");
        }
    }

    /// <summary>
    /// Rooms at the edges of the slot copies' limits (a slot; one and two blocks of full slots, alone and with a slot
    /// more, in bytes or chars), others between them, and just short of the whole text.
    /// </summary>
    internal static IEnumerable<int> TightRooms(int whole) =>
        new[] { 1, 15, 16, 17, 127, 128, 129, 143, 144, 145, 255, 256, 257, 271, 272, 273, 287, 288, 289, 600, 926, 1055, whole - 1, whole }
            .Where(room => room > 0 && room <= whole)
            .Distinct();

    /// <summary>
    /// Short calls do not start building the slot table (a streaming decoder should not cost 3 MB), a long call starts it
    /// on the thread pool and decodes from the image's offsets meanwhile, and short calls give the same bytes before
    /// and after the table exists.
    /// </summary>
    [Fact]
    public void ShortCallsDecodeTheSameWithAndWithoutTheSlotTable()
    {
        Tokenizer tokenizer = Tokenizer.FromVocabularyFile(TestData.VocabularyPath("cl100k_base"));
        int[] ids = tokenizer.EncodeToIds(EngineTestSupport.Corpus("hostile-mixed"));
        int[] shortIds = ids[..(TokenizerCompiler.Internal.TokenizerTables.SlotTableMinimumIds - 1)];
        byte[] before = tokenizer.DecodeToBytes(shortIds);
        Assert.False(tokenizer.Tables.DecodeSlotsStarted);

        Assert.True(ids.Length >= TokenizerCompiler.Internal.TokenizerTables.SlotTableMinimumIds);
        byte[] expected = Encoding.UTF8.GetBytes(EngineTestSupport.Corpus("hostile-mixed"));
        Assert.Equal(expected, tokenizer.DecodeToBytes(ids));
        Assert.True(tokenizer.Tables.DecodeSlotsStarted);
        tokenizer.Tables.WaitForDecodeSlots();
        Assert.True(tokenizer.Tables.HasDecodeSlots);
        Assert.Equal(expected, tokenizer.DecodeToBytes(ids));
        Assert.Equal(before, tokenizer.DecodeToBytes(shortIds));
        Assert.Equal(shortIds.SelectMany(id => tokenizer.GetTokenBytes(id).ToArray()).ToArray(), before);
    }

    /// <summary>
    /// Decode to chars first tries the whole text without a length pass (UTF-16 slots and transcoded UTF-8 chunks): a
    /// destination of exactly the text's length takes that path even where every char is three bytes (Chinese), and
    /// one char less takes the exact path, which stops before the last id that does not fit.
    /// </summary>
    [Theory]
    [InlineData("cjk-zh")]
    [InlineData("emoji-unicode-emoji-test")]
    [InlineData("prose-en-python-faq")]
    public void DecodeToCharsIntoExactlyTheTextsLength(string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        string text = EngineTestSupport.Corpus(file);
        int[] ids = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);

        var exact = new char[text.Length];
        Assert.Equal(OperationStatus.Done, tokenizer.DecodeToChars(ids, exact, out int consumed, out int written));
        Assert.Equal(ids.Length, consumed);
        Assert.Equal(text.Length, written);
        Assert.Equal(text, new string(exact));

        var shorter = new char[text.Length - 1];
        Assert.Equal(OperationStatus.DestinationTooSmall, tokenizer.DecodeToChars(ids, shorter, out consumed, out written));
        Assert.True(consumed < ids.Length);
        Assert.Equal(tokenizer.Decode(ids.AsSpan(0, consumed)), new string(shorter, 0, written));
        Assert.StartsWith(new string(shorter, 0, written), text, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeOfPartialSequenceUsesReplacementCharacter()
    {
        Tokenizer tokenizer = TestData.Tiktoken("cl100k_base");
        int[] ids = tokenizer.EncodeToIds("🦜");
        Assert.True(ids.Length > 1);
        string partial = tokenizer.Decode(ids.AsSpan(0, ids.Length - 1));
        Assert.Equal(Encoding.UTF8.GetString(tokenizer.DecodeToBytes(ids.AsSpan(0, ids.Length - 1))), partial);
        Assert.Contains('\uFFFD', partial);

        var chars = new char[10];
        Assert.Equal(OperationStatus.Done, tokenizer.DecodeToChars(ids.AsSpan(0, ids.Length - 1), chars, out int consumed, out int written));
        Assert.Equal(ids.Length - 1, consumed);
        Assert.Equal(partial, new string(chars, 0, written));
    }
}
