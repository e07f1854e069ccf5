using System;
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

    [Fact]
    public void RefusesSpellingsAfterThePairTable()
    {
        var trie = new ByteTrie(tokenLimit: 4, maxBytes: 16);
        trie.Add("ab"u8, 1);
        trie.AddPairTable();
        Assert.Throws<InvalidOperationException>(() => trie.Add("abc"u8, 2));
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
