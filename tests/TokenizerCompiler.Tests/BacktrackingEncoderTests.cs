using System;
using System.IO;
using System.Linq;
using System.Text;
using TokenizerCompiler.HuggingFace;
using TokenizerCompiler.Internal;
using TokenizerCompiler.Internal.Backtracking;
using TokenizerCompiler.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The backtracking search must return exactly what the merge loop returns, on every vocabulary it accepts; the
/// vocabularies whose merges break its assumptions must be refused (they keep the merge loop).
/// </summary>
public class BacktrackingEncoderTests
{
    [Theory]
    [InlineData("o200k_base", 199998)]
    [InlineData("cl100k_base", 100256)]
    public void TreeCoversEveryOrdinaryTokenOfTiktokenVocabularies(string encoding, int ordinary)
    {
        TokenizerTables tables = TestData.Tiktoken(encoding).Tables;
        MergeTree tree = Assert.IsType<MergeTree>(tables.WaitForMergeTree());
        Assert.True(tree.IsTiktoken);
        Assert.Equal(ordinary, Enumerable.Range(0, tables.VocabularySize).Count(tree.IsProducible));
        Assert.True(tree.MayMerge(0, 0) && tree.MayMerge(1234, 5678)); // no merge list: every pair is looked up
    }

    [Theory]
    [InlineData("llama3", 107, " araştırma")]
    [InlineData("gemma3", 90, null)]
    public void PiecesWithTokensMadeOutOfRankOrderAreLeftToTheMergeLoop(string vocabulary, int outOfOrder, string? example)
    {
        // Llama 3 extends cl100k with merges such as the one that makes " araştırma", listed before a merge that
        // makes one of its parts: rank order is not time order there, so the pair check would be wrong for pieces
        // that contain such a token, and only for those.
        MergeTree tree = Assert.IsType<MergeTree>(HuggingFaceVocabularies.Get(vocabulary).Tables.WaitForMergeTree());
        Assert.Equal(outOfOrder, tree.OutOfOrderCount);
        Assert.True(tree.Covers("plain words without them"u8));
        if (example is not null)
        {
            Assert.False(tree.Covers(Encoding.UTF8.GetBytes("bir" + example + " sonucu")));
        }
    }

    [Fact]
    public void APieceLongerThanSixteenBytesATokenWaitsForTheTree()
    {
        // A fresh tokenizer's first megabyte of an executable took the merge loop (405-474 ms for /usr/bin/git) while the
        // tree was being built (55 ms); such a piece now waits for the build and takes the search. Shorter pieces
        // never wait: they take the merge loop until the tree is there.
        string path = Path.Combine(TestData.SharedVocabularies, "binary-bpe-32k-it4", "tokenizer.json");
        TokenizerTables tables = Tokenizer.FromVocabularyFile(path).Tables;
        Assert.IsType<MergeTree>(tables.MergeTreeFor(16 * tables.VocabularySize));

        TokenizerTables fresh = Tokenizer.FromVocabularyFile(path).Tables;
        Assert.Null(fresh.MergeTreeFor(16)); // the build has only just started (55 ms)
        Assert.IsType<MergeTree>(fresh.WaitForMergeTree());

        // Same ids either way: the first call of a fresh tokenizer against one whose tree is built.
        byte[] executable = File.ReadAllBytes(Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries"), "*.bin").Order(StringComparer.Ordinal).First());
        byte[] large = Enumerable.Repeat(executable, (16 * tables.VocabularySize / executable.Length) + 1).SelectMany(bytes => bytes).ToArray();
        int[] first = new int[large.Length], warm = new int[large.Length];
        Tokenizer.FromVocabularyFile(path).EncodeBinary(large, first, out _, out int firstCount);
        Tokenizer tokenizer = Tokenizer.FromVocabularyFile(path);
        Assert.IsType<MergeTree>(tokenizer.Tables.WaitForMergeTree());
        tokenizer.EncodeBinary(large, warm, out _, out int warmCount);
        Assert.Equal(warm.AsSpan(0, warmCount).ToArray(), first.AsSpan(0, firstCount).ToArray());
    }

    [Theory]
    [InlineData("binary-bpe-32k-it4")]
    [InlineData("llama3")]
    [InlineData("gemma3")]
    public void MergeFilterPassesEveryListedMergeAndFewOtherPairs(string vocabulary)
    {
        // A listed merge the filter ruled out would let the pair check accept a pair that merges.
        TokenizerTables tables = HuggingFaceVocabularies.Get(vocabulary).Tables;
        MergeTree tree = Assert.IsType<MergeTree>(tables.WaitForMergeTree());
        (int Left, int Right, int Rank, int Result)[] merges = tables.MergeList();
        Assert.All(merges, merge => Assert.True(tree.MayMerge(merge.Left, merge.Right)));

        // Ten bits per merge, two set in one word: a few pairs in a hundred that are not listed still pass.
        var listed = merges.Select(merge => ((long)merge.Left << 32) | (uint)merge.Right).ToHashSet();
        var random = new Random(20261206);
        int others = 0, passed = 0;
        while (others < 100_000)
        {
            int left = random.Next(tables.VocabularySize), right = random.Next(tables.VocabularySize);
            if (!listed.Contains(((long)left << 32) | (uint)right))
            {
                others++;
                passed += tree.MayMerge(left, right) ? 1 : 0;
            }
        }

        Assert.InRange(passed, 1, others / 10);
    }

    [Fact]
    public void CharacterLevelVocabulariesStartFromTheirOneCharacterTokens()
    {
        // Binary BPE spells bytes as Latin-1 characters; Llama 2, Gemma 3 and KL3M-005 are SentencePiece-style.
        Assert.NotNull(HuggingFaceVocabularies.Get("binary-bpe-32k-it4").Tables.WaitForMergeTree());
        Assert.NotNull(HuggingFaceVocabularies.Get("llama2").Tables.WaitForMergeTree());
        Assert.NotNull(HuggingFaceVocabularies.Get("gemma3").Tables.WaitForMergeTree());
        Assert.NotNull(HuggingFaceVocabularies.Get("kl3m-005-multi-word-example-32k").Tables.WaitForMergeTree());
    }

    [Theory]
    [InlineData("binary-bpe-32k-it4", true)]
    [InlineData("llama2", false)]
    [InlineData("gemma3", false)]
    [InlineData("llama3", false)]
    public void OnlyVocabulariesSpelledInLatin1AreWalkedACharacterAtATime(string vocabulary, bool latin1)
    {
        // Binary BPE's bytes are the characters U+0000..U+00FF; byte-level and SentencePiece vocabularies are walked by bytes.
        MergeTree tree = Assert.IsType<MergeTree>(HuggingFaceVocabularies.Get(vocabulary).Tables.WaitForMergeTree());
        Assert.Equal(latin1, tree.WalksLatin1);
    }

    public static TheoryData<string> AcceptedVocabularies => new()
    {
        "o200k_base", "cl100k_base", "qwen3", "deepseek_v3", "gpt4o", "kl3m-001-32k", "kl3m-003-64k",
        "binary-bpe-32k-it4", "llama2", "kl3m-005-multi-word-example-32k", "llama3", "gemma3",
    };

    [Theory]
    [MemberData(nameof(AcceptedVocabularies))]
    public void PairsOfUnitsAreMarkedExactlyWhenAProducibleTokenSpellsThem(string vocabulary)
    {
        // The search accepts a token without a pair check where the two units around its start are unmarked (no merge
        // can join across them): a pair some token spells that were unmarked would skip a check that can fail, and a
        // pair marked that no token spells would cost a check for nothing; both are ruled out pair by pair.
        TokenizerTables tables = vocabulary.EndsWith("_base", StringComparison.Ordinal)
            ? TestData.Tiktoken(vocabulary).Tables
            : HuggingFaceVocabularies.Get(vocabulary).Tables;
        MergeTree tree = Assert.IsType<MergeTree>(tables.WaitForMergeTree());
        var spelled = new bool[1 << 16];
        for (int id = 0; id < tables.VocabularySize; id++)
        {
            if (!tree.IsProducible(id))
            {
                continue;
            }

            byte[] spelling = tables.TokenBytes(id).ToArray();
            if (tree.WalksLatin1)
            {
                Assert.True(Latin1.TryGetSpelling(spelling, out spelling));
            }

            for (int i = 1; i < spelling.Length; i++)
            {
                spelled[(spelling[i - 1] << 8) | spelling[i]] = true;
            }
        }

        for (int pair = 0; pair < spelled.Length; pair++)
        {
            Assert.True(spelled[pair] == tree.IsSpelledBySomeToken((byte)(pair >> 8), (byte)pair), $"pair 0x{pair:X4}");
        }

        Assert.InRange(spelled.Count(marked => !marked), 1, spelled.Length - 1);
    }

    [Fact]
    public void BinaryBpeSkipsThePairCheckAtAQuarterOfTheBoundariesOfAnExecutable()
    {
        // Where the search skips the check, the boundary must be one the merge loop leaves too: the whole encoding of
        // a test executable is compared with the merge loop's (the golden files compare it with Hugging Face's).
        Encoder encoder = Encoder.For("binary-bpe-32k-it4");
        MergeTree tree = Assert.IsType<MergeTree>(HuggingFaceVocabularies.Get("binary-bpe-32k-it4").Tables.WaitForMergeTree());
        string file = Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "data", "binaries"), "*.bin").Order(StringComparer.Ordinal).First();
        byte[] bytes = File.ReadAllBytes(file)[..Math.Min(4000, (int)new FileInfo(file).Length)];
        int[] ids = encoder.AssertSame(Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(bytes)), Path.GetFileName(file));
        int position = 0, unspelled = 0;
        for (int i = 0; i + 1 < ids.Length; i++)
        {
            position += tree.Length(ids[i]);
            unspelled += tree.IsSpelledBySomeToken(bytes[position - 1], bytes[position]) ? 0 : 1;
        }

        Assert.InRange(unspelled, ids.Length / 6, ids.Length / 2);
    }

    [Theory]
    [MemberData(nameof(AcceptedVocabularies))]
    public void SearchMatchesTheMergeLoopOnRawSlicesOfEveryCorpusFile(string vocabulary)
    {
        // Raw byte slices, not pre-tokenized pieces: spaces, punctuation, digits and cut UTF-8 sequences inside one
        // piece make far more varied pairs than real pieces do.
        Encoder encoder = Encoder.For(vocabulary);
        var random = new Random(vocabulary.Length * 7919);
        foreach (string file in EngineTestSupport.AllCorpusFiles)
        {
            byte[] text = File.ReadAllBytes(Path.Combine(TestData.CorpusDirectory, file + ".txt"));
            for (int round = 0; round < 60; round++)
            {
                int length = random.Next(2, 400);
                int start = random.Next(0, Math.Max(1, text.Length - length));
                encoder.AssertSame(text.AsSpan(start, Math.Min(length, text.Length - start)), $"{file} @{start}+{length}");
            }
        }

        // Character-level vocabularies decline slices with a cut character or one they lack (Llama 2 has no "\n").
        Assert.True(encoder.Searched > (encoder.IsCharacterLevel ? 30 : 1500), $"only {encoder.Searched} slices were searched");
    }

    [Theory]
    [MemberData(nameof(AcceptedVocabularies))]
    public void SearchMatchesTheMergeLoopOnRepetitiveAndRandomPieces(string vocabulary)
    {
        // Runs of one letter and short periodic patterns make the most competing merges of equal rank (the
        // leftmost-wins rule), random bytes make pieces of mostly one-byte tokens, and both make the search step back.
        Encoder encoder = Encoder.For(vocabulary);
        var random = new Random(11);
        foreach (string unit in new[] { "a", "ab", "aab", "abc", "1", "12", " ", "  a", "\n", "=", "ー", "的", "ab ", "xyzzy" })
        {
            byte[] bytes = Encoding.UTF8.GetBytes(unit);
            foreach (int repeats in new[] { 1, 2, 3, 5, 8, 13, 40, 129, 700 })
            {
                byte[] piece = Enumerable.Range(0, repeats).SelectMany(_ => bytes).ToArray();
                encoder.AssertSame(piece, $"'{unit}' x {repeats}");
            }
        }

        for (int round = 0; round < 200; round++)
        {
            byte[] piece = new byte[random.Next(2, 600)];
            random.NextBytes(piece);
            encoder.AssertSame(piece, $"random bytes, round {round}");
        }

        Assert.True(encoder.Searched >= (encoder.IsCharacterLevel ? 80 : 14 * 9 + 200), $"only {encoder.Searched} pieces were searched");
    }

    [Fact]
    public void OneMegabyteOfOneLetterMatchesTheReferenceMerge()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        byte[] piece = Enumerable.Repeat((byte)'a', 1 << 20).ToArray();
        Encoder.For("o200k_base").AssertSame(piece, "1 MiB of 'a'");
        Assert.Equal(1 << 17, tokenizer.CountTokens(Encoding.ASCII.GetString(piece)));
    }

    [Fact]
    public void BinaryBpeMatchesTheMergeLoopOnRandomBytes()
    {
        // Binary BPE reads bytes as Latin-1 characters, so every byte string is made of known characters.
        Encoder encoder = Encoder.For("binary-bpe-32k-it4");
        var random = new Random(5);
        for (int round = 0; round < 100; round++)
        {
            byte[] bytes = new byte[random.Next(2, 3000)];
            random.NextBytes(bytes);
            if (round % 3 == 0)
            {
                bytes.AsSpan(0, bytes.Length / 2).Clear(); // runs of zero bytes, as executables have
            }

            encoder.AssertSame(Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(bytes)), $"round {round}");
        }

        Assert.Equal(100, encoder.Searched);
    }

    [Theory]
    [InlineData("binary-bpe-32k-it4")]
    [InlineData("o200k_base")]
    public void SearchMatchesTheMergeLoopOnRunsOfEveryByteValue(string vocabulary)
    {
        // A run as long as the longest token (Binary BPE: sixteen bytes; tiktoken's window is 128) is answered without
        // walking the trie, and on a run the search steps back at almost every token (Binary BPE has tokens of one to
        // fifteen zeros, of which only the eight-byte one follows itself): every byte value, runs shorter and longer
        // than the window, in random bytes.
        Encoder encoder = Encoder.For(vocabulary);
        bool binary = vocabulary.StartsWith("binary", StringComparison.Ordinal);
        int[] runs = binary ? [2, 15, 16, 17, 33, 300] : [2, 127, 128, 129, 300];
        var random = new Random(17);
        int pieces = 0;
        for (int value = 0; value < 256; value++)
        {
            foreach (int run in runs)
            {
                byte[] before = new byte[random.Next(0, 12)], after = new byte[random.Next(0, 12)];
                random.NextBytes(before);
                random.NextBytes(after);
                byte[] bytes = [.. before, .. Enumerable.Repeat((byte)value, run), .. after];
                encoder.AssertSame(binary ? Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(bytes)) : bytes, $"{run} x 0x{value:X2}");
                pieces++;
            }
        }

        Assert.True(encoder.Searched >= pieces * 9 / 10, $"{encoder.Searched} of {pieces} searched");
    }

    [Theory]
    [InlineData("binary-bpe-32k-it4")]
    [InlineData("o200k_base")]
    [InlineData("llama3")]
    public void LongRunsRepeatTheirTokenAsTheMergeLoopDoes(string vocabulary)
    {
        // Inside a run longer than the run window the search repeats the token it took twice in a row without trying
        // the longer ones (RepeatInRun), and goes back to searching where the window no longer fits: runs of several
        // lengths, of byte values the vocabulary has long runs of and ones it has not, between random bytes.
        Encoder encoder = Encoder.For(vocabulary);
        bool binary = vocabulary.StartsWith("binary", StringComparison.Ordinal);
        var random = new Random(23);
        int pieces = 0;
        foreach (byte value in new byte[] { 0x00, 0xFF, (byte)' ', (byte)'a', (byte)'=', 0x90, 0xCC })
        {
            foreach (int run in new[] { 129, 1000, 4099, 20_000 })
            {
                byte[] before = new byte[random.Next(0, 40)], after = new byte[random.Next(0, 40)];
                random.NextBytes(before);
                random.NextBytes(after);
                byte[] bytes = [.. before, .. Enumerable.Repeat(value, run), .. after, .. Enumerable.Repeat(value, run / 3), .. before];
                int[] ids = encoder.AssertSame(binary ? Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(bytes)) : bytes, $"{run} x 0x{value:X2}");
                pieces += ids.Length > 0 ? 1 : 0;
            }
        }

        Assert.True(pieces >= 20, $"{pieces} pieces searched");
    }

    /// <summary>One vocabulary's search and merge loop, run side by side.</summary>
    private sealed class Encoder
    {
        private readonly TokenizerTables _tables;
        private readonly MergeTree _tree;
        private readonly MergeListModel? _model;

        private Encoder(TokenizerTables tables)
        {
            _tables = tables;
            _tree = tables.WaitForMergeTree() ?? throw new InvalidOperationException("no merge tree");
            _model = tables.Pipeline is { } pipeline ? new MergeListModel(tables, pipeline.Model) : null;
        }

        /// <summary>Whether merges start from characters (the search declines pieces with unknown ones).</summary>
        public bool IsCharacterLevel => _model != null && !_tables.Pipeline!.Model.ByteLevel;

        /// <summary>How many pieces the search encoded (rather than declined).</summary>
        public int Searched { get; private set; }

        public static Encoder For(string vocabulary) => new(vocabulary.EndsWith("_base", StringComparison.Ordinal)
            ? TestData.Tiktoken(vocabulary).Tables
            : HuggingFaceVocabularies.Get(vocabulary).Tables);

        /// <summary>Asserts that the search gives the merge loop's ids for <paramref name="piece"/>, and returns them (none where the search declines).</summary>
        public int[] AssertSame(ReadOnlySpan<byte> piece, string context)
        {
            if (!_tree.Covers(piece))
            {
                return []; // holds a token made out of rank order: the merge loop's (tested above)
            }

            var cache = PieceCache.For(_tables);
            int[] searched = new int[piece.Length];
            int[] merged = new int[piece.Length];
            int found, expected;
            if (_model == null)
            {
                var ranks = new TiktokenPairRanks(cache);
                found = BacktrackingEncoder.Encode(_tree, cache, ref ranks, piece, searched);
                expected = BytePairMerger.MergeByLoop(cache, piece, merged);
            }
            else
            {
                // A tree spelled in Latin-1 (Binary BPE) searches the piece's characters as a byte each.
                var ranks = new MergeListPairRanks(cache);
                byte[] latin1 = new byte[piece.Length];
                int narrowed = _tree.WalksLatin1 ? Latin1.Narrow(piece, latin1) : -1;
                found = !_tree.WalksLatin1 ? BacktrackingEncoder.Encode(_tree, cache, ref ranks, piece, searched)
                    : narrowed >= 0 ? BacktrackingEncoder.Encode(_tree, cache, ref ranks, latin1.AsSpan(0, narrowed), searched)
                    : -1;
                expected = _model.EncodeByMergeLoop(cache, piece, merged);
            }

            if (found < 0)
            {
                // Only a character-level vocabulary may decline, and only for a character that is no token.
                Assert.True(_model != null && HasCharacterOutsideTheVocabulary(piece), $"{context}: the search found no encoding");
                return [];
            }

            Searched++;
            if (!searched.AsSpan(0, found).SequenceEqual(merged.AsSpan(0, expected)))
            {
                Assert.Fail($"{context}: search [{string.Join(",", searched.Take(Math.Min(found, 40)))}] vs loop [{string.Join(",", merged.Take(Math.Min(expected, 40)))}]");
            }

            return searched[..found];
        }

        private bool HasCharacterOutsideTheVocabulary(ReadOnlySpan<byte> piece)
        {
            for (int at = 0; at < piece.Length;)
            {
                int length = System.Text.Rune.DecodeFromUtf8(piece[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done ? consumed : 1;
                if (_tables.Lookup(piece.Slice(at, length)) < 0)
                {
                    return true;
                }

                at += length;
            }

            return false;
        }
    }
}
