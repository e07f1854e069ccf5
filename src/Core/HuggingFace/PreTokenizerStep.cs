namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>The pre-tokenizers the compiler supports. Stored in images: never renumber.</summary>
public enum PreTokenizerStepKind
{
    /// <summary>
    /// Hugging Face's ByteLevel: optionally a space before the text, optionally GPT-2's split pattern; the byte
    /// to character mapping itself is a property of the model (its symbols are bytes).
    /// </summary>
    ByteLevel = 1,

    /// <summary>Split on a string or regular expression with a <see cref="SplitBehavior"/>.</summary>
    Split = 2,

    /// <summary>Replaces spaces with a meta character (▁), optionally prepends it, optionally splits before it.</summary>
    Metaspace = 3,

    /// <summary>Splits into runs of word characters and runs of other non-space characters (<c>\w+|[^\w\s]+</c>).</summary>
    Whitespace = 4,

    /// <summary>Splits on whitespace, dropping it.</summary>
    WhitespaceSplit = 5,

    /// <summary>Isolates (or merges, per behaviour) each punctuation character.</summary>
    Punctuation = 6,

    /// <summary>Isolates digits, individually or as runs.</summary>
    Digits = 7,

    /// <summary>BERT's: whitespace split, then each punctuation character isolated.</summary>
    Bert = 8,
}

/// <summary>What a split does with the matched delimiters (Hugging Face's SplitDelimiterBehavior).</summary>
public enum SplitBehavior
{
    /// <summary>Delimiters are dropped.</summary>
    Removed = 0,

    /// <summary>Delimiters are pieces of their own.</summary>
    Isolated = 1,

    /// <summary>A delimiter joins the piece before it.</summary>
    MergedWithPrevious = 2,

    /// <summary>A delimiter joins the piece after it.</summary>
    MergedWithNext = 3,

    /// <summary>Consecutive delimiters form one piece.</summary>
    Contiguous = 4,
}

/// <summary>When Metaspace prepends its replacement character.</summary>
public enum PrependScheme
{
    /// <summary>Before every piece it sees.</summary>
    Always = 0,

    /// <summary>Never.</summary>
    Never = 1,

    /// <summary>Only before the first piece of the text.</summary>
    First = 2,
}

/// <summary>One step of a (flattened) pre-tokenizer sequence.</summary>
/// <param name="Kind">The pre-tokenizer.</param>
/// <param name="Pattern">Split: the string or regular expression; ByteLevel with regex: GPT-2's pattern.</param>
/// <param name="IsRegex">Split: whether <paramref name="Pattern"/> is a regular expression.</param>
/// <param name="Behavior">Split, Punctuation: what happens to delimiters.</param>
/// <param name="Invert">Split: whether the pattern matches the pieces rather than the delimiters.</param>
/// <param name="AddPrefixSpace">ByteLevel: whether a space is put before text that does not start with one.</param>
/// <param name="UseRegex">ByteLevel: whether GPT-2's pattern splits the text.</param>
/// <param name="Replacement">Metaspace: the meta character.</param>
/// <param name="Prepend">Metaspace: when the meta character is prepended.</param>
/// <param name="SplitOnReplacement">Metaspace: whether text is split before each meta character.</param>
/// <param name="IndividualDigits">Digits: whether each digit is its own piece.</param>
public sealed record PreTokenizerStep(
    PreTokenizerStepKind Kind,
    string Pattern = "",
    bool IsRegex = false,
    SplitBehavior Behavior = SplitBehavior.Isolated,
    bool Invert = false,
    bool AddPrefixSpace = false,
    bool UseRegex = false,
    string Replacement = "\u2581",
    PrependScheme Prepend = PrependScheme.Always,
    bool SplitOnReplacement = true,
    bool IndividualDigits = false);
