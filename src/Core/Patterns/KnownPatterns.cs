using System;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.Patterns;

/// <summary>
/// The split patterns of real models that have specialised scanners at run time. A pattern is recognised by
/// its exact text, so a vocabulary that carries its own copy (e.g. a tokenizer.json Split) gets the fast path.
/// </summary>
public static class KnownPatterns
{
    /// <summary>GPT-2's pattern (tiktoken r50k_base and p50k_base).</summary>
    public const string Gpt2 =
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>tiktoken's cl100k_base pattern.</summary>
    public const string Cl100k =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Qwen 2/2.5/3's pattern: cl100k's, with one digit per piece.</summary>
    public const string Qwen =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>tiktoken's o200k_base pattern.</summary>
    public const string O200k =
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>
    /// Resolves a pattern given by name (<c>gpt2</c>, <c>r50k</c>, <c>p50k</c>, <c>cl100k</c>, <c>o200k</c>,
    /// with or without <c>_base</c>) or by its full text.
    /// </summary>
    /// <param name="nameOrPattern">A known name, or a regular expression.</param>
    /// <param name="spec">The resolved pre-tokenizer; the regex path for an unknown pattern.</param>
    /// <returns><see langword="true"/> when the value named or equals a known pattern.</returns>
    public static bool TryResolve(string nameOrPattern, out PreTokenizerSpec spec)
    {
        switch (Normalise(nameOrPattern))
        {
            case "gpt2":
            case "r50k":
            case "p50k":
            case "p50kedit":
                spec = new PreTokenizerSpec(PreTokenizerKind.Gpt2, Gpt2);
                return true;
            case "cl100k":
                spec = new PreTokenizerSpec(PreTokenizerKind.Cl100k, Cl100k);
                return true;
            case "o200k":
                spec = new PreTokenizerSpec(PreTokenizerKind.O200k, O200k);
                return true;
            case "qwen":
                spec = new PreTokenizerSpec(PreTokenizerKind.Qwen, Qwen);
                return true;
        }

        spec = FromPattern(nameOrPattern);
        return spec.Kind != PreTokenizerKind.Regex;
    }

    /// <summary>Recognises a pattern by its exact text; an unknown one gets the regex path.</summary>
    public static PreTokenizerSpec FromPattern(string pattern)
    {
        if (string.Equals(pattern, Gpt2, StringComparison.Ordinal))
        {
            return new PreTokenizerSpec(PreTokenizerKind.Gpt2, Gpt2);
        }

        if (string.Equals(pattern, Cl100k, StringComparison.Ordinal))
        {
            return new PreTokenizerSpec(PreTokenizerKind.Cl100k, Cl100k);
        }

        if (string.Equals(pattern, O200k, StringComparison.Ordinal))
        {
            return new PreTokenizerSpec(PreTokenizerKind.O200k, O200k);
        }

        if (string.Equals(pattern, Qwen, StringComparison.Ordinal))
        {
            return new PreTokenizerSpec(PreTokenizerKind.Qwen, Qwen);
        }

        return new PreTokenizerSpec(PreTokenizerKind.Regex, pattern);
    }

    /// <summary>Whether <paramref name="value"/> looks like a pattern name rather than a regular expression.</summary>
    public static bool IsName(string value)
    {
        foreach (char c in value)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return value.Length > 0;
    }

    private static string Normalise(string name)
    {
        string lower = name.Trim().ToLowerInvariant().Replace("-", string.Empty).Replace("_", string.Empty);
        return lower.EndsWith("base", StringComparison.Ordinal) ? lower.Substring(0, lower.Length - 4) : lower;
    }
}
