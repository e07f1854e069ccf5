using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using TokenizerCompiler.Internal;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The per-thread caches keep several colliding entries per bucket and evict one when a bucket is full; whatever
/// they keep or evict, a lookup must give what the tables give. Far more distinct pieces than the tables have
/// entries, looked up in two passes (the second finds some kept, some evicted), must all agree with the tables.
/// </summary>
public class PieceCacheTests
{
    [Fact]
    public void LookupsAgreeWithTheTablesThroughCollisionsAndEvictions()
    {
        TokenizerTables tables = TestData.Tiktoken("o200k_base").Tables;
        PieceCache cache = PieceCache.For(tables);
        var random = new Random(20261206);
        var pieces = new byte[200_000][];
        for (int i = 0; i < pieces.Length; i++)
        {
            // Lengths 1-16 cover both hot tables; letters and a space make many of them tokens.
            pieces[i] = new byte[1 + random.Next(16)];
            for (int j = 0; j < pieces[i].Length; j++)
            {
                pieces[i][j] = (byte)" etaoinshrdlucmfw"[random.Next(17)];
            }
        }

        int tokens = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (byte[] piece in pieces)
            {
                int expected = tables.Lookup(piece);
                Assert.Equal(expected, cache.LookupToken(piece));
                tokens += expected >= 0 ? 1 : 0;
            }
        }

        Assert.True(tokens > 20_000, $"only {tokens} lookups found a token: the test would not exercise hits");
    }

    /// <summary>
    /// The encode loops' shortcut keys a piece by one 8-byte load with the bytes after it masked off; it must find
    /// exactly the entries the span path filled, whatever follows the piece (NUL bytes included: "a" and "a\0" differ
    /// only in length), and never answer for a piece with fewer than eight readable bytes.
    /// </summary>
    [Fact]
    public void KnownTokenFindsWhatLookupsFilledWhateverFollowsThePiece()
    {
        // Tables of their own: no merge result another test remembered on this thread can answer for a piece here.
        TokenizerTables tables = Tokenizer.FromVocabularyFile(TestData.VocabularyPath("o200k_base")).Tables;
        PieceCache cache = PieceCache.For(tables);
        var random = new Random(61206);
        int known = 0;
        for (int i = 0; i < 50_000; i++)
        {
            int length = 1 + random.Next(16); // both hot tables: 1-8 bytes by a masked load, 9-16 by two
            var buffer = new byte[length + 8];
            random.NextBytes(buffer);
            for (int j = 0; j < length; j++)
            {
                buffer[j] = (byte)"\0 etaoinshrd"[random.Next(12)];
            }

            ReadOnlySpan<byte> piece = buffer.AsSpan(0, length);
            int expected = tables.Lookup(piece);
            Assert.Equal(expected, cache.LookupToken(piece));
            bool found = cache.TryKnownToken(buffer, 0, length, tokenIsResult: true, out int id);
            Assert.Equal(expected >= 0, found); // just filled, so a token is there
            if (found)
            {
                Assert.Equal(expected, id);
                known++;
            }

            // Too near the end of the text for the load (fewer than eight bytes from the piece's start): no answer.
            if (length < 8)
            {
                Assert.False(cache.TryKnownToken(buffer.AsSpan(0, length + random.Next(8 - length)), 0, length, tokenIsResult: true, out _));
            }
        }

        Assert.True(known > 5_000, $"only {known} pieces were tokens: the test would not exercise hits");
    }

    /// <summary>Without ignore_merges a token is its own encoding only once a merge said so (as for EncodeHot).</summary>
    [Fact]
    public void KnownTokenWaitsForTheMergeWhenATokenIsNotItsOwnResult()
    {
        // Tables of their own, so no other test on this thread has verified the piece already.
        TokenizerTables tables = Tokenizer.FromVocabularyFile(TestData.VocabularyPath("cl100k_base")).Tables;
        PieceCache cache = PieceCache.For(tables);
        byte[] text = "hello, international world"u8.ToArray();
        foreach ((int start, int length) in new[] { (0, 5), (6, 14) })
        {
            ReadOnlySpan<byte> piece = text.AsSpan(start, length);
            int id = cache.LookupToken(piece);
            Assert.True(id >= 0);
            Assert.True(cache.TryKnownToken(text, start, start + length, tokenIsResult: true, out int token));
            Assert.Equal(id, token);
            Assert.False(cache.TryKnownToken(text, start, start + length, tokenIsResult: false, out _));
            cache.RememberMerge(piece, [id]);
            Assert.True(cache.TryKnownToken(text, start, start + length, tokenIsResult: false, out int verified));
            Assert.Equal(id, verified);
        }
    }

    [Theory]
    [InlineData("o200k_base", "mixed-udhr-article1-all-languages")]
    [InlineData("kl3m-001-32k", "legal-gnu-licences")]
    public void KnownIdsAreWhatTheFullPathGave(string vocabulary, string corpus)
    {
        // A tokenizer of its own (fresh caches), one encode of real text on the full path; afterwards every piece of
        // two or more ids must be known to TryKnownIds, as exactly those ids. (One-id pieces are left out: an added
        // token's bytes may be known as the model's encoding of them.)
        Tokenizer tokenizer = vocabulary.EndsWith("_base", StringComparison.Ordinal)
            ? Tokenizer.FromVocabularyFile(TestData.VocabularyPath(vocabulary))
            : Tokenizer.FromVocabularyFile(Path.Combine(TestData.SharedVocabularies, vocabulary, "tokenizer.json"));
        byte[] text = Encoding.UTF8.GetBytes(EngineTestSupport.Corpus(corpus));
        var pieces = new PieceRecorder { Pieces = new List<(int Start, int End, int[] Ids)>() };
        Assert.True(tokenizer.Run(text, SpecialTokenPolicy.TreatAsText, ref pieces, out _));

        PieceCache cache = PieceCache.For(tokenizer.Tables);
        int multi = 0;
        foreach ((int start, int end, int[] ids) in pieces.Pieces)
        {
            if (ids.Length > 1)
            {
                multi++;
                Assert.True(cache.TryKnownIds(text.AsSpan(start, end - start), out ReadOnlySpan<int> view), $"piece at {start} of {ids.Length} ids");
                Assert.Equal(ids, view.ToArray());
            }
        }

        Assert.True(multi > 100, $"only {multi} pieces of several ids");
    }

    /// <summary>Keeps each piece's ids and place.</summary>
    private struct PieceRecorder : ITokenSink
    {
        public List<(int Start, int End, int[] Ids)> Pieces;

        public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd)
        {
            Pieces.Add((pieceStart, pieceEnd, ids.ToArray()));
            return true;
        }
    }
}
