using System;
using System.Linq;
using System.Text;
using TokenizerCompiler.Internal.Backtracking;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The byte trie numbers a node that spells a token by that token's id, which only works when spellings arrive
/// shortest first; it must find the longest token at a position, keep the first of equal spellings, and refuse
/// spellings out of order rather than build a wrong trie.
/// </summary>
public class ByteTrieTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the first two steps from the table of two-byte starts
    public void FindsTheLongestTokenAtAPosition(bool pairTable)
    {
        var trie = new ByteTrie(tokenLimit: 10, maxBytes: 32);
        trie.Add("a"u8, 3);
        trie.Add("b"u8, 4);
        trie.Add("ab"u8, 0);
        trie.Add("ab"u8, 9);   // the same spelling again: the first id stays
        trie.Add("abcd"u8, 7); // "abc" is no token: an inner node
        if (pairTable)
        {
            trie.AddPairTable();
        }

        byte[] text = Encoding.ASCII.GetBytes("abcdabcab");
        Assert.Equal(7, trie.Longest(text, 0, out int length));
        Assert.Equal(4, length);
        Assert.Equal(4, trie.Longest(text, 1));
        Assert.Equal(-1, trie.Longest(text, 2));
        Assert.Equal(0, trie.Longest(text, 4, out length));   // "abc" then "a": the longest token is "ab"
        Assert.Equal(2, length);
        Assert.Equal(0, trie.Longest(text, 7));                // "ab" at the end of the text
        Assert.Equal(0, trie.LongestProperPrefix("abcd"u8));
        Assert.Equal(3, trie.LongestProperPrefix("ab"u8));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ShortTextsAndStartsThatAreNoTokenAgreeWithOrWithoutThePairTable(bool pairTable)
    {
        // "\xC3" starts a two-byte token but is none itself (a UTF-8 lead byte); "x" is a token with no longer one.
        var trie = new ByteTrie(tokenLimit: 10, maxBytes: 32);
        trie.Add("x"u8, 1);
        trie.Add("y"u8, 2);
        trie.Add(new byte[] { 0xC3, 0xBF }, 5);
        trie.Add(new byte[] { 0xC3, 0xBF, 0xC3, 0xBF }, 6);
        if (pairTable)
        {
            trie.AddPairTable();
        }

        Assert.Equal(1, trie.Longest("x"u8, 0, out int length));          // one byte of text
        Assert.Equal(1, length);
        Assert.Equal(1, trie.Longest("xy"u8, 0, out length));             // a token with no two-byte node after it
        Assert.Equal(1, length);
        Assert.Equal(-1, trie.Longest(new byte[] { 0xC3 }, 0));           // a start that is no token, text ends
        Assert.Equal(-1, trie.Longest(new byte[] { 0xC3, 0x80 }, 0));     // a start that is no token, no such pair
        Assert.Equal(5, trie.Longest(new byte[] { 0xC3, 0xBF }, 0, out length));
        Assert.Equal(2, length);
        Assert.Equal(6, trie.Longest(new byte[] { 0xC3, 0xBF, 0xC3, 0xBF, 0xC3 }, 0, out length));
        Assert.Equal(4, length);
        Assert.Equal(5, trie.Longest(new byte[] { 0xC3, 0xBF, 0xC3, 0x80 }, 0)); // the walk after the table fails
        Assert.Equal(-1, trie.Longest("z"u8, 0));
    }

    [Theory]
    [InlineData(false, 200)]
    [InlineData(true, 200)]   // rebuilt sparse without the second bytes' edges
    [InlineData(true, 30000)] // too many edges past the second byte: the table is kept as it is
    [InlineData(null, 200)]   // sealed without a pair table: rebuilt sparse with every edge
    public void AgreesWithABruteForceSearchOnRandomSpellings(bool? pairTable, int tokens)
    {
        var random = new Random(20261207);
        var spellings = new System.Collections.Generic.Dictionary<string, int>();
        while (spellings.Count < tokens)
        {
            byte[] spelling = new byte[random.Next(1, 9)];
            for (int i = 0; i < spelling.Length; i++)
            {
                spelling[i] = (byte)"abcdefgh"[random.Next(tokens > 1000 ? 8 : 3)];
            }

            spellings.TryAdd(Encoding.ASCII.GetString(spelling), spellings.Count);
        }

        var trie = new ByteTrie(tokenLimit: tokens, maxBytes: spellings.Keys.Sum(key => key.Length));
        foreach ((string spelling, int id) in spellings.OrderBy(pair => pair.Key.Length).ThenBy(pair => pair.Value))
        {
            trie.Add(Encoding.ASCII.GetBytes(spelling), id);
        }

        if (pairTable is null)
        {
            trie.Seal();
        }
        else if (pairTable.Value)
        {
            trie.AddPairTable();
        }

        byte[] text = new byte[4000];
        for (int i = 0; i < text.Length; i++)
        {
            text[i] = (byte)"abcdefgh"[random.Next(tokens > 1000 ? 8 : 3)];
        }

        for (int start = 0; start < text.Length; start++)
        {
            int expected = -1, expectedLength = 0;
            for (int length = 1; length <= 8 && start + length <= text.Length; length++)
            {
                if (spellings.TryGetValue(Encoding.ASCII.GetString(text, start, length), out int id))
                {
                    (expected, expectedLength) = (id, length);
                }
            }

            Assert.Equal(expected, trie.Longest(text, start, out int found));
            Assert.Equal(expectedLength, found);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RefusesSpellingsAfterThePairTableOrTheSeal(bool seal)
    {
        var trie = new ByteTrie(tokenLimit: 4, maxBytes: 16);
        trie.Add("ab"u8, 1);
        if (seal)
        {
            trie.Seal();
        }
        else
        {
            trie.AddPairTable();
        }

        Assert.Throws<InvalidOperationException>(() => trie.Add("abc"u8, 2));
        Assert.Equal(1, trie.Longest("abc"u8, 0));
    }

    [Fact]
    public void SealingSizesTheEdgeTableForTheEdgesNotTheBytes()
    {
        // Runs of spaces as added tokens (KL3M-003 has runs into the hundreds): 125 K spelling bytes, 500 nodes.
        var trie = new ByteTrie(tokenLimit: 600, maxBytes: 500 * 501 / 2);
        for (int run = 1; run <= 500; run++)
        {
            trie.Add(Encoding.ASCII.GetBytes(new string(' ', run)), run);
        }

        int before = trie.EdgeTableBytes;
        trie.Seal();
        Assert.InRange(trie.EdgeTableBytes, 1, before / 64);
        byte[] text = Encoding.ASCII.GetBytes(new string(' ', 700) + "x");
        Assert.Equal(500, trie.Longest(text, 0, out int length));
        Assert.Equal(500, length);
        Assert.Equal(200, trie.Longest(text, 500, out length));
        Assert.Equal(-1, trie.Longest(text, 700));
    }

    [Fact]
    public void RefusesSpellingsOutOfOrderOrIdsBeyondItsLimit()
    {
        var trie = new ByteTrie(tokenLimit: 4, maxBytes: 16);
        trie.Add("abc"u8, 1);
        Assert.Throws<ArgumentException>(() => trie.Add("ab"u8, 2));
        Assert.Throws<ArgumentException>(() => trie.Add("abcd"u8, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ByteTrie(ByteTrie.MaxNodes, 16));
    }
}
