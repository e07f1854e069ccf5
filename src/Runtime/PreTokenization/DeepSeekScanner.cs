using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// DeepSeek V3's pre-tokenizer as one scanner: three Hugging Face Split steps (each Isolated: the matches and the
/// text between them are pieces), each applied to the pieces of the one before.
/// <list type="number">
/// <item><c>\p{N}{1,3}</c>: digits, three at a time.</item>
/// <item><c>[一-龥぀-ゟ゠-ヿ]+</c>: runs of CJK ideographs and kana (U+4E00-U+9FA5, U+3040-U+30FF).</item>
/// <item><c>[ASCII punctuation][A-Za-z]+</c> | <c>[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+</c> | <c> ?[\p{P}\p{S}]+[\r\n]*</c> |
/// <c>\s*[\r\n]+</c> | <c>\s+(?!\S)</c> | <c>\s+</c>, on each remaining piece.</item>
/// </list>
/// A digit group passes the later steps whole (no alternative of the third matches a digit). Every other piece of
/// the first two steps is a <em>segment</em> the third pattern runs on as if it were the whole text: a kana run
/// may still hold punctuation (゠, ・) and symbols (゛) that the third step splits off, and a look-ahead such as
/// <c>(?!\S)</c> sees the segment's end. A segment is a CJK run or a stretch with neither digits nor CJK, so the
/// character at a piece's start says which one it is in and where it ends: no segment is ever measured ahead.
/// </summary>
internal readonly struct DeepSeekScanner : IPieceScanner
{
    // Character classes (one byte per code point; a CJK character also has its category's flag).
    private const byte Letter = 1;        // \p{L}
    private const byte Mark = 2;          // \p{M}
    private const byte Number = 4;        // \p{N}
    private const byte PunctOrSymbol = 8; // \p{P} or \p{S}
    private const byte Space = 16;        // \s
    private const byte LineBreak = 32;    // \r or \n
    private const byte Cjk = 64;          // in the second step's ranges
    private const byte AsciiPunct = 128;  // the first alternative's ASCII punctuation
    private const byte Word = Letter | Mark;

    /// <inheritdoc cref="IPieceScanner.PieceEnd"/>
    public static int PieceEnd(ReadOnlySpan<byte> text, int start)
    {
        byte first = ClassAt(text, start, out int firstLength);
        if ((first & Number) != 0)
        {
            return DigitGroupEnd(text, start + firstLength);
        }

        return (first & Cjk) != 0
            ? SegmentPieceEnd<InCjkRun>(text, start, first, firstLength)
            : SegmentPieceEnd<OutsideCjkRun>(text, start, first, firstLength);
    }

    /// <summary>The end of <c>\p{N}{1,3}</c> after its first digit.</summary>
    private static int DigitGroupEnd(ReadOnlySpan<byte> text, int end)
    {
        for (int count = 1; count < 3 && end < text.Length; count++)
        {
            if ((ClassAt(text, end, out int length) & Number) == 0)
            {
                break;
            }

            end += length;
        }

        return end;
    }

    /// <summary>The third step's piece at <paramref name="start"/>, inside the segment <typeparamref name="TSegment"/> says.</summary>
    private static int SegmentPieceEnd<TSegment>(ReadOnlySpan<byte> text, int start, byte first, int firstLength)
        where TSegment : struct, ISegment
    {
        int next = start + firstLength;

        // [ASCII punctuation][A-Za-z]+ (ASCII letters are never CJK or digits, so they are always inside).
        if ((first & AsciiPunct) != 0 && next < text.Length && IsAsciiLetter(text[next]))
        {
            int end = next + 1;
            while (end < text.Length && IsAsciiLetter(text[end]))
            {
                end++;
            }

            return end;
        }

        // [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+
        if ((first & Word) != 0)
        {
            return RunEnd<TSegment>(text, next, Word);
        }

        // The rest depends on the character after the first (classified only now: most pieces are words).
        byte second = next < text.Length ? ClassAt(text, next, out _) : (byte)0;
        bool secondInside = next < text.Length && TSegment.Contains(second);
        bool prefixable = (first & (LineBreak | PunctOrSymbol)) == 0;
        if (prefixable && secondInside && (second & Word) != 0)
        {
            return RunEnd<TSegment>(text, next, Word);
        }

        // ' '?[\p{P}\p{S}]+[\r\n]*
        if ((first & PunctOrSymbol) != 0 || (text[start] == (byte)' ' && secondInside && (second & PunctOrSymbol) != 0))
        {
            int punctuationEnd = RunEnd<TSegment>(text, next, PunctOrSymbol);
            return RunEnd<TSegment>(text, punctuationEnd, LineBreak);
        }

        // \s*[\r\n]+ | \s+(?!\S) | \s+
        if ((first & Space) != 0)
        {
            return WhitespaceEnd<TSegment>(text, start, first, firstLength);
        }

        // Nothing matches here: the text up to the next match is a piece. A match starts at any character but one of
        // this kind (not a letter, mark, punctuation, symbol or space) that no letter or mark follows.
        return GapEnd<TSegment>(text, next);
    }

    /// <summary>The end of the run of characters of class <paramref name="mask"/> from <paramref name="index"/>, inside the segment.</summary>
    private static int RunEnd<TSegment>(ReadOnlySpan<byte> text, int index, byte mask)
        where TSegment : struct, ISegment
    {
        while (index < text.Length)
        {
            byte flags = ClassAt(text, index, out int length);
            if ((flags & mask) == 0 || !TSegment.Contains(flags))
            {
                break;
            }

            index += length;
        }

        return index;
    }

    /// <summary>
    /// The whitespace alternatives from the space at <paramref name="start"/>: up to the last line break of the run
    /// when it has one; else the whole run when the segment ends after it (<c>(?!\S)</c> sees the end) or it is one
    /// character; else all of it but its last character, which starts the next piece.
    /// </summary>
    private static int WhitespaceEnd<TSegment>(ReadOnlySpan<byte> text, int start, byte first, int firstLength)
        where TSegment : struct, ISegment
    {
        int lastLineBreakEnd = (first & LineBreak) != 0 ? start + firstLength : -1;
        int lastCharStart = start;
        int index = start + firstLength;
        bool segmentEnds = true;
        while (index < text.Length)
        {
            byte flags = ClassAt(text, index, out int length);
            if (!TSegment.Contains(flags))
            {
                break;
            }

            if ((flags & Space) == 0)
            {
                segmentEnds = false;
                break;
            }

            if ((flags & LineBreak) != 0)
            {
                lastLineBreakEnd = index + length;
            }

            lastCharStart = index;
            index += length;
        }

        if (lastLineBreakEnd > 0)
        {
            return lastLineBreakEnd;
        }

        return segmentEnds || lastCharStart == start ? index : lastCharStart;
    }

    /// <summary>The end of the text no alternative matches, from the character after its first.</summary>
    private static int GapEnd<TSegment>(ReadOnlySpan<byte> text, int index)
        where TSegment : struct, ISegment
    {
        while (index < text.Length)
        {
            byte flags = ClassAt(text, index, out int length);
            if (!TSegment.Contains(flags) || (flags & (Word | PunctOrSymbol | Space)) != 0)
            {
                break;
            }

            // A character of this kind starts a match when a letter or mark follows it (as the optional prefix).
            int after = index + length;
            if (after < text.Length && ClassAt(text, after, out _) is byte following && TSegment.Contains(following) && (following & Word) != 0)
            {
                break;
            }

            index = after;
        }

        return index;
    }

    private static bool IsAsciiLetter(byte value) => (uint)((value | 0x20) - 'a') <= 'z' - 'a';

    /// <summary>The classes of the code point at <paramref name="index"/> (valid UTF-8) and its length in bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static byte ClassAt(ReadOnlySpan<byte> text, int index, out int length)
    {
        byte lead = text[index];
        if (lead < 0x80)
        {
            length = 1;
            return AsciiClasses.Table[lead];
        }

        return NonAscii(text, index, out length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte NonAscii(ReadOnlySpan<byte> text, int index, out int length)
    {
        byte lead = text[index];
        if (lead < 0xE0)
        {
            length = 2;
            return BmpClasses.Table[((lead & 0x1F) << 6) | (text[index + 1] & 0x3F)];
        }

        if (lead < 0xF0)
        {
            length = 3;
            return BmpClasses.Table[((lead & 0x0F) << 12) | ((text[index + 1] & 0x3F) << 6) | (text[index + 2] & 0x3F)];
        }

        Rune.DecodeFromUtf8(text[index..], out Rune rune, out length);
        return Classify(rune);
    }

    /// <summary>The classes of one code point.</summary>
    internal static byte Classify(Rune rune)
    {
        byte flags = Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Letter,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Mark,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Number,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
                or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => PunctOrSymbol,
            _ => 0,
        };
        int value = rune.Value;
        if (Rune.IsWhiteSpace(rune))
        {
            flags |= Space;
        }

        if (value is '\r' or '\n')
        {
            flags |= LineBreak;
        }

        if (value is (>= 0x4E00 and <= 0x9FA5) or (>= 0x3040 and <= 0x30FF))
        {
            flags |= Cjk;
        }

        if (value < 0x80 && (flags & PunctOrSymbol) != 0)
        {
            flags |= AsciiPunct;
        }

        return flags;
    }

    /// <summary>Which segment a piece lies in: a CJK run, or a stretch without CJK or digits.</summary>
    private interface ISegment
    {
        static abstract bool Contains(byte flags);
    }

    private readonly struct InCjkRun : ISegment
    {
        public static bool Contains(byte flags) => (flags & Cjk) != 0;
    }

    private readonly struct OutsideCjkRun : ISegment
    {
        public static bool Contains(byte flags) => (flags & (Cjk | Number)) == 0;
    }

    /// <summary>The classes of ASCII.</summary>
    private static class AsciiClasses
    {
        public static readonly byte[] Table = Build(0x80);
    }

    /// <summary>The classes of the Basic Multilingual Plane (64 KB, built when the first non-ASCII text is scanned).</summary>
    private static class BmpClasses
    {
        public static readonly byte[] Table = Build(0x10000);
    }

    private static byte[] Build(int count)
    {
        var table = new byte[count];
        for (int c = 0; c < count; c++)
        {
            // Surrogate code points never reach the table (valid UTF-8 cannot encode them).
            table[c] = c is >= 0xD800 and <= 0xDFFF ? (byte)0 : Classify(new Rune(c));
        }

        return table;
    }
}
