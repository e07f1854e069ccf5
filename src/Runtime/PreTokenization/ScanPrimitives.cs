using System;
using System.Runtime.CompilerServices;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// Splits valid UTF-8 text into pre-tokens ("pieces"), exactly as a model's split pattern does under
/// leftmost-first regex semantics. A piece found at a position depends only on the text from that position
/// on, which is what lets encoding resume at any piece boundary. Implementations are structs with a static
/// method so that the encode loop is specialised per pattern, with no virtual call per piece.
/// </summary>
internal interface IPieceScanner
{
    /// <summary>Returns the end (exclusive) of the piece that starts at <paramref name="start"/>; always greater than <paramref name="start"/>.</summary>
    /// <param name="text">Valid UTF-8 text.</param>
    /// <param name="start">A code point boundary before the end of <paramref name="text"/>.</param>
    static abstract int PieceEnd(ReadOnlySpan<byte> text, int start);

    /// <summary>
    /// Whether a space after a visible ASCII character (<see cref="ScanPrimitives.IsVisibleAscii"/>) always starts a piece whose scan does not depend on what came
    /// before: true for patterns where a space can only open a piece (<c> ?\p{L}+</c>, <c>\s+</c>) and no alternative
    /// looks behind, so the text splits there (<see cref="HuggingFace.SpaceSegments"/>).
    /// </summary>
    static virtual bool SplitsBeforeSpaces => false;

    /// <summary>
    /// Whether a line break after a visible ASCII character also always starts such a piece: GPT-2's pattern, whose
    /// punctuation runs stop at whitespace (cl100k's and o200k's take the line breaks after punctuation along).
    /// </summary>
    static virtual bool SplitsBeforeLineBreaks => false;

    /// <summary>Whether <see cref="WindowStarts"/> decides piece starts a window at a time.</summary>
    static virtual bool HasWindow => false;

    /// <summary>
    /// Given a piece start, the starts after it that one window of text decides, as bits relative to
    /// <paramref name="start"/> (see <see cref="O200kWindow.Starts"/>, <see cref="Cl100kWindow.Starts"/>, <see cref="Gpt2Window.Starts"/>); 0 for none.
    /// </summary>
    /// <param name="text">Valid UTF-8 text with at least <see cref="WindowRules.BytesRead"/> bytes from <paramref name="start"/>.</param>
    /// <param name="start">A piece start.</param>
    static virtual ulong WindowStarts(ReadOnlySpan<byte> text, int start) => 0;
}

/// <summary>The building blocks the hand-written scanners share.</summary>
internal static class ScanPrimitives
{
    /// <summary>
    /// Whether <paramref name="value"/> (a byte or a UTF-16 unit) is a visible ASCII character, '!' to '~': no known
    /// pattern's \s matches it, and every one ends a piece at it before a space without looking further.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsVisibleAscii(int value) => (uint)(value - '!') <= '~' - '!';

    /// <summary>Length of the contraction (<c>'s 't 're 've 'm 'll 'd</c>) at <paramref name="index"/>, or 0.</summary>
    /// <param name="text">The text.</param>
    /// <param name="index">Where the apostrophe would be.</param>
    /// <param name="ignoreCase">Match letters case-insensitively (Unicode simple case folding: ſ matches s).</param>
    public static int ContractionLength(ReadOnlySpan<byte> text, int index, bool ignoreCase)
    {
        if (index + 1 >= text.Length || text[index] != '\'')
        {
            return 0;
        }

        byte first = text[index + 1];
        if (ignoreCase)
        {
            if (first == 0xC5 && index + 2 < text.Length && text[index + 2] == 0xBF)
            {
                return 3; // 'ſ (U+017F LATIN SMALL LETTER LONG S folds to s)
            }

            first = (byte)(first | 0x20);
        }

        switch (first)
        {
            case (byte)'s':
            case (byte)'t':
            case (byte)'m':
            case (byte)'d':
                return 2;
            case (byte)'r':
                return SecondIs(text, index + 2, 'e', ignoreCase) ? 3 : 0;
            case (byte)'v':
                return SecondIs(text, index + 2, 'e', ignoreCase) ? 3 : 0;
            case (byte)'l':
                return SecondIs(text, index + 2, 'l', ignoreCase) ? 3 : 0;
            default:
                return 0;
        }
    }

    private static bool SecondIs(ReadOnlySpan<byte> text, int index, char lower, bool ignoreCase) =>
        index < text.Length && (text[index] == lower || (ignoreCase && text[index] == lower - 32));

    /// <summary>End of the run of code points from <paramref name="index"/> whose flags intersect <paramref name="mask"/>.</summary>
    public static int RunEnd(ReadOnlySpan<byte> text, int index, byte mask)
    {
        while (index < text.Length)
        {
            if ((CharClass.At(text, index, out int length) & mask) == 0)
            {
                break;
            }

            index += length;
        }

        return index;
    }

    /// <summary>
    /// The whitespace alternatives every OpenAI pattern ends with: <c>\s*[\r\n]+</c> (when
    /// <paramref name="lineBreakAlternative"/>), then <c>\s+(?!\S)</c>, then <c>\s+</c>.
    /// Returns 0 when <paramref name="start"/> is not whitespace.
    /// </summary>
    public static int WhitespaceEnd(ReadOnlySpan<byte> text, int start, bool lineBreakAlternative)
    {
        int index = start;
        int lastLineBreakEnd = -1;
        int lastCharStart = start;
        while (index < text.Length)
        {
            byte flags = CharClass.At(text, index, out int length);
            if ((flags & CharClass.Space) == 0)
            {
                break;
            }

            if ((flags & CharClass.LineBreak) != 0)
            {
                lastLineBreakEnd = index + length;
            }

            lastCharStart = index;
            index += length;
        }

        if (index == start)
        {
            return 0;
        }

        if (lineBreakAlternative && lastLineBreakEnd > 0)
        {
            return lastLineBreakEnd; // \s*[\r\n]+ backtracks to the last line break of the run
        }

        if (index == text.Length || lastCharStart == start)
        {
            return index; // \s+(?!\S) at the end of text, or a single space before non-space (\s+)
        }

        return lastCharStart; // \s+(?!\S): leave the last whitespace char to the next piece
    }

    /// <summary>End of a run of [^\s\p{L}\p{N}] from <paramref name="index"/>.</summary>
    public static int PunctuationRunEnd(ReadOnlySpan<byte> text, int index)
    {
        while (index < text.Length)
        {
            if ((CharClass.At(text, index, out int length) & (CharClass.Letter | CharClass.Number | CharClass.Space)) != 0)
            {
                break;
            }

            index += length;
        }

        return index;
    }

    /// <summary><c>\p{N}{1,3}</c> from a number char of <paramref name="firstLength"/> bytes at <paramref name="start"/>.</summary>
    public static int NumberEnd(ReadOnlySpan<byte> text, int start, int firstLength)
    {
        int end = start + firstLength;
        for (int count = 1; count < 3 && end < text.Length; count++)
        {
            if ((CharClass.At(text, end, out int length) & CharClass.Number) == 0)
            {
                break;
            }

            end += length;
        }

        return end;
    }
}
