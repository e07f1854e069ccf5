using System.Collections.Generic;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// DeepSeek V3's three Split steps (digits, CJK runs, then its own word pattern), which the run time scans by hand
/// as one step. Recognised by their exact text, as <see cref="Patterns.KnownPatterns"/> recognises single patterns.
/// </summary>
public static class DeepSeekSplits
{
    /// <summary>The first step: digits, three at a time.</summary>
    public const string Digits = "\\p{N}{1,3}";

    /// <summary>The second step: runs of CJK ideographs (U+4E00-U+9FA5) and kana (U+3040-U+30FF).</summary>
    public const string Cjk = "[\u4E00-\u9FA5\u3040-\u309F\u30A0-\u30FF]+";

    /// <summary>The third step: words, punctuation runs and whitespace.</summary>
    public const string Words =
        "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+";

    /// <summary>Whether <paramref name="steps"/> begin with the three steps, each an Isolated, not inverted regex Split.</summary>
    public static bool StartWith(IReadOnlyList<PreTokenizerStep> steps) =>
        steps.Count >= 3 && Is(steps[0], Digits) && Is(steps[1], Cjk) && Is(steps[2], Words);

    private static bool Is(PreTokenizerStep step, string pattern) =>
        step is { Kind: PreTokenizerStepKind.Split, IsRegex: true, Behavior: SplitBehavior.Isolated, Invert: false } && step.Pattern == pattern;
}
