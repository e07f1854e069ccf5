using System;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// GPT-2's piece boundaries (r50k_base, p50k_base) in up to 64 bytes of ASCII at once, as <see cref="O200kWindow"/>
/// does o200k's. The pattern (<c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>) is
/// simpler than the others in ASCII:
/// <list type="bullet">
/// <item>Runs of letters, of digits and of punctuation are each one piece, with the space before them when there
/// is one (only a space: no other prefix).</item>
/// <item>A white-space run is one piece up to its last char, which starts a piece of its own (and joins the run
/// after it when it is a space); line breaks are nothing special.</item>
/// <item>A lowercase contraction is a piece of its own where a piece starts at its apostrophe; the letters it takes
/// start no word.</item>
/// </list>
/// </summary>
internal static class Gpt2Window
{
    /// <inheritdoc cref="O200kWindow.Starts"/>
    public static ulong Starts(ReadOnlySpan<byte> text, int start)
    {
        if (!WindowRules.TryClassify(text, start, out AsciiClassMasks masks))
        {
            return 0;
        }

        ulong letter = masks.Letter, digit = masks.Digit, space = masks.Space;
        ulong afterBlank = masks.Blank << 1;
        ulong punctuationStarts = WindowRules.PunctuationRunStarts(masks);
        ulong contraction = WindowRules.Contractions(
            text, start, punctuationStarts & masks.Apostrophe, ignoreCase: false, afterAnother: true, out ulong afterContraction);
        ulong runStarts = (((letter & ~(letter << 1) & ~contraction) | (digit & ~(digit << 1))) & ~afterBlank)
            | punctuationStarts | (afterContraction & letter);
        ulong spaceStarts = (space & ~(space << 1)) | (space & ~(space >> 1));
        return WindowRules.Decided(runStarts | spaceStarts, masks);
    }
}
