namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>The normalizers the compiler supports. Stored in images: never renumber.</summary>
public enum NormalizerKind
{
    /// <summary>Unicode NFC.</summary>
    Nfc = 1,

    /// <summary>Unicode NFD.</summary>
    Nfd = 2,

    /// <summary>Unicode NFKC.</summary>
    Nfkc = 3,

    /// <summary>Unicode NFKD.</summary>
    Nfkd = 4,

    /// <summary>Lower-cases every character (Unicode, culture-invariant).</summary>
    Lowercase = 5,

    /// <summary>Removes leading and/or trailing whitespace.</summary>
    Strip = 6,

    /// <summary>Removes combining marks (Unicode category Mn).</summary>
    StripAccents = 7,

    /// <summary>Replaces every occurrence of a string (or regular expression) with a string.</summary>
    Replace = 8,

    /// <summary>Prepends a string to non-empty text.</summary>
    Prepend = 9,

    /// <summary>BertNormalizer's clean_text: drops NUL, U+FFFD and other (C*) characters but tab/CR/LF; whitespace becomes a space.</summary>
    BertCleanText = 10,

    /// <summary>BertNormalizer's handle_chinese_chars: a space on each side of every CJK ideograph.</summary>
    BertChineseChars = 11,

    /// <summary>BertNormalizer's strip_accents: NFD, then non-spacing marks (Mn) removed.</summary>
    BertStripAccents = 12,
}

/// <summary>One step of a (flattened) normalizer sequence.</summary>
/// <param name="Kind">The normalizer.</param>
/// <param name="Pattern">Replace: the string or regular expression to find.</param>
/// <param name="Content">Replace: the replacement; Prepend: the prefix.</param>
/// <param name="IsRegex">Replace: whether <paramref name="Pattern"/> is a regular expression.</param>
/// <param name="Left">Strip: strip the start.</param>
/// <param name="Right">Strip: strip the end.</param>
public sealed record NormalizerStep(NormalizerKind Kind, string Pattern = "", string Content = "", bool IsRegex = false, bool Left = false, bool Right = false);
