using System;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// GPT-2's pattern (r50k_base, p50k_base) as a scanner:
/// <c>'s|'t|'re|'ve|'m|'ll|'d</c> | <c> ?\p{L}+</c> | <c> ?\p{N}+</c> | <c> ?[^\s\p{L}\p{N}]+</c> | <c>\s+(?!\S)</c> | <c>\s+</c>.
/// </summary>
internal readonly struct Gpt2Scanner : IPieceScanner
{
    /// <inheritdoc/>
    public static bool SplitsBeforeSpaces => true;

    /// <inheritdoc/>
    public static bool SplitsBeforeLineBreaks => true;

    /// <inheritdoc/>
    public static bool HasWindow => true;

    /// <inheritdoc/>
    public static ulong WindowStarts(ReadOnlySpan<byte> text, int start) => Gpt2Window.Starts(text, start);

    /// <inheritdoc cref="IPieceScanner.PieceEnd"/>
    public static int PieceEnd(ReadOnlySpan<byte> text, int start)
    {
        int end = AsciiScan.Gpt2(text, start);
        return end >= 0 ? end : General(text, start);
    }

    /// <summary>The scan for any text (the ASCII fast path's reference).</summary>
    internal static int General(ReadOnlySpan<byte> text, int start)
    {
        int contraction = ScanPrimitives.ContractionLength(text, start, ignoreCase: false);
        if (contraction > 0)
        {
            return start + contraction;
        }

        int body = text[start] == (byte)' ' && start + 1 < text.Length ? start + 1 : start;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            byte flags = CharClass.At(text, body, out _);
            if ((flags & CharClass.Letter) != 0)
            {
                return ScanPrimitives.RunEnd(text, body, CharClass.Letter);
            }

            if ((flags & CharClass.Number) != 0)
            {
                return ScanPrimitives.RunEnd(text, body, CharClass.Number);
            }

            if ((flags & CharClass.Space) == 0)
            {
                return ScanPrimitives.PunctuationRunEnd(text, body);
            }

            if (body == start)
            {
                break;
            }

            body = start; // the optional space matched nothing useful: try the alternatives without it
        }

        return ScanPrimitives.WhitespaceEnd(text, start, lineBreakAlternative: false);
    }
}
