using System;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// cl100k_base's piece boundaries (and Qwen's, one digit per piece) in up to 64 bytes of ASCII at once, as
/// <see cref="O200kWindow"/> does o200k's. The pattern differs from o200k's in three places:
/// <list type="bullet">
/// <item>A contraction is a piece of its own, taken first wherever a piece starts at an apostrophe (where a
/// punctuation run starts, unless a space before it takes it along); the letters it takes start no word.</item>
/// <item>A word is one run of letters (<c>[^\r\n\p{L}\p{N}]?\p{L}+</c>), whatever their case.</item>
/// <item>After a punctuation run only line breaks are taken (<c>[\r\n]*</c>), no slashes.</item>
/// </list>
/// </summary>
internal static class Cl100kWindow
{
    /// <summary>
    /// As <see cref="O200kWindow.Starts"/>, for cl100k's pattern with <c>\p{N}{1,<paramref name="maxDigits"/>}</c>.
    /// </summary>
    /// <param name="text">Valid UTF-8 text with at least <see cref="WindowRules.BytesRead"/> bytes from <paramref name="start"/>.</param>
    /// <param name="start">A piece start.</param>
    /// <param name="maxDigits">3 for cl100k_base, 1 for Qwen.</param>
    public static ulong Starts(ReadOnlySpan<byte> text, int start, int maxDigits)
    {
        if (!WindowRules.TryClassify(text, start, out AsciiClassMasks masks))
        {
            return 0;
        }

        ulong eaten = WindowRules.EatenAfterPunctuation(masks, masks.LineBreak);
        ulong punctuationStarts = WindowRules.PunctuationRunStarts(masks);
        ulong contraction = WindowRules.Contractions(
            text, start, punctuationStarts & masks.Apostrophe, ignoreCase: true, afterAnother: true, out ulong afterContraction);

        // A contraction's apostrophe starts its piece; its letters start none.
        ulong wordStarts = WindowRules.PrefixedWordStarts(masks, masks.BlankSpace | punctuationStarts, contraction, out ulong prefixes)
            | (afterContraction & masks.Letter);
        ulong starts = wordStarts | prefixes | punctuationStarts
            | WindowRules.DigitGroupStarts(masks.Digit, maxDigits) | WindowRules.WhiteSpaceStarts(masks, eaten);
        return WindowRules.Decided(starts, masks);
    }
}
