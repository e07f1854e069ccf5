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
    [Fact]
    public void FindsTheLongestTokenAtAPosition()
    {
        var trie = new ByteTrie(tokenLimit: 10, maxBytes: 32);
        trie.Add("a"u8, 3);
        trie.Add("b"u8, 4);
        trie.Add("ab"u8, 0);
        trie.Add("ab"u8, 9);   // the same spelling again: the first id stays
        trie.Add("abcd"u8, 7); // "abc" is no token: an inner node

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
