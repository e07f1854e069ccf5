using System.Collections.Generic;
using System.Text;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.Json;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Turns a BPE vocabulary (token string → id), its merges (string pairs in priority order) and a pipeline into
/// a <see cref="TokenizerDefinition"/>: token strings become the bytes the model works on, merges become id
/// triples, and every id gets its decoded bytes. Shared by tokenizer.json and vocab.json + merges.txt.
/// </summary>
internal static class BpeVocabularyBuilder
{
    /// <summary>A merge as written, with where it was written for diagnostics.</summary>
    public readonly record struct MergeText(string Left, string Right, JsonValue? At, string Path);

    public static TokenizerDefinition? Build(
        Dictionary<string, int> vocabulary,
        IReadOnlyList<MergeText> merges,
        PipelineSpec pipeline,
        DecoderReader decoder,
        JsonReadContext context,
        IReadOnlyList<double>? scores = null)
    {
        BpeOptions options = pipeline.Model;
        int size = 0;
        foreach (int id in vocabulary.Values)
        {
            size = System.Math.Max(size, id + 1);
        }

        var tokenStrings = new string?[size];
        var tokens = new byte[]?[size];
        foreach (KeyValuePair<string, int> entry in vocabulary)
        {
            tokenStrings[entry.Value] = entry.Key;

            // In a byte-level model a token outside GPT-2's alphabet can never be formed from bytes: it stays out of
            // the lookup tables (an added token with that text is still matched by its content).
            tokens[entry.Value] = options.ByteLevel ? ByteLevelAlphabet.BytesOf(entry.Key) : Encoding.UTF8.GetBytes(entry.Key);
        }

        List<MergeRule>? rules = BuildMerges(vocabulary, merges, options.ContinuingSubwordPrefix, context);
        if (rules is null)
        {
            return null;
        }

        int total = size;
        foreach (AddedToken added in pipeline.AddedTokens)
        {
            total = System.Math.Max(total, added.Id + 1);
        }

        var decoded = new byte[]?[total];
        for (int id = 0; id < size; id++)
        {
            if (tokenStrings[id] is string text)
            {
                decoded[id] = decoder.Decode(text);
            }
        }

        foreach (AddedToken added in pipeline.AddedTokens)
        {
            decoded[added.Id] = decoder.Decode(added.Content);
        }

        return new TokenizerDefinition(tokens, rules, pipeline, decoded, scores);
    }

    private static List<MergeRule>? BuildMerges(Dictionary<string, int> vocabulary, IReadOnlyList<MergeText> merges, string prefix,
        JsonReadContext context)
    {
        // Hugging Face collects merges into a map keyed by the pair: a repeated pair keeps its last position.
        var positions = new Dictionary<long, int>();
        var rules = new MergeRule[merges.Count];
        var keep = new bool[merges.Count];
        int errors = 0;
        for (int i = 0; i < merges.Count; i++)
        {
            MergeText merge = merges[i];
            string right = prefix.Length > 0 && merge.Right.StartsWith(prefix, System.StringComparison.Ordinal)
                ? merge.Right.Substring(prefix.Length)
                : merge.Right;
            if (!vocabulary.TryGetValue(merge.Left, out int leftId) || !vocabulary.TryGetValue(merge.Right, out int rightId)
                || !vocabulary.TryGetValue(merge.Left + right, out int resultId))
            {
                string missing = !vocabulary.ContainsKey(merge.Left) ? merge.Left : !vocabulary.ContainsKey(merge.Right) ? merge.Right : merge.Left + right;
                if (errors++ < 20)
                {
                    context.Error(DiagnosticIds.UnknownMergeToken, merge.Path, merge.At, $"merge '{merge.Left} {merge.Right}' refers to '{missing}', which is not in the vocabulary");
                }

                continue;
            }

            long key = ((long)leftId << 32) | (uint)rightId;
            if (positions.TryGetValue(key, out int earlier))
            {
                keep[earlier] = false;
            }

            positions[key] = i;
            rules[i] = new MergeRule(leftId, rightId, resultId);
            keep[i] = true;
        }

        if (errors > 0)
        {
            return null;
        }

        var kept = new List<MergeRule>(merges.Count);
        for (int i = 0; i < rules.Length; i++)
        {
            if (keep[i])
            {
                kept.Add(rules[i]);
            }
        }

        return kept;
    }
}
