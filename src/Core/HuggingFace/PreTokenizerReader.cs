using System.Collections.Generic;
using TokenizerCompiler.Core.Json;
using TokenizerCompiler.Core.Patterns;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>Reads a tokenizer.json <c>pre_tokenizer</c> into a flat list of steps (Sequence is flattened).</summary>
internal static class PreTokenizerReader
{
    public static void Read(JsonValue? value, string path, JsonReadContext context, List<PreTokenizerStep> steps)
    {
        var slowSplits = new List<(int Step, string Path, JsonValue? Pattern)>();
        ReadStep(value, path, context, steps, slowSplits);

        // DeepSeek V3's three splits are scanned by hand together: not the slow path.
        bool deepSeek = DeepSeekSplits.StartWith(steps);
        foreach ((int step, string patternPath, JsonValue? pattern) in slowSplits)
        {
            if (!(deepSeek && step < 3))
            {
                context.Info(Diagnostics.DiagnosticIds.SlowPathPattern, patternPath, pattern,
                    "the split pattern is not one of the recognised model patterns (GPT-2, Llama 3 / cl100k, GPT-4o / o200k, Qwen, DeepSeek V3); it runs through System.Text.RegularExpressions (the slow path)");
            }
        }
    }

    private static void ReadStep(JsonValue? value, string path, JsonReadContext context, List<PreTokenizerStep> steps, List<(int Step, string Path, JsonValue? Pattern)> slowSplits)
    {
        if (value is null || value.Kind == JsonKind.Null)
        {
            return;
        }

        string? type = context.TypeOf(value, path);
        switch (type)
        {
            case null:
                return;
            case "Sequence":
                context.ForEachItem(value, "pretokenizers", path, (item, itemPath) => ReadStep(item, itemPath, context, steps, slowSplits));
                return;
            case "ByteLevel":
                bool useRegex = context.Bool(value, "use_regex", path, true);
                steps.Add(new PreTokenizerStep(PreTokenizerStepKind.ByteLevel, useRegex ? KnownPatterns.Gpt2 : string.Empty, IsRegex: useRegex,
                    AddPrefixSpace: context.Bool(value, "add_prefix_space", path, true), UseRegex: useRegex));
                return;
            case "Split":
                if (context.Pattern(value, path, out string pattern, out bool isRegex)
                    && Behavior(value, path, context, out SplitBehavior behavior))
                {
                    if (isRegex && KnownPatterns.FromPattern(pattern).Kind == Model.PreTokenizerKind.Regex)
                    {
                        slowSplits.Add((steps.Count, path + ".pattern", value["pattern"]));
                    }

                    steps.Add(new PreTokenizerStep(PreTokenizerStepKind.Split, pattern, isRegex, behavior, context.Bool(value, "invert", path, false)));
                }

                return;
            case "Metaspace":
                ReadMetaspace(value, path, context, steps);
                return;
            case "Whitespace":
                steps.Add(new PreTokenizerStep(PreTokenizerStepKind.Whitespace));
                return;
            case "WhitespaceSplit":
                steps.Add(new PreTokenizerStep(PreTokenizerStepKind.WhitespaceSplit));
                return;
            case "BertPreTokenizer":
                steps.Add(new PreTokenizerStep(PreTokenizerStepKind.Bert));
                return;
            case "Punctuation":
                if (value["behavior"] is null)
                {
                    steps.Add(new PreTokenizerStep(PreTokenizerStepKind.Punctuation));
                }
                else if (Behavior(value, path, context, out SplitBehavior punctuation))
                {
                    steps.Add(new PreTokenizerStep(PreTokenizerStepKind.Punctuation, Behavior: punctuation));
                }

                return;
            case "Digits":
                steps.Add(new PreTokenizerStep(PreTokenizerStepKind.Digits, IndividualDigits: context.Bool(value, "individual_digits", path, false)));
                return;
            default:
                context.Unsupported(path + ".type", value["type"], $"pre-tokenizer '{type}'");
                return;
        }
    }

    private static void ReadMetaspace(JsonValue value, string path, JsonReadContext context, List<PreTokenizerStep> steps)
    {
        string replacement = context.OptionalString(value, "replacement", path) ?? "\u2581";
        if (replacement.Length == 0)
        {
            context.Error(Diagnostics.DiagnosticIds.MalformedVocabulary, path + ".replacement", value, "the replacement must not be empty");
            return;
        }

        PrependScheme scheme;
        string? schemeText = context.OptionalString(value, "prepend_scheme", path);
        switch (schemeText)
        {
            case null:
                scheme = context.Bool(value, "add_prefix_space", path, true) ? PrependScheme.Always : PrependScheme.Never;
                break;
            case "always": scheme = PrependScheme.Always; break;
            case "never": scheme = PrependScheme.Never; break;
            case "first": scheme = PrependScheme.First; break;
            default:
                context.Unsupported(path + ".prepend_scheme", value["prepend_scheme"], $"prepend_scheme '{schemeText}'");
                return;
        }

        steps.Add(new PreTokenizerStep(PreTokenizerStepKind.Metaspace, Replacement: replacement, Prepend: scheme,
            SplitOnReplacement: context.Bool(value, "split", path, true)));
    }

    private static bool Behavior(JsonValue value, string path, JsonReadContext context, out SplitBehavior behavior)
    {
        string? text = context.RequiredString(value, "behavior", path);
        switch (text)
        {
            case "Removed": behavior = SplitBehavior.Removed; return true;
            case "Isolated": behavior = SplitBehavior.Isolated; return true;
            case "MergedWithPrevious": behavior = SplitBehavior.MergedWithPrevious; return true;
            case "MergedWithNext": behavior = SplitBehavior.MergedWithNext; return true;
            case "Contiguous": behavior = SplitBehavior.Contiguous; return true;
            default:
                behavior = SplitBehavior.Isolated;
                if (text is not null)
                {
                    context.Unsupported(path + ".behavior", value["behavior"], $"split behaviour '{text}'");
                }

                return false;
        }
    }
}
