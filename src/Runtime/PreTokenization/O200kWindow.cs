using System;
using System.Numerics;

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

        ulong letter = masks.Letter, upper = masks.Upper, lower = letter & ~upper, space = masks.Space, other = masks.Other;
        ulong blankSpace = masks.BlankSpace;

        // [\r\n/]* after a punctuation run: from a line break right after it, every line break and slash up to the first other char.
        ulong eatFrom = masks.LineBreak & (other << 1);
        ulong eaten = eatFrom == 0 ? 0 : WindowRules.FillUp(eatFrom, masks.LineBreak | masks.Slash);
        ulong contraction = Contractions(text, start, masks.Apostrophe & (letter << 1), out ulong afterContraction);
        ulong gone = eaten | contraction;

        // Punctuation starts a piece where its run starts, unless a space before it takes it along (" ?[^\s\p{L}\p{N}]+"),
        // or where eating stopped inside the run.
        ulong punctuationStarts = other & ~gone & ((~(other << 1) & ~(masks.Blank << 1)) | ((other & eaten) << 1));

        ulong wordRunStarts = letter & ~(letter << 1) & ~contraction;
        ulong prefixes = (blankSpace | punctuationStarts) & (wordRunStarts >> 1);
        ulong wordStarts = (wordRunStarts & ~(prefixes << 1)) | (upper & (lower << 1)) | (afterContraction & letter);

        ulong starts = wordStarts | prefixes | punctuationStarts
            | WindowRules.DigitGroupStarts(masks.Digit, maxDigits: 3) | WindowRules.WhiteSpaceStarts(space, masks.LineBreak, eaten);
        return WindowRules.Decided(starts & ~gone, masks);
    }

    /// <summary>
    /// The apostrophes after a word's last letter that open a contraction (<c>'s 't 're 've 'm 'll 'd</c>, any case),
    /// with their letters; <paramref name="after"/> gets the bit just past each. <paramref name="candidates"/> are the
    /// apostrophes after any letter, taken in order.
    /// </summary>
    private static ulong Contractions(ReadOnlySpan<byte> text, int start, ulong candidates, out ulong after)
    {
        ulong eaten = 0;
        after = 0;
        while (candidates != 0)
        {
            int at = BitOperations.TrailingZeroCount(candidates);
            candidates &= candidates - 1;

            // A contraction's own last letter ends no word, so an apostrophe right after one opens none.
            int length = (eaten & (1UL << (at - 1))) == 0 ? ScanPrimitives.ContractionLength(text, start + at, ignoreCase: true) : 0;
            if (length > 0)
            {
                eaten |= ((1UL << length) - 1) << at;
                after |= at + length < 64 ? 1UL << (at + length) : 0;
            }
        }

        return eaten;
    }
}
