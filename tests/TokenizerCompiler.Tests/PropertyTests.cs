using System;
using System.Buffers;
using System.Linq;
using System.Text;
using CsCheck;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Property-based tests (CsCheck) over generated text that mixes every hard case of the split patterns:
/// ASCII words and punctuation, whitespace runs with CR/LF/tabs, long digit runs, CJK, Arabic and Hebrew (RTL),
/// letters with stacked combining marks, emoji ZWJ sequences, supplementary-plane letters, control characters.
/// A failure prints CsCheck's seed, which reproduces it.
/// </summary>
public class PropertyTests
{
    private const int Iterations = 400;

    private static readonly Gen<string> Fragment = Gen.OneOf(
        Gen.Char['a', 'z'].Array[1, 12].Select(a => new string(a)),
        Gen.Char['A', 'Z'].Array[1, 6].Select(a => new string(a)),
        Gen.Char[' ', '~'].Array[1, 16].Select(a => new string(a)),
        Gen.Int[1, 40].Select(n => new string(' ', n)),
        Gen.OneOf("\n", "\r\n", "\t", "\u00A0", "\u3000", "\u2028").Array[1, 6].Select(a => string.Concat(a)),
        Gen.Char['0', '9'].Array[1, 60].Select(a => new string(a)),
        Gen.Char['\u4E00', '\u9FFF'].Array[1, 20].Select(a => new string(a)),
        Gen.Char['\u0600', '\u06FF'].Array[1, 15].Select(a => new string(a)),
        Gen.Char['\u05D0', '\u05EA'].Array[1, 10].Select(a => new string(a)),
        Gen.Select(Gen.Char['a', 'z'], Gen.Char['\u0300', '\u036F'].Array[1, 4], (c, marks) => c + new string(marks)),
        Gen.OneOf("👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🧑‍💻", "❤️", "'s", "'LL", "ſ"),
        Gen.Int[0x1D400, 0x1D7FF].Select(char.ConvertFromUtf32),
        Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32),
        Gen.Char['\0', '\u001F'].Array[1, 4].Select(a => new string(a)));

    internal static readonly Gen<string> Text = Fragment.Array[0, 40].Select(parts => string.Concat(parts));

    public static TheoryData<string> Encodings => new() { "o200k_base", "cl100k_base", "r50k_base" };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void RoundTripCountAndEntryPointsAgree(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        Text.Sample(text =>
        {
            int[] ids = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
            Assert.Equal(text, tokenizer.Decode(ids));
            Assert.Equal(ids.Length, tokenizer.CountTokens(text, SpecialTokenPolicy.TreatAsText));
            Assert.Equal(ids, tokenizer.EncodeToIds(Encoding.UTF8.GetBytes(text), SpecialTokenPolicy.TreatAsText));
        }, iter: Iterations);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void BudgetCutsAgreeWithTruncation(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        Gen.Select(Text, Gen.Int[0, 200]).Sample((text, budget) =>
        {
            int[] ids = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);

            int end = tokenizer.GetIndexByTokenCount(text, budget, out int kept, SpecialTokenPolicy.TreatAsText);
            Assert.True(kept <= budget);
            Assert.Equal(ids[..kept], tokenizer.EncodeToIds(text[..end], SpecialTokenPolicy.TreatAsText));

            int start = tokenizer.GetIndexByTokenCountFromEnd(text, budget, out int last, SpecialTokenPolicy.TreatAsText);
            Assert.True(last <= budget);
            Assert.Equal(ids[^last..], tokenizer.EncodeToIds(text[start..], SpecialTokenPolicy.TreatAsText));

            if (budget >= ids.Length)
            {
                Assert.Equal((text.Length, ids.Length), (end, kept));
                Assert.Equal((0, ids.Length), (start, last));
            }
        }, iter: Iterations);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void ChunkedDecodeEqualsWholeDecode(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        Gen.Select(Text, Gen.Int[2, 24]).Sample((text, bufferSize) =>
        {
            int[] ids = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
            var decoded = new StringBuilder();
            var buffer = new char[bufferSize];
            int position = 0;
            while (position < ids.Length)
            {
                OperationStatus status = tokenizer.DecodeToChars(ids.AsSpan(position), buffer, out int consumed, out int written);
                decoded.Append(buffer, 0, written);
                position += consumed;
                if (status == OperationStatus.DestinationTooSmall && consumed == 0)
                {
                    buffer = new char[buffer.Length * 2]; // one id's characters did not fit: grow, as a caller would
                }
            }

            Assert.Equal(tokenizer.Decode(ids), decoded.ToString());
        }, iter: Iterations);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void LoneSurrogatesEncodeAsReplacementCharacters(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        Gen.Select(Text, Gen.Char['\uD800', '\uDFFF'], Gen.Int[0, 1000]).Sample((text, surrogate, at) =>
        {
            int index = Math.Min(at, text.Length);
            while (index > 0 && index < text.Length && char.IsLowSurrogate(text[index]))
            {
                index--; // do not split an existing pair
            }

            string broken = text.Insert(index, surrogate.ToString());
            string repaired = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(broken)); // .NET replaces lone surrogates with U+FFFD
            Assert.Equal(tokenizer.EncodeToIds(repaired, SpecialTokenPolicy.TreatAsText), tokenizer.EncodeToIds(broken, SpecialTokenPolicy.TreatAsText));
            Assert.Equal(repaired, tokenizer.Decode(tokenizer.EncodeToIds(broken, SpecialTokenPolicy.TreatAsText)));
        }, iter: Iterations);
    }
}
