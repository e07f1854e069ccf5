using System.Text;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

public class TokenFormattingTests
{
    [Theory]
    [InlineData(new byte[] { (byte)' ', (byte)'h', (byte)'i' }, " hi")]
    [InlineData(new byte[] { (byte)'\n', (byte)'\t', (byte)'\r', (byte)'\\' }, @"\n\t\r\\")]
    [InlineData(new byte[] { 0x1B, 0x00 }, @"\u{001B}\u{0000}")]
    [InlineData(new byte[] { 0xE2, 0x80 }, "<0xE2><0x80>")]
    [InlineData(new byte[] { 0xFF, (byte)'a' }, "<0xFF>a")]
    [InlineData(new byte[] { 0xE2, 0x80, 0x8B }, @"\u{200B}")]
    public void EscapesWhatWouldBreakOrHideALine(byte[] bytes, string expected)
    {
        Assert.Equal(expected, TokenFormatting.Escape(bytes));
    }

    [Fact]
    public void PrintableUnicodeIsShownAsIs()
    {
        Assert.Equal("café 日本 😀", TokenFormatting.Escape(Encoding.UTF8.GetBytes("café 日本 😀")));
    }
}
