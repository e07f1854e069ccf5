using System;
using System.Collections.Generic;
using System.Linq;
using TokenizerCompiler.Dynamic;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Dynamic tokenization the obvious way, to check the incremental merger against: every step recounts every
/// adjacent pair of every sequence from scratch, picks the most frequent valid one (ties: smaller left id,
/// then smaller right id) and rewrites each sequence left to right. Slow, and simple enough to trust.
/// </summary>
internal static class NaiveDynamicReference
{
    public sealed record Result(List<(int Left, int Right, int Count)> Merges, List<List<int>> Sequences, List<byte[]> NewTokenBytes);

    public static Result Run(Tokenizer tokenizer, IReadOnlyList<int[]> batch, DynamicTokenizationOptions options)
    {
        var sequences = batch.Select(s => s.ToList()).ToList();
        var merges = new List<(int, int, int)>();
        var newBytes = new List<byte[]>();
        byte[] Bytes(int id) => id < tokenizer.VocabularySize ? tokenizer.GetTokenBytes(id).ToArray() : newBytes[id - tokenizer.VocabularySize];

        while (merges.Count < options.MaxMerges)
        {
            if (options.TargetTokenCount > 0 && sequences.Sum(s => (long)s.Count) <= options.TargetTokenCount)
            {
                break;
            }

            var counts = new Dictionary<(int, int), int>();
            foreach (List<int> sequence in sequences)
            {
                for (int i = 0; i + 1 < sequence.Count; i++)
                {
                    var pair = (sequence[i], sequence[i + 1]);
                    counts[pair] = counts.GetValueOrDefault(pair) + 1;
                }
            }

            var valid = counts.Where(c => DynamicMergeRules.IsValidMerge(tokenizer, Bytes(c.Key.Item1).Concat(Bytes(c.Key.Item2)).ToArray(), options.Boundary)).ToList();
            if (valid.Count == 0)
            {
                break;
            }

            var best = valid.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Item1).ThenBy(c => c.Key.Item2).First();
            if (best.Value < options.MinimumFrequency)
            {
                break;
            }

            int newId = tokenizer.VocabularySize + merges.Count;
            merges.Add((best.Key.Item1, best.Key.Item2, best.Value));
            newBytes.Add(Bytes(best.Key.Item1).Concat(Bytes(best.Key.Item2)).ToArray());
            for (int s = 0; s < sequences.Count; s++)
            {
                var rewritten = new List<int>(sequences[s].Count);
                for (int i = 0; i < sequences[s].Count; i++)
                {
                    if (i + 1 < sequences[s].Count && sequences[s][i] == best.Key.Item1 && sequences[s][i + 1] == best.Key.Item2)
                    {
                        rewritten.Add(newId);
                        i++;
                    }
                    else
                    {
                        rewritten.Add(sequences[s][i]);
                    }
                }

                sequences[s] = rewritten;
            }
        }

        return new Result(merges, sequences, newBytes);
    }
}
