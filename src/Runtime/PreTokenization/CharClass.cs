using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// The character classes the split patterns of real models use, as bit flags, with a table for ASCII so
/// that the common case costs one load. Non-ASCII code points go through the runtime's Unicode tables.
/// </summary>
internal static class CharClass
{
    /// <summary>\p{L}.</summary>
    public const byte Letter = 1;

    /// <summary>\p{N}.</summary>
    public const byte Number = 2;

    /// <summary>\s (the Unicode White_Space property).</summary>
    public const byte Space = 4;

    /// <summary>[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]: o200k's "upper" set.</summary>
    public const byte Upperish = 8;

    /// <summary>[\p{Ll}\p{Lm}\p{Lo}\p{M}]: o200k's "lower" set.</summary>
    public const byte Lowerish = 16;

    /// <summary>\r or \n.</summary>
    public const byte LineBreak = 32;

    private static readonly byte[] s_ascii = BuildAscii();

    /// <summary>Classifies the code point at <paramref name="index"/> of valid UTF-8 and returns its length in bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte At(ReadOnlySpan<byte> text, int index, out int length)
    {
        byte b = text[index];
        if (b < 0x80)
        {
            length = 1;
            return s_ascii[b];
        }

        return NonAscii(text.Slice(index), out length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte NonAscii(ReadOnlySpan<byte> text, out int length)
    {
        // The text is valid UTF-8, so a lead byte says the length and the continuation bytes need no checks.
        // Two- and three-byte sequences are the BMP: one load from the precomputed table instead of the
        // runtime's category lookup, which was a fifth of the encode time on CJK and Cyrillic text.
        byte lead = text[0];
        if (lead < 0xE0)
        {
            length = 2;
            return BmpClasses.Table[((lead & 0x1F) << 6) | (text[1] & 0x3F)];
        }

        if (lead < 0xF0)
        {
            length = 3;
            return BmpClasses.Table[((lead & 0x0F) << 12) | ((text[1] & 0x3F) << 6) | (text[2] & 0x3F)];
        }

        Rune.DecodeFromUtf8(text, out Rune rune, out length);
        return Classify(rune);
    }

    /// <summary>The flags of every BMP code point, built on first use (only text outside ASCII needs it).</summary>
    private static class BmpClasses
    {
        public static readonly byte[] Table = Build();

        private static byte[] Build()
        {
            var table = new byte[0x10000];
            for (int c = 0; c < table.Length; c++)
            {
                // Surrogate code points never reach the table (valid UTF-8 cannot encode them).
                table[c] = c is >= 0xD800 and <= 0xDFFF ? (byte)0 : Classify(new Rune(c));
            }

            return table;
        }
    }

    /// <summary>The table entry for a BMP code point (tests compare it with <see cref="Classify"/>).</summary>
    internal static byte TableEntry(int bmpCodePoint) => BmpClasses.Table[bmpCodePoint];

    /// <summary>The flags of one code point.</summary>
    public static byte Classify(Rune rune)
    {
        if (rune.IsAscii)
        {
            return s_ascii[rune.Value];
        }

        byte flags = Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => Letter | Upperish,
            UnicodeCategory.LowercaseLetter => Letter | Lowerish,
            UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Letter | Upperish | Lowerish,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Upperish | Lowerish,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Number,
            _ => 0,
        };
        if (Rune.IsWhiteSpace(rune))
        {
            flags |= Space;
        }

        return flags;
    }

    private static byte[] BuildAscii()
    {
        var table = new byte[128];
        for (int c = 0; c < 128; c++)
        {
            byte flags = 0;
            if (c is >= 'A' and <= 'Z')
            {
                flags = Letter | Upperish;
            }
            else if (c is >= 'a' and <= 'z')
            {
                flags = Letter | Lowerish;
            }
            else if (c is >= '0' and <= '9')
            {
                flags = Number;
            }
            else if (c is >= 0x09 and <= 0x0D or 0x20)
            {
                flags = Space;
            }

            if (c is '\r' or '\n')
            {
                flags |= LineBreak;
            }

            table[c] = flags;
        }

        return table;
    }
}
