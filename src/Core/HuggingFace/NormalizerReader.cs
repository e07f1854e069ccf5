using System.Collections.Generic;
using TokenizerCompiler.Core.Json;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>Reads a tokenizer.json <c>normalizer</c> into a flat list of steps (Sequence is flattened).</summary>
internal static class NormalizerReader
{
    public static void Read(JsonValue? value, string path, JsonReadContext context, List<NormalizerStep> steps)
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
                context.ForEachItem(value, "normalizers", path, (item, itemPath) => Read(item, itemPath, context, steps));
                return;
            case "NFC": steps.Add(new NormalizerStep(NormalizerKind.Nfc)); return;
            case "NFD": steps.Add(new NormalizerStep(NormalizerKind.Nfd)); return;
            case "NFKC": steps.Add(new NormalizerStep(NormalizerKind.Nfkc)); return;
            case "NFKD": steps.Add(new NormalizerStep(NormalizerKind.Nfkd)); return;
            case "Lowercase": steps.Add(new NormalizerStep(NormalizerKind.Lowercase)); return;
            case "StripAccents": steps.Add(new NormalizerStep(NormalizerKind.StripAccents)); return;
            case "Strip":
                steps.Add(new NormalizerStep(NormalizerKind.Strip,
                    Left: context.Bool(value, "strip_left", path, true), Right: context.Bool(value, "strip_right", path, true)));
                return;
            case "BertNormalizer":
                // Flattened into its steps, in BertNormalizer's order.
                bool lowercase = context.Bool(value, "lowercase", path, true);
                if (context.Bool(value, "clean_text", path, true))
                {
                    steps.Add(new NormalizerStep(NormalizerKind.BertCleanText));
                }

                if (context.Bool(value, "handle_chinese_chars", path, true))
                {
                    steps.Add(new NormalizerStep(NormalizerKind.BertChineseChars));
                }

                if (context.Bool(value, "strip_accents", path, lowercase))
                {
                    steps.Add(new NormalizerStep(NormalizerKind.BertStripAccents));
                }

                if (lowercase)
                {
                    steps.Add(new NormalizerStep(NormalizerKind.Lowercase));
                }

                return;
            case "Prepend":
                string? prefix = context.RequiredString(value, "prepend", path);
                if (prefix is not null)
                {
                    steps.Add(new NormalizerStep(NormalizerKind.Prepend, Content: prefix));
                }

                return;
            case "Replace":
                string? content = context.RequiredString(value, "content", path);
                if (context.Pattern(value, path, out string pattern, out bool isRegex) && content is not null)
                {
                    steps.Add(new NormalizerStep(NormalizerKind.Replace, pattern, content, isRegex));
                }

                return;
            default:
                context.Unsupported(path + ".type", value["type"], $"normalizer '{type}'");
                return;
        }
    }
}
