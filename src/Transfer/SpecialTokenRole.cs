using System;

namespace TokenizerCompiler.Transfer;

/// <summary>The role of a special token, by which special tokens are matched across vocabularies (their texts differ).</summary>
public enum SpecialTokenRole
{
    /// <summary>No role this library maps (e.g. fill-in-the-middle markers): such tokens get fallback rows.</summary>
    None = 0,

    /// <summary>Beginning of sequence.</summary>
    BeginOfSequence,

    /// <summary>End of sequence (also end of text).</summary>
    EndOfSequence,

    /// <summary>Padding.</summary>
    Padding,

    /// <summary>Unknown token.</summary>
    Unknown,
}

/// <summary>Classifies special-token texts into roles.</summary>
public static class SpecialTokenRoles
{
    /// <summary>
    /// The role of a special token with text <paramref name="text"/>, from the common spellings: <c>&lt;s&gt;</c>,
    /// <c>[CLS]</c>, <c>&lt;|begin_of_text|&gt;</c>, <c>&lt;|startoftext|&gt;</c>, <c>&lt;bos&gt;</c> (bos);
    /// <c>&lt;/s&gt;</c>, <c>[SEP]</c>, <c>&lt;|endoftext|&gt;</c>, <c>&lt;|end_of_text|&gt;</c>, <c>&lt;eos&gt;</c> (eos);
    /// <c>&lt;pad&gt;</c>, <c>[PAD]</c>, <c>&lt;|pad|&gt;</c> (pad); <c>&lt;unk&gt;</c>, <c>[UNK]</c> (unk).
    /// </summary>
    public static SpecialTokenRole Classify(ReadOnlySpan<char> text)
    {
        // Strip the bracket decorations, then compare the bare name case-insensitively.
        ReadOnlySpan<char> name = text.Trim().Trim("<>[]|").Trim();
        if (name.Equals("s", StringComparison.OrdinalIgnoreCase) || Is(name, "bos") || Is(name, "cls")
            || Is(name, "begin_of_text") || Is(name, "startoftext") || Is(name, "start_of_text") || Is(name, "begin_of_sentence"))
        {
            return SpecialTokenRole.BeginOfSequence;
        }

        if (name.Equals("/s", StringComparison.OrdinalIgnoreCase) || Is(name, "eos") || Is(name, "sep")
            || Is(name, "endoftext") || Is(name, "end_of_text") || Is(name, "end_of_sentence"))
        {
            return SpecialTokenRole.EndOfSequence;
        }

        if (Is(name, "pad") || Is(name, "padding"))
        {
            return SpecialTokenRole.Padding;
        }

        if (Is(name, "unk") || Is(name, "unknown"))
        {
            return SpecialTokenRole.Unknown;
        }

        return SpecialTokenRole.None;
    }

    private static bool Is(ReadOnlySpan<char> name, string expected) => name.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
