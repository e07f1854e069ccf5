using System;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// o200k_base's piece boundaries in up to 64 bytes of ASCII at once, as bit masks (<see cref="AsciiClassMasks"/>):
/// the branch-per-piece scanner (<see cref="AsciiScan.O200k"/>) cannot know which alternative a piece takes
/// before it has looked, and half of a megabyte of code's encode time went to those unpredictable branches.
/// In ASCII the pattern's decisions are local, so where pieces start follows from the classes of the bytes around:
/// <list type="bullet">
/// <item>Words (<c>[U]*[W]+</c> or <c>[U]+[W]*</c>) start at a letter after a non-letter and at a capital after a
/// small letter; a single char before the word that is white space other than a line break, or punctuation that
/// starts a piece itself, is taken as its prefix. A contraction after a word's last letter belongs to the word.</item>
/// <item>A punctuation run is one piece, with a space before it when there is one; after it the pattern takes
/// line breaks and slashes (<c>[\r\n/]*</c>), so those are eaten up to the first other char.</item>
/// <item>Digits and white space as <see cref="WindowRules"/> says.</item>
/// </list>
/// A decision that needs bytes past the window (or past a non-ASCII byte) is left to the next window, which starts
/// at the last start decided here. The pattern has no look-behind, so the text before a piece start never matters.
/// </summary>
internal static class O200kWindow
{
    /// <summary>
    /// Given that a piece starts at <paramref name="start"/>, the starts of the pieces after it that the window
    /// decides: bit j set when a piece starts at <paramref name="start"/> + j (j &gt; 0). The highest set bit is the
    /// last start decided, where the next window begins. 0 when the window decides none (non-ASCII right after the
    /// start, or a run that fills the window): the caller then scans one piece the usual way.
    /// </summary>
    /// <param name="text">Valid UTF-8 text with at least <see cref="WindowRules.BytesRead"/> bytes from <paramref name="start"/>.</param>
    /// <param name="start">A piece start.</param>
    public static ulong Starts(ReadOnlySpan<byte> text, int start)
    {
        if (!WindowRules.TryClassify(text, start, out AsciiClassMasks masks))
        {
            return 0;
        }

        ulong letter = masks.Letter, lower = letter & ~masks.Upper, other = masks.Other;
        ulong eaten = WindowRules.EatenAfterPunctuation(masks, masks.LineBreak | masks.Slash);
        ulong contraction = WindowRules.Contractions(
            text, start, masks.Apostrophe & (letter << 1), ignoreCase: true, afterAnother: false, out ulong afterContraction);
        ulong gone = eaten | contraction;

        // Punctuation starts a piece where its run starts, unless a space before it takes it along (" ?[^\s\p{L}\p{N}]+"),
        // or where eating stopped inside the run.
        ulong punctuationStarts = other & ~gone & ((~(other << 1) & ~(masks.Blank << 1)) | ((other & eaten) << 1));

        ulong wordStarts = WindowRules.PrefixedWordStarts(masks, masks.BlankSpace | punctuationStarts, contraction, out ulong prefixes)
            | (masks.Upper & (lower << 1)) | (afterContraction & letter);
        ulong starts = wordStarts | prefixes | punctuationStarts
            | WindowRules.DigitGroupStarts(masks.Digit, maxDigits: 3) | WindowRules.WhiteSpaceStarts(masks, eaten);
        return WindowRules.Decided(starts & ~gone, masks);
    }
}
