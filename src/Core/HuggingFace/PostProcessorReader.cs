using System.Collections.Generic;
using TokenizerCompiler.Core.Json;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Reads a tokenizer.json <c>post_processor</c> into the ids it puts around one encoded sequence when a caller asks
/// for special tokens: TemplateProcessing's <c>single</c> template, RobertaProcessing and BertProcessing
/// (<c>cls A sep</c>), ByteLevel (offsets only: no ids), and Sequences of these.
/// </summary>
internal static class PostProcessorReader
{
    public static void Read(JsonValue? value, string path, JsonReadContext context, List<int> prefix, List<int> suffix)
    {
        if (value is null || value.Kind == JsonKind.Null)
        {
            return;
        }

        string? type = context.TypeOf(value, path);
        switch (type)
        {
            case null:
            case "ByteLevel":
                return;
            case "Sequence":
                context.ForEachItem(value, "processors", path, (item, itemPath) => Read(item, itemPath, context, prefix, suffix));
                return;
            case "RobertaProcessing":
            case "BertProcessing":
                if (IdOf(value["cls"], path + ".cls", context) is int cls && IdOf(value["sep"], path + ".sep", context) is int sep)
                {
                    prefix.Add(cls);
                    suffix.Insert(0, sep);
                }

                return;
            case "TemplateProcessing":
                ReadTemplate(value, path, context, prefix, suffix);
                return;
            default:
                context.Unsupported(path + ".type", value["type"], $"post-processor '{type}'");
                return;
        }
    }

    private static void ReadTemplate(JsonValue value, string path, JsonReadContext context, List<int> prefix, List<int> suffix)
    {
        JsonValue? single = value["single"];
        if (single is not { Kind: JsonKind.Array })
        {
            context.Error(Diagnostics.DiagnosticIds.MalformedVocabulary, path + ".single", single ?? value, "expected an array");
            return;
        }

        bool afterSequence = false;
        for (int i = 0; i < single.Items.Count; i++)
        {
            JsonValue item = single.Items[i];
            string itemPath = JsonReadContext.Index(path + ".single", i);
            if (item["Sequence"] is not null)
            {
                afterSequence = true;
                continue;
            }

            string? name = item["SpecialToken"] is JsonValue special ? context.RequiredString(special, "id", itemPath + ".SpecialToken") : null;
            JsonValue? ids = name is null ? null : value["special_tokens"]?[name]?["ids"];
            if (ids is not { Kind: JsonKind.Array })
            {
                context.Error(Diagnostics.DiagnosticIds.InvalidSpecialToken, itemPath, item, "a template item must be a Sequence or a SpecialToken listed in special_tokens with its ids");
                return;
            }

            foreach (JsonValue id in ids.Items)
            {
                if (!JsonReadContext.TryInt(id, out int number))
                {
                    context.Error(Diagnostics.DiagnosticIds.TokenIdOutOfRange, itemPath, id, "expected a non-negative id");
                    return;
                }

                (afterSequence ? suffix : prefix).Add(number);
            }
        }
    }

    private static int? IdOf(JsonValue? pair, string path, JsonReadContext context)
    {
        if (pair is { Kind: JsonKind.Array, Items.Count: 2 } && JsonReadContext.TryInt(pair.Items[1], out int id))
        {
            return id;
        }

        context.Error(Diagnostics.DiagnosticIds.MalformedVocabulary, path, pair, "expected [\"token\", id]");
        return null;
    }
}
