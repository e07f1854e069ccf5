using System;
using System.Text;
using TokenizerCompiler.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Reading Latin-1 characters out of UTF-8: Binary BPE's search reads its text as a byte per character.</summary>
public class Latin1Tests
{
    [Fact]
    public void ReadsEveryCharacterUpToFFAndNothingAbove()
    {
        for (int value = 0; value <= 0x10FFFF; value = value < 0x1000 ? value + 1 : value + 97)
        {
            if (value is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            byte[] utf8 = Encoding.UTF8.GetBytes(char.ConvertFromUtf32(value) + "x");
            int at = 0;
            int read = Latin1.Next(utf8, ref at);
            if (value <= 0xFF)
            {
                Assert.Equal(value, read);
                Assert.Equal(utf8.Length - 1, at);
                Assert.Equal('x', Latin1.Next(utf8, ref at));
            }
            else
            {
                Assert.Equal(-1, read);
                Assert.Equal(0, at); // not advanced: the caller decides how to step over it
            }
        }
    }

    [Fact]
    public void StopsAtTheEndAndAtACutCharacter()
    {
        int at = 1;
        Assert.Equal(-1, Latin1.Next("x"u8, ref at));
        Assert.Equal(1, at);
        at = 0;
        Assert.Equal(-1, Latin1.Next(new byte[] { 0xC3 }, ref at));
        Assert.Equal(0, at);
    }

    [Fact]
    public void SpellsTokensInLatin1OnlyWhenEveryCharacterFits()
    {
        Assert.True(Latin1.TryGetSpelling(Encoding.UTF8.GetBytes("aé\u00FF\0"), out byte[] spelling));
        Assert.Equal(new byte[] { 0x61, 0xE9, 0xFF, 0x00 }, spelling);
        Assert.False(Latin1.TryGetSpelling(Encoding.UTF8.GetBytes("a\u0100"), out _));
        Assert.False(Latin1.TryGetSpelling(Encoding.UTF8.GetBytes("\u2581x"), out _));
        Assert.False(Latin1.TryGetSpelling(new byte[] { 0x61, 0xC3 }, out _)); // not well-formed UTF-8
    }

    [Fact]
    public void NarrowsEveryLatin1TextToItsBytesAndRefusesTheRest()
    {
        byte[] all = new byte[512];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = (byte)(i * 7);
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(all));
        byte[] narrowed = new byte[utf8.Length];
        Assert.Equal(all.Length, Latin1.Narrow(utf8, narrowed));
        Assert.Equal(all, narrowed.AsSpan(0, all.Length).ToArray());

        Assert.Equal(-1, Latin1.Narrow(Encoding.UTF8.GetBytes("ab\u0100c"), new byte[8])); // above U+00FF
        Assert.Equal(-1, Latin1.Narrow(new byte[] { 0x61, 0xC3 }, new byte[8]));           // a cut character
        Assert.Equal(0, Latin1.Narrow([], []));
    }
}
