using System.Collections.Generic;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.Json;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Reads the non-BPE models of a tokenizer.json: Unigram (vocabulary of [piece, score] pairs, <c>unk_id</c>,
/// <c>byte_fallback</c>), WordPiece (<c>unk_token</c>, <c>continuing_subword_prefix</c>, <c>max_input_chars_per_word</c>)
/// and WordLevel (<c>unk_token</c>). Their tokens are character strings, stored as UTF-8, without merges.
/// </summary>
internal static class WordModelReader
{
    public static TokenizerDefinition? Read(string type, JsonValue model, List<NormalizerStep> normalizers, List<PreTokenizerStep> preTokenizers,
        List<AddedToken> added, DecoderReader decoder, List<int> prefix, List<int> suffix, JsonReadContext context)
    {
        if (preTokenizers.Exists(step => step.Kind == PreTokenizerStepKind.ByteLevel))
        {
            context.Unsupported("pre_tokenizer", null, $"a ByteLevel pre-tokenizer with a {type} model");
            return null;
        }

        var vocabulary = new Dictionary<string, int>(System.StringComparer.Ordinal);
        List<double>? scores = null;
        BpeOptions options;
        if (type == "Unigram")
        {
            scores = ReadUnigramVocabulary(model, vocabulary, context);
            if (scores is null)
            {
                return null;
            }

            int unknownId = model["unk_id"] is JsonValue unk && unk.Kind != JsonKind.Null
                ? (JsonReadContext.TryInt(unk, out int id) && id < scores.Count ? id : Invalid(context, "model.unk_id", unk))
                : -1;
            options = new BpeOptions(false, unknownId, FuseUnknown: true, context.Bool(model, "byte_fallback", "model", false), false,
                string.Empty, string.Empty, WordModelKind.Unigram);
        }
        else
        {
            if (!ReadVocabulary(model, vocabulary, context))
            {
                return null;
            }

            string? unknown = context.OptionalString(model, "unk_token", "model");
            int unknownId = -1;
            if (unknown is not null && !vocabulary.TryGetValue(unknown, out unknownId))
            {
                context.Error(DiagnosticIds.InvalidSpecialToken, "model.unk_token", model["unk_token"], $"the unknown token '{unknown}' is not in the vocabulary");
                return null;
            }

            options = type == "WordPiece"
                ? new BpeOptions(false, unknownId, false, false, false, context.OptionalString(model, "continuing_subword_prefix", "model") ?? "##",
                    string.Empty, WordModelKind.WordPiece, context.Int(model, "max_input_chars_per_word", "model", 100))
                : new BpeOptions(false, unknownId, false, false, false, string.Empty, string.Empty, WordModelKind.WordLevel);
        }

        if (context.HasErrors)
        {
            return null;
        }

        var pipeline = new PipelineSpec(normalizers, preTokenizers, options, added, decoder.Spec, prefix, suffix);
        return BpeVocabularyBuilder.Build(vocabulary, new List<BpeVocabularyBuilder.MergeText>(), pipeline, decoder, context, scores);
    }

    private static int Invalid(JsonReadContext context, string path, JsonValue at)
    {
        context.Error(DiagnosticIds.TokenIdOutOfRange, path, at, "expected the id of a piece of the vocabulary");
        return -1;
    }

    private static List<double>? ReadUnigramVocabulary(JsonValue model, Dictionary<string, int> vocabulary, JsonReadContext context)
    {
        JsonValue? vocab = model["vocab"];
        if (vocab is not { Kind: JsonKind.Array } || vocab.Items.Count == 0)
        {
            context.Error(DiagnosticIds.MalformedVocabulary, "model.vocab", vocab ?? model, "expected a non-empty array of [piece, score]");
            return null;
        }

        var scores = new List<double>(vocab.Items.Count);
        for (int id = 0; id < vocab.Items.Count; id++)
        {
            JsonValue entry = vocab.Items[id];
            string path = JsonReadContext.Index("model.vocab", id);
            if (entry is not { Kind: JsonKind.Array, Items.Count: 2 } || entry.Items[0].Kind != JsonKind.String || entry.Items[1].Kind != JsonKind.Number)
            {
                context.Error(DiagnosticIds.MalformedVocabulary, path, entry, "expected [piece, score]");
                return null;
            }

            double score = SerdeJsonDouble.Parse(entry.Items[1].Text!);

            string piece = entry.Items[0].Text!;
            if (vocabulary.ContainsKey(piece))
            {
                context.Error(DiagnosticIds.DuplicateToken, path, entry, $"piece '{piece}' appears twice");
                return null;
            }

            vocabulary[piece] = id;
            scores.Add(score);
        }

        return scores;
    }

    private static bool ReadVocabulary(JsonValue model, Dictionary<string, int> vocabulary, JsonReadContext context)
    {
        JsonValue? vocab = model["vocab"];
        if (vocab is not { Kind: JsonKind.Object } || vocab.Members.Count == 0)
        {
            context.Error(DiagnosticIds.MalformedVocabulary, "model.vocab", vocab ?? model, "expected a non-empty object of token → id");
            return false;
        }

        var owners = new HashSet<int>();
        foreach (KeyValuePair<string, JsonValue> entry in vocab.Members)
        {
            string path = "model.vocab[\"" + entry.Key + "\"]";
            if (!JsonReadContext.TryInt(entry.Value, out int id) || id > 16_777_216 || !owners.Add(id) || vocabulary.ContainsKey(entry.Key))
            {
                context.Error(DiagnosticIds.DuplicateToken, path, entry.Value, "expected a unique token with a unique id between 0 and 16777216");
                return false;
            }

            vocabulary[entry.Key] = id;
        }

        return true;
    }
}
