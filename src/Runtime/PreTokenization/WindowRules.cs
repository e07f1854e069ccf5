using System;
using System.Numerics;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// What the window scans share (<see cref="O200kWindow"/>, <see cref="Cl100kWindow"/>, <see cref="Gpt2Window"/>): the
/// class masks, how far a window can decide, contractions as pieces of their own, and o200k's and cl100k's digit and
/// white-space alternatives, which are the same. Bit j of every mask is the byte j of the window.
/// </summary>
internal static class WindowRules
{
    /// <summary>
    /// Bytes a window scan reads from its start: 64 classified, and two more that a contraction opening at the last
    /// one reads (its letters, or the two bytes of <c>ſ</c>).
    /// </summary>
    public const int BytesRead = AsciiClassMasks.Length + 2;

    /// <summary>
    /// The class masks of the window at <paramref name="start"/>; false when fewer than two of its bytes are ASCII, so
    /// that no start after the first can be decided.
    /// </summary>
    public static bool TryClassify(ReadOnlySpan<byte> text, int start, out AsciiClassMasks masks)
    {
        masks = AsciiClassMasks.Of(text, start);
        return masks.Valid >= 2;
    }

    /// <summary>
    /// The white-space alternatives' starts (<c>\s*[\r\n]+</c>, <c>\s+(?!\S)</c>, <c>\s+</c>): a run starts a piece
    /// at its first char not eaten by punctuation before it; its first piece ends after its last line break; the rest
    /// splits before its last char, which, when it is not a line break, always starts a piece (as a word's or a
    /// punctuation run's prefix, or alone: the next char is not white space).
    /// </summary>
    public static ulong WhiteSpaceStarts(in AsciiClassMasks masks, ulong eaten)
    {
        ulong space = masks.Space, blankSpace = masks.BlankSpace;
        ulong lastBlank = blankSpace & ~(space >> 1);
        ulong finalBlankRun = FillDown(lastBlank, blankSpace);
        return (space & ~eaten & (~(space << 1) | (eaten << 1))) | lastBlank | (finalBlankRun & ~(blankSpace << 1));
    }

    /// <summary>
    /// What o200k's and cl100k's punctuation alternatives take after their run (<c>[\r\n/]*</c>, <c>[\r\n]*</c>): from a
    /// line break right after punctuation, every char of <paramref name="taken"/> (line breaks, and slashes for o200k)
    /// up to the first other char.
    /// </summary>
    public static ulong EatenAfterPunctuation(in AsciiClassMasks masks, ulong taken)
    {
        ulong from = masks.LineBreak & (masks.Other << 1);
        return from == 0 ? 0 : FillUp(from, taken);
    }

    /// <summary>
    /// Where the runs of letters that are not contraction letters (<paramref name="contraction"/>) start a word, and
    /// in <paramref name="prefixes"/> the chars before them that the word takes instead (o200k's and cl100k's
    /// <c>[^\r\n\p{L}\p{N}]?</c>): those of <paramref name="prefixable"/>, white space other than a line break or
    /// punctuation that starts a piece itself.
    /// </summary>
    public static ulong PrefixedWordStarts(in AsciiClassMasks masks, ulong prefixable, ulong contraction, out ulong prefixes)
    {
        ulong runStarts = masks.Letter & ~(masks.Letter << 1) & ~contraction;
        prefixes = prefixable & (runStarts >> 1);
        return runStarts & ~(prefixes << 1);
    }

    /// <summary>
    /// Where punctuation runs start a piece in cl100k's and GPT-2's patterns: at the run's first char, unless a space
    /// before it takes it along (<c> ?[^\s\p{L}\p{N}]+</c>).
    /// </summary>
    public static ulong PunctuationRunStarts(in AsciiClassMasks masks) => masks.Other & ~(masks.Other << 1) & ~(masks.Blank << 1);

    /// <summary>
    /// The contractions (<c>'s 't 're 've 'm 'll 'd</c>, any case with <paramref name="ignoreCase"/>) that open at
    /// <paramref name="candidates"/>, taken in order, as the mask of their apostrophes and letters; <paramref name="after"/>
    /// gets the bit just past each. cl100k's and GPT-2's patterns take one as a piece of its own wherever a piece starts
    /// at its apostrophe, so one may follow another (<paramref name="afterAnother"/>); o200k's attaches it to the word
    /// before, and a contraction's own last letter ends no word. Contractions read the text itself, so one near the
    /// window's end is decided like any other.
    /// </summary>
    public static ulong Contractions(ReadOnlySpan<byte> text, int start, ulong candidates, bool ignoreCase, bool afterAnother, out ulong after)
    {
        ulong taken = 0;
        after = 0;
        while (candidates != 0)
        {
            int at = BitOperations.TrailingZeroCount(candidates);
            candidates &= candidates - 1;
            if (!afterAnother && (taken & (1UL << (at - 1))) != 0)
            {
                continue;
            }

            int length = ScanPrimitives.ContractionLength(text, start + at, ignoreCase);
            if (length > 0)
            {
                taken |= ((1UL << length) - 1) << at;
                after |= at + length < 64 ? 1UL << (at + length) : 0;
            }
        }

        return taken;
    }

    /// <summary><c>\p{N}{1,3}</c> (<paramref name="maxDigits"/> 3) or <c>\p{N}</c> (1): a start at the first digit of a run and every third (or every) digit after it.</summary>
    public static ulong DigitGroupStarts(ulong digit, int maxDigits)
    {
        if (maxDigits == 1)
        {
            return digit;
        }

        ulong starts = digit & ~(digit << 1);
        ulong thirdInRun = digit & (digit << 1) & (digit << 2);
        while (true)
        {
            ulong more = starts | ((starts << 3) & thirdInRun);
            if (more == starts)
            {
                return starts;
            }

            starts = more;
        }
    }

    /// <summary>
    /// The starts of <paramref name="starts"/> that the window decides, start 0 left out: those up to the first char of
    /// the run (letters, digits, white space or the rest) that reaches the last classified byte. Where that run ends,
    /// and so what its pieces are, is not known; everything before it is.
    /// </summary>
    public static ulong Decided(ulong starts, in AsciiClassMasks masks)
    {
        ulong bit = 1UL << (masks.Valid - 1);
        ulong lastRun = (masks.Letter & bit) != 0 ? masks.Letter
            : (masks.Digit & bit) != 0 ? masks.Digit
            : (masks.Space & bit) != 0 ? masks.Space
            : masks.Other;
        ulong outside = ~lastRun & masks.ValidBits;
        int lastRunStart = outside == 0 ? 0 : 64 - BitOperations.LeadingZeroCount(outside);
        return starts & ((2UL << lastRunStart) - 1) & ~1UL;
    }

    /// <summary>The bits of <paramref name="run"/> reachable from a bit of <paramref name="from"/> going up through <paramref name="run"/>.</summary>
    public static ulong FillUp(ulong from, ulong run)
    {
        ulong reached = from, link = run & (run << 1);
        reached |= link & (reached << 1);
        link &= link << 1;
        reached |= link & (reached << 2);
        link &= link << 2;
        reached |= link & (reached << 4);
        link &= link << 4;
        reached |= link & (reached << 8);
        link &= link << 8;
        reached |= link & (reached << 16);
        link &= link << 16;
        return reached | (link & (reached << 32));
    }

    /// <summary>The bits of <paramref name="run"/> reachable from a bit of <paramref name="from"/> going down through <paramref name="run"/>.</summary>
    public static ulong FillDown(ulong from, ulong run)
    {
        ulong reached = from, link = run & (run >> 1);
        reached |= link & (reached >> 1);
        link &= link >> 1;
        reached |= link & (reached >> 2);
        link &= link >> 2;
        reached |= link & (reached >> 4);
        link &= link >> 4;
        reached |= link & (reached >> 8);
        link &= link >> 8;
        reached |= link & (reached >> 16);
        link &= link >> 16;
        return reached | (link & (reached >> 32));
    }
}
