using System.Collections.Generic;
using System.Text;
using TokenizerCompiler.HuggingFace;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Where SentencePiece-style words may be cut before a ▁ (see <see cref="WordStarts"/>).</summary>
public class WordStartsTests
{
    private static readonly WordStarts Starts = new(new HashSet<int> { '>', 'é' });

    [Theory]
    [InlineData("a\u2581b", 1, true)]
    [InlineData(">\u2581b", 1, false)]           // a token has ">▁": a merge may cross
    [InlineData("caf\u00e9\u2581b", 5, false)]   // the same for a non-ASCII character
    [InlineData("\u00e8\u2581b", 2, true)]
    [InlineData("\u2581\u2581b", 3, false)]      // never between two marks
    public void CutsOnlyWhereNoTokenCrosses(string text, int at, bool expected) =>
        Assert.Equal(expected, Starts.CanSplitBefore(Encoding.UTF8.GetBytes(text), at));

    [Fact]
    public void NeverCutsAfterBytesThatAreNotUtf8()
    {
        byte[] word = [0x61, 0xC3, 0xE2, 0x96, 0x81, 0x62]; // a, a lone lead byte, ▁, b
        Assert.False(Starts.CanSplitBefore(word, 2));
    }
}
