using System;
using System.Collections.Generic;
using System.Linq;

namespace TokenizerCompiler.Analyzers.Facts;

/// <summary>Levenshtein distance, to suggest the special tokens closest to a misspelt one.</summary>
internal static class EditDistance
{
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>Up to <paramref name="count"/> candidates nearest to <paramref name="text"/>, nearest first, ties in ordinal order.</summary>
    public static IReadOnlyList<string> Closest(string text, IEnumerable<string> candidates, int count) =>
        candidates.Distinct(StringComparer.Ordinal)
            .Select(c => (Text: c, Distance: Between(text, c)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Text, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Text)
            .ToList();
}
