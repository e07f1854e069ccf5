using System.Collections.Generic;
using System.Globalization;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.Json;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c>. Every component the compiler cannot reproduce exactly is an
/// error diagnostic naming its JSON path, never a silently different tokenization.
/// </summary>
public static class TokenizerJsonReader
{
    /// <summary>Parses and validates <paramref name="text"/>; <see langword="null"/> after reporting errors.</summary>
    public static TokenizerDefinition? Read(string filePath, string text, List<CompilerDiagnostic> diagnostics)
    {
        var context = new JsonReadContext(filePath, text, diagnostics);
        JsonValue root;
        try
        {
            root = JsonParser.Parse(text);
        }
        catch (JsonSyntaxException e)
        {
            diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.MalformedVocabulary, DiagnosticSeverityLevel.Error,
                $"the file is not valid JSON: {e.Message}", filePath, new LineMap(text).SpanAt(e.Position, 1)));
            return null;
        }

        if (root.Kind != JsonKind.Object)
        {
            context.Error(DiagnosticIds.MalformedVocabulary, "$", root, "a tokenizer.json holds one object");
            return null;
        }

        JsonValue? model = root["model"];
        if (model is not { Kind: JsonKind.Object })
        {
            context.Error(DiagnosticIds.MalformedVocabulary, "model", model ?? root, "missing model object");
            return null;
        }

        string? type = model["type"] is { Kind: JsonKind.String } typeValue ? typeValue.Text : (model["merges"] is not null ? "BPE" : null);
        if (type is not ("BPE" or "Unigram" or "WordPiece" or "WordLevel"))
        {
            context.Unsupported("model.type", model["type"] ?? model, $"model '{type ?? "(untyped)"}'");
            return null;
        }

        var normalizers = new List<NormalizerStep>();
        NormalizerReader.Read(root["normalizer"], "normalizer", context, normalizers);
        var preTokenizers = new List<PreTokenizerStep>();
        PreTokenizerReader.Read(root["pre_tokenizer"], "pre_tokenizer", context, preTokenizers);
        DecoderReader decoder = DecoderReader.Read(root["decoder"], "decoder", context);
        if (type != "BPE")
        {
            var otherPrefix = new List<int>();
            var otherSuffix = new List<int>();
            PostProcessorReader.Read(root["post_processor"], "post_processor", context, otherPrefix, otherSuffix);
            List<AddedToken>? otherAdded = ReadAddedTokens(root["added_tokens"], context);
            return otherAdded is null || context.HasErrors
                ? null
                : WordModelReader.Read(type!, model, normalizers, preTokenizers, otherAdded, decoder, otherPrefix, otherSuffix, context);
        }

        var prefix = new List<int>();
        var suffix = new List<int>();
        PostProcessorReader.Read(root["post_processor"], "post_processor", context, prefix, suffix);
        Dictionary<string, int>? vocabulary = ReadVocabulary(model, context);
        List<BpeVocabularyBuilder.MergeText>? merges = ReadMerges(model, context);
        List<AddedToken>? added = ReadAddedTokens(root["added_tokens"], context);
        if (vocabulary is null || merges is null || added is null || context.HasErrors)
        {
            return null;
        }

        BpeOptions? options = ReadOptions(model, vocabulary, preTokenizers, context);
        if (options is null)
        {
            return null;
        }

        var pipeline = new PipelineSpec(normalizers, preTokenizers, options, added, decoder.Spec, prefix, suffix);
        return BpeVocabularyBuilder.Build(vocabulary, merges, pipeline, decoder, context);
    }

    private static BpeOptions? ReadOptions(JsonValue model, Dictionary<string, int> vocabulary, List<PreTokenizerStep> preTokenizers, JsonReadContext context)
    {
        if (model["dropout"] is { Kind: JsonKind.Number } dropout && double.Parse(dropout.Text!, CultureInfo.InvariantCulture) > 0)
        {
            context.Unsupported("model.dropout", dropout, "BPE dropout (random merges)");
            return null;
        }

        int unknownId = -1;
        string? unknown = context.OptionalString(model, "unk_token", "model");
        if (unknown is not null && !vocabulary.TryGetValue(unknown, out unknownId))
        {
            context.Error(DiagnosticIds.InvalidSpecialToken, "model.unk_token", model["unk_token"], $"the unknown token '{unknown}' is not in the vocabulary");
            return null;
        }

        bool byteLevel = preTokenizers.Exists(step => step.Kind == PreTokenizerStepKind.ByteLevel);
        return new BpeOptions(byteLevel, unknownId,
            context.Bool(model, "fuse_unk", "model", false),
            context.Bool(model, "byte_fallback", "model", false),
            context.Bool(model, "ignore_merges", "model", false),
            context.OptionalString(model, "continuing_subword_prefix", "model") ?? string.Empty,
            context.OptionalString(model, "end_of_word_suffix", "model") ?? string.Empty);
    }

    private static Dictionary<string, int>? ReadVocabulary(JsonValue model, JsonReadContext context)
    {
        JsonValue? vocab = model["vocab"];
        if (vocab is not { Kind: JsonKind.Object })
        {
            context.Error(DiagnosticIds.MalformedVocabulary, "model.vocab", vocab ?? model, "expected an object of token → id");
            return null;
        }

        if (vocab.Members.Count == 0)
        {
            context.Error(DiagnosticIds.EmptyVocabulary, "model.vocab", vocab, "the vocabulary is empty");
            return null;
        }

        var result = new Dictionary<string, int>(vocab.Members.Count, System.StringComparer.Ordinal);
        var owners = new Dictionary<int, string>(vocab.Members.Count);
        foreach (KeyValuePair<string, JsonValue> entry in vocab.Members)
        {
            string path = "model.vocab[\"" + entry.Key + "\"]";
            if (!JsonReadContext.TryInt(entry.Value, out int id) || id > 16_777_216)
            {
                context.Error(DiagnosticIds.TokenIdOutOfRange, path, entry.Value, "expected an id between 0 and 16777216");
                continue;
            }

            if (result.ContainsKey(entry.Key))
            {
                context.Error(DiagnosticIds.DuplicateToken, path, entry.Value, $"token '{entry.Key}' appears twice");
                continue;
            }

            if (owners.TryGetValue(id, out string? owner))
            {
                context.Error(DiagnosticIds.DuplicateToken, path, entry.Value, $"id {id} is also the id of '{owner}'");
                continue;
            }

            owners[id] = entry.Key;
            result[entry.Key] = id;
        }

        return context.HasErrors ? null : result;
    }

    private static List<BpeVocabularyBuilder.MergeText>? ReadMerges(JsonValue model, JsonReadContext context)
    {
        JsonValue? merges = model["merges"];
        var result = new List<BpeVocabularyBuilder.MergeText>();
        if (merges is null || merges.Kind == JsonKind.Null)
        {
            return result;
        }

        if (merges.Kind != JsonKind.Array)
        {
            context.Error(DiagnosticIds.MalformedVocabulary, "model.merges", merges, "expected an array");
            return null;
        }

        for (int i = 0; i < merges.Items.Count; i++)
        {
            JsonValue item = merges.Items[i];
            string path = JsonReadContext.Index("model.merges", i);
            if (item.Kind == JsonKind.String)
            {
                string[] parts = item.Text!.Split(' ');
                if (parts.Length == 2)
                {
                    result.Add(new BpeVocabularyBuilder.MergeText(parts[0], parts[1], item, path));
                    continue;
                }
            }
            else if (item is { Kind: JsonKind.Array, Items.Count: 2 } && item.Items[0].Kind == JsonKind.String && item.Items[1].Kind == JsonKind.String)
            {
                result.Add(new BpeVocabularyBuilder.MergeText(item.Items[0].Text!, item.Items[1].Text!, item, path));
                continue;
            }

            context.Error(DiagnosticIds.MalformedVocabulary, path, item, "expected \"left right\" or [\"left\", \"right\"]");
            return null;
        }

        return result;
    }

    private static List<AddedToken>? ReadAddedTokens(JsonValue? value, JsonReadContext context)
    {
        var result = new List<AddedToken>();
        if (value is null || value.Kind == JsonKind.Null)
        {
            return result;
        }

        if (value.Kind != JsonKind.Array)
        {
            context.Error(DiagnosticIds.MalformedVocabulary, "added_tokens", value, "expected an array");
            return null;
        }

        var seen = new HashSet<int>();
        for (int i = 0; i < value.Items.Count; i++)
        {
            JsonValue item = value.Items[i];
            string path = JsonReadContext.Index("added_tokens", i);
            if (item.Kind != JsonKind.Object || item["id"] is not JsonValue idValue || !JsonReadContext.TryInt(idValue, out int id))
            {
                context.Error(DiagnosticIds.MalformedVocabulary, path, item, "expected an object with a non-negative integer id");
                return null;
            }

            string? content = context.RequiredString(item, "content", path);
            if (content is null)
            {
                return null;
            }

            if (content.Length == 0 || !seen.Add(id))
            {
                context.Error(DiagnosticIds.InvalidSpecialToken, path, item, content.Length == 0 ? "an added token needs content" : $"id {id} is added twice");
                return null;
            }

            bool special = context.Bool(item, "special", path, false);
            result.Add(new AddedToken(id, content, special, context.Bool(item, "normalized", path, !special),
                context.Bool(item, "lstrip", path, false), context.Bool(item, "rstrip", path, false), context.Bool(item, "single_word", path, false)));
        }

        return result;
    }

    /// <summary>Reads a tokenizer_config.json's <c>added_tokens_decoder</c> (for vocab.json + merges.txt vocabularies).</summary>
    internal static List<AddedToken>? ReadAddedTokensDecoder(JsonValue config, JsonReadContext context)
    {
        var result = new List<AddedToken>();
        JsonValue? decoder = config["added_tokens_decoder"];
        if (decoder is null || decoder.Kind == JsonKind.Null)
        {
            return result;
        }

        if (decoder.Kind != JsonKind.Object)
        {
            context.Error(DiagnosticIds.MalformedVocabulary, "added_tokens_decoder", decoder, "expected an object of id → token");
            return null;
        }

        foreach (KeyValuePair<string, JsonValue> entry in decoder.Members)
        {
            string path = "added_tokens_decoder[\"" + entry.Key + "\"]";
            if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || entry.Value.Kind != JsonKind.Object)
            {
                context.Error(DiagnosticIds.MalformedVocabulary, path, entry.Value, "expected a numeric id and an object");
                return null;
            }

            string? content = context.RequiredString(entry.Value, "content", path);
            if (content is null)
            {
                return null;
            }

            bool special = context.Bool(entry.Value, "special", path, false);
            result.Add(new AddedToken(id, content, special, context.Bool(entry.Value, "normalized", path, !special),
                context.Bool(entry.Value, "lstrip", path, false), context.Bool(entry.Value, "rstrip", path, false),
                context.Bool(entry.Value, "single_word", path, false)));
        }

        return result;
    }
}
