using System;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// cl100k_base's pattern as a scanner:
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)</c> | <c>[^\r\n\p{L}\p{N}]?\p{L}+</c> | <c>\p{N}{1,3}</c> |
/// <c> ?[^\s\p{L}\p{N}]+[\r\n]*</c> | <c>\s*[\r\n]+</c> | <c>\s+(?!\S)</c> | <c>\s+</c>.
/// </summary>
internal readonly struct Cl100kScanner : IPieceScanner
{
    /// <inheritdoc/>
    public static bool SplitsBeforeSpaces => true;

    /// <inheritdoc/>
    public static bool HasWindow => true;

    /// <inheritdoc/>
    public static ulong WindowStarts(ReadOnlySpan<byte> text, int start) => Cl100kWindow.Starts(text, start, maxDigits: 3);

    /// <inheritdoc cref="IPieceScanner.PieceEnd"/>
    public static int PieceEnd(ReadOnlySpan<byte> text, int start)
    {
        int end = AsciiScan.Cl100k(text, start, maxDigits: 3);
        return end >= 0 ? end : General(text, start, singleDigits: false);
    }

    /// <summary>
    /// The cl100k family's scan for any text (the ASCII fast path's reference); Qwen's pattern differs only in
    /// taking one digit per piece.
    /// </summary>
    internal static int General(ReadOnlySpan<byte> text, int start, bool singleDigits)
    {
        int contraction = ScanPrimitives.ContractionLength(text, start, ignoreCase: true);
        if (contraction > 0)
        {
            return start + contraction;
        }

        byte first = CharClass.At(text, start, out int firstLength);
        if ((first & (CharClass.Letter | CharClass.Number | CharClass.LineBreak)) == 0)
        {
            int letters = ScanPrimitives.RunEnd(text, start + firstLength, CharClass.Letter);
            if (letters > start + firstLength)
            {
                return letters;
            }
        }

        if ((first & CharClass.Letter) != 0)
        {
            return ScanPrimitives.RunEnd(text, start, CharClass.Letter);
        }

        if ((first & CharClass.Number) != 0)
        {
            return singleDigits ? start + firstLength : ScanPrimitives.NumberEnd(text, start, firstLength);
        }

        int punctuationStart = first == CharClass.Space && text[start] == (byte)' ' ? start + 1 : start;
        int punctuationEnd = ScanPrimitives.PunctuationRunEnd(text, punctuationStart);
        if (punctuationEnd > punctuationStart)
        {
            while (punctuationEnd < text.Length && text[punctuationEnd] is (byte)'\r' or (byte)'\n')
            {
                punctuationEnd++;
            }

            return punctuationEnd;
        }

        int whitespaceEnd = ScanPrimitives.WhitespaceEnd(text, start, lineBreakAlternative: true);
        return whitespaceEnd > 0 ? whitespaceEnd : start + firstLength;
    }
}

/// <summary>Qwen's pattern as a scanner: cl100k's with <c>\p{N}</c> (one digit per piece) instead of <c>\p{N}{1,3}</c>.</summary>
internal readonly struct QwenScanner : IPieceScanner
{
    /// <inheritdoc/>
    public static bool SplitsBeforeSpaces => true;

    /// <inheritdoc/>
    public static bool HasWindow => true;

    /// <inheritdoc/>
    public static ulong WindowStarts(ReadOnlySpan<byte> text, int start) => Cl100kWindow.Starts(text, start, maxDigits: 1);

    /// <inheritdoc cref="IPieceScanner.PieceEnd"/>
    public static int PieceEnd(ReadOnlySpan<byte> text, int start)
    {
        int end = AsciiScan.Cl100k(text, start, maxDigits: 1);
        return end >= 0 ? end : Cl100kScanner.General(text, start, singleDigits: true);
    }
}
