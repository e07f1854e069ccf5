using System;
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
}
