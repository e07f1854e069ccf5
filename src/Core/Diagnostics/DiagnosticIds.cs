namespace TokenizerCompiler.Core.Diagnostics;

/// <summary>
/// Every diagnostic id the compiler core can report. Ids are never renumbered; each has a page at
/// <c>docs/diagnostics/&lt;ID&gt;.md</c>.
/// </summary>
public static class DiagnosticIds
{
    /// <summary>The vocabulary file named by a declaration is not among the project's vocabulary items.</summary>
    public const string VocabularyFileNotFound = "TKC0001";

    /// <summary>The vocabulary file is malformed (syntax).</summary>
    public const string MalformedVocabulary = "TKC0002";

    /// <summary>Two entries claim the same token text or the same id.</summary>
    public const string DuplicateToken = "TKC0003";

    /// <summary>A merge refers to a token that is not in the vocabulary.</summary>
    public const string UnknownMergeToken = "TKC0004";

    /// <summary>A component of the tokenizer is not supported by the compiler.</summary>
    public const string UnsupportedComponent = "TKC0005";

    /// <summary>A special token was declared but is absent or conflicts with the vocabulary.</summary>
    public const string InvalidSpecialToken = "TKC0006";

    /// <summary>The split pattern is not one the compiler recognises; it runs through System.Text.RegularExpressions.</summary>
    public const string SlowPathPattern = "TKC0007";

    /// <summary>The vocabulary is empty.</summary>
    public const string EmptyVocabulary = "TKC0008";

    /// <summary>The declaration names an unknown pattern or an invalid option.</summary>
    public const string InvalidOption = "TKC0009";

    /// <summary>A token id is negative or too large.</summary>
    public const string TokenIdOutOfRange = "TKC0010";
}
