using System;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// o200k_base's pattern as a scanner:
/// <c>[^\r\n\p{L}\p{N}]?[U]*[W]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?</c> | <c>[^\r\n\p{L}\p{N}]?[U]+[W]*(?i:…)?</c> |
/// <c>\p{N}{1,3}</c> | <c> ?[^\s\p{L}\p{N}]+[\r\n/]*</c> | <c>\s*[\r\n]+</c> | <c>\s+(?!\S)</c> | <c>\s+</c>,
/// where U = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] and W = [\p{Ll}\p{Lm}\p{Lo}\p{M}].
/// </summary>
internal readonly struct O200kScanner : IPieceScanner
{
    /// <inheritdoc/>
    public static bool SplitsBeforeSpaces => true;

    private const byte Word = CharClass.Upperish | CharClass.Lowerish;

    /// <inheritdoc/>
    public static bool HasWindow => true;

    /// <inheritdoc/>
    public static ulong WindowStarts(ReadOnlySpan<byte> text, int start) => O200kWindow.Starts(text, start);

    /// <inheritdoc cref="IPieceScanner.PieceEnd"/>
    public static int PieceEnd(ReadOnlySpan<byte> text, int start)
    {
        int end = AsciiScan.O200k(text, start);
        return end >= 0 ? end : General(text, start);
    }

    /// <summary>The scan for any text (the ASCII fast path's reference).</summary>
    internal static int General(ReadOnlySpan<byte> text, int start)
    {
        byte first = CharClass.At(text, start, out int firstLength);

        // A prefix char is anything but \r, \n, letters and numbers (marks and whitespace included).
        bool canPrefix = (first & (CharClass.Letter | CharClass.Number | CharClass.LineBreak)) == 0;

        // Leftmost-first: the first alternative (with, then without the prefix) before the second.
        for (int alternative = 1; alternative <= 2; alternative++)
        {
            if (canPrefix)
            {
                int end = CasedWord(text, start + firstLength, alternative);
                if (end > 0)
                {
                    return end;
                }
            }

            if ((first & Word) != 0)
            {
                int end = CasedWord(text, start, alternative);
                if (end > 0)
                {
                    return end;
                }
            }
        }

        if ((first & CharClass.Number) != 0)
        {
            return ScanPrimitives.NumberEnd(text, start, firstLength);
        }

        int punctuationStart = first == CharClass.Space && text[start] == (byte)' ' ? start + 1 : start;
        int punctuationEnd = ScanPrimitives.PunctuationRunEnd(text, punctuationStart);
        if (punctuationEnd > punctuationStart)
        {
            while (punctuationEnd < text.Length && text[punctuationEnd] is (byte)'\r' or (byte)'\n' or (byte)'/')
            {
                punctuationEnd++;
            }

            return punctuationEnd;
        }

        int whitespaceEnd = ScanPrimitives.WhitespaceEnd(text, start, lineBreakAlternative: true);
        return whitespaceEnd > 0 ? whitespaceEnd : start + firstLength;
    }

    /// <summary>
    /// One of the first two alternatives after the optional prefix, from <paramref name="start"/>:
    /// 1 = U*W+ (with backtracking), 2 = U+W*; each followed by an optional contraction. Returns 0 when it does not match.
    /// </summary>
    private static int CasedWord(ReadOnlySpan<byte> text, int start, int alternative)
    {
        // U* greedily, remembering where the last char that is also in W ended (the backtracking target).
        int index = start;
        int lastAlsoLowerEnd = -1;
        while (index < text.Length)
        {
            byte flags = CharClass.At(text, index, out int length);
            if ((flags & CharClass.Upperish) == 0)
            {
                break;
            }

            index += length;
            if ((flags & CharClass.Lowerish) != 0)
            {
                lastAlsoLowerEnd = index;
            }
        }

        int upperEnd = index;
        int lowerEnd = ScanPrimitives.RunEnd(text, upperEnd, CharClass.Lowerish);
        int end;
        if (alternative == 2)
        {
            if (upperEnd == start)
            {
                return 0;
            }

            end = lowerEnd; // U+W*
        }
        else if (lowerEnd > upperEnd)
        {
            end = lowerEnd; // U*W+ without backtracking
        }
        else if (lastAlsoLowerEnd > 0)
        {
            end = lastAlsoLowerEnd; // U* gives back chars until W+ can take the last U char that is also W
        }
        else
        {
            return 0;
        }

        return end + ScanPrimitives.ContractionLength(text, end, ignoreCase: true);
    }
}
