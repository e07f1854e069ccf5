using System;

namespace TokenizerCompiler.Internal;

/// <summary>
/// Byte-pair merging of a short word (up to <see cref="RankRow.Width"/> symbols) in the merge loop's order (lowest
/// rank, leftmost on ties) without moving anything: each part is known by the position it starts at (its id, and the
/// result and rank of its merge with the next part, kept there) and linked to the parts either side, so a merge
/// rewrites a few entries (a part that is absorbed leaves a rank no merge can beat), and the lowest rank is found over
/// the whole row (<see cref="IRankRow"/>). The loop before moved the parts after each merge in three arrays (three
/// memmove calls) and searched the ranks with a loop: a mebibyte of words never seen took 41-54 ms through o200k
/// (now 33-44) and 92-97 through Llama 3 (now 71-76).
/// </summary>
internal static class LinkedMerge
{
    /// <summary>
    /// Merges the <paramref name="count"/> symbol ids at the start of <paramref name="ids"/> by <paramref name="rules"/>
    /// (positions given to it are symbol positions) and leaves the result's ids at the start; returns how many.
    /// </summary>
    public static int Merge<TRules>(ref TRules rules, Span<int> ids, int count)
        where TRules : IMergeRules, allows ref struct =>
        RankRow.Vectorized
            ? Merge<TRules, VectorRankRow>(ref rules, ids, count)
            : Merge<TRules, ScalarRankRow>(ref rules, ids, count);

    private static int Merge<TRules, TRow>(ref TRules rules, Span<int> ids, int count)
        where TRules : IMergeRules, allows ref struct
        where TRow : struct, IRankRow
    {
        // Inline arrays rather than stackalloc: no stack-overrun cookie to set and check on every call.
        Row<int> resultRow = default;
        Row<sbyte> nextRow = default, previousRow = default;
        Span<int> results = resultRow;
        Span<sbyte> next = nextRow;
        Span<sbyte> previous = previousRow;
        TRow ranks = default;
        ranks.Clear();
        for (int i = 0; i < count; i++)
        {
            next[i] = (sbyte)(i + 1);
            previous[i] = (sbyte)(i - 1);
        }

        for (int i = 0; i < count - 1; i++)
        {
            ranks.Set(i, Candidate(ref rules, ids[i], ids[i + 1], i, i + 2, out results[i]));
        }

        while (true)
        {
            int best = ranks.Lowest(out int bestRank);
            if (bestRank == int.MaxValue)
            {
                break;
            }

            // The part at best absorbs the one after it (there is one: its rank is a merge's).
            int right = next[best];
            int after = next[right];
            ids[best] = results[best];
            next[best] = (sbyte)after;
            ranks.Set(right, int.MaxValue);
            int rank = int.MaxValue;
            if (after < count)
            {
                previous[after] = (sbyte)best;
                rank = Candidate(ref rules, ids[best], ids[after], best, next[after], out results[best]);
            }

            ranks.Set(best, rank);
            if (best > 0)
            {
                int before = previous[best];
                ranks.Set(before, Candidate(ref rules, ids[before], ids[best], before, after, out results[before]));
            }
        }

        // Each part's id sits at its start, never before the slot it moves to.
        int parts = 0;
        for (int start = 0; start < count; start = next[start])
        {
            ids[parts++] = ids[start];
        }

        return parts;
    }

    /// <summary>The rank of merging the parts <paramref name="left"/> and <paramref name="right"/> (<see cref="int.MaxValue"/> when they do not), and what they become.</summary>
    private static int Candidate<TRules>(ref TRules rules, int left, int right, int start, int end, out int result)
        where TRules : IMergeRules, allows ref struct
    {
        result = rules.Merge(left, right, start, end, out int rank);
        return result >= 0 ? rank : int.MaxValue;
    }

    /// <summary>A row of <see cref="RankRow.Width"/> values on the stack.</summary>
    [System.Runtime.CompilerServices.InlineArray(RankRow.Width)]
    private struct Row<T>
    {
        private T _first;
    }
}
