using System.Collections.Generic;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.Json;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.Core.Patterns;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Reads the GPT-2 style pair <c>vocab.json</c> + <c>merges.txt</c>, with added tokens from the
/// <c>tokenizer_config.json</c> beside them. The pipeline is GPT-2's: an optional normalizer, the ByteLevel
/// pre-tokenizer with GPT-2's pattern, byte-level BPE and the ByteLevel decoder.
/// </summary>
public static class Gpt2FilesReader
{
    /// <summary>The file that must sit beside a <c>vocab.json</c>.</summary>
    public const string MergesFileName = "merges.txt";

    /// <summary>The optional file beside a <c>vocab.json</c> that supplies added tokens.</summary>
    public const string ConfigFileName = "tokenizer_config.json";

    /// <summary>Parses the files; <see langword="null"/> after reporting errors.</summary>
    /// <param name="vocabPath">Path of vocab.json (for diagnostics).</param>
    /// <param name="vocabText">vocab.json's content.</param>
    /// <param name="mergesPath">Path of merges.txt.</param>
    /// <param name="mergesText">merges.txt's content.</param>
    /// <param name="configPath">Path of tokenizer_config.json.</param>
    /// <param name="configText">tokenizer_config.json's content, or <see langword="null"/> when there is none.</param>
    /// <param name="normalizer">A normalizer name (NFC, NFD, NFKC, NFKD, Lowercase) or <see langword="null"/>: the files do not record one.</param>
    /// <param name="diagnostics">Where problems go.</param>
    public static TokenizerDefinition? Read(string vocabPath, string vocabText, string mergesPath, string mergesText,
        string configPath, string? configText, string? normalizer, List<CompilerDiagnostic> diagnostics)
    {
        var vocabContext = new JsonReadContext(vocabPath, vocabText, diagnostics);
        JsonValue? vocabRoot = ParseJson(vocabPath, vocabText, diagnostics);
        if (vocabRoot is null)
        {
            return null;
        }

        var normalizers = new List<NormalizerStep>();
        if (normalizer is not null)
        {
            if (!TryNormalizer(normalizer, out NormalizerStep? step))
            {
                diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.InvalidOption, DiagnosticSeverityLevel.Error,
                    $"'{normalizer}' is not a normalizer name (NFC, NFD, NFKC, NFKD, Lowercase)", vocabPath, SourceSpan.FileStart));
                return null;
            }

            normalizers.Add(step!);
        }

        var vocabulary = new Dictionary<string, int>(System.StringComparer.Ordinal);
        if (vocabRoot.Kind != JsonKind.Object || vocabRoot.Members.Count == 0)
        {
            vocabContext.Error(DiagnosticIds.EmptyVocabulary, "$", vocabRoot, "expected a non-empty object of token → id");
            return null;
        }

        foreach (KeyValuePair<string, JsonValue> entry in vocabRoot.Members)
        {
            if (!JsonReadContext.TryInt(entry.Value, out int id) || id > 16_777_216 || vocabulary.ContainsKey(entry.Key))
            {
                vocabContext.Error(DiagnosticIds.MalformedVocabulary, "[\"" + entry.Key + "\"]", entry.Value, "expected a unique token with an id between 0 and 16777216");
                return null;
            }

            vocabulary[entry.Key] = id;
        }

        List<BpeVocabularyBuilder.MergeText>? merges = ReadMerges(mergesPath, mergesText, diagnostics);
        var added = new List<AddedToken>();
        var bosIds = new List<int>();
        var eosIds = new List<int>();
        bool addPrefixSpace = false;
        if (configText is not null)
        {
            var configContext = new JsonReadContext(configPath, configText, diagnostics);
            JsonValue? config = ParseJson(configPath, configText, diagnostics);
            if (config is null || ReadAddedTokens(config, configContext) is not List<AddedToken> fromConfig)
            {
                return null;
            }

            added = fromConfig;
            addPrefixSpace = configContext.Bool(config, "add_prefix_space", "$", false);
            AddIfAsked(config, "add_bos_token", "bos_token", added, bosIds, configContext);
            AddIfAsked(config, "add_eos_token", "eos_token", added, eosIds, configContext);
        }

        if (merges is null)
        {
            return null;
        }

        var preTokenizers = new List<PreTokenizerStep>
        {
            new(PreTokenizerStepKind.ByteLevel, KnownPatterns.Gpt2, IsRegex: true, AddPrefixSpace: addPrefixSpace, UseRegex: true),
        };
        var options = new BpeOptions(ByteLevel: true, UnknownId: -1, FuseUnknown: false, ByteFallback: false, IgnoreMerges: false,
            ContinuingSubwordPrefix: string.Empty, EndOfWordSuffix: string.Empty);
        DecoderReader decoder = DecoderReader.Read(ByteLevelDecoderJson.Value, "decoder", vocabContext);
        // Special tokens around a sequence come from tokenizer_config.json's add_bos_token / add_eos_token.
        var pipeline = new PipelineSpec(normalizers, preTokenizers, options, added, decoder.Spec, bosIds, eosIds);
        return BpeVocabularyBuilder.Build(vocabulary, merges, pipeline, decoder, new JsonReadContext(mergesPath, mergesText, diagnostics));
    }

    private static void AddIfAsked(JsonValue config, string flag, string tokenName, List<AddedToken> added, List<int> ids, JsonReadContext context)
    {
        string? content = context.Bool(config, flag, "$", false) ? context.OptionalString(config, tokenName, "$") : null;
        AddedToken? token = content is null ? null : added.Find(t => t.Content == content);
        if (token is not null)
        {
            ids.Add(token.Id);
        }
    }

    private static List<AddedToken>? ReadAddedTokens(JsonValue config, JsonReadContext context) =>
        config.Kind == JsonKind.Object ? TokenizerJsonReader.ReadAddedTokensDecoder(config, context) : null;

    private static bool TryNormalizer(string name, out NormalizerStep? step)
    {
        step = name.ToUpperInvariant() switch
        {
            "NFC" => new NormalizerStep(NormalizerKind.Nfc),
            "NFD" => new NormalizerStep(NormalizerKind.Nfd),
            "NFKC" => new NormalizerStep(NormalizerKind.Nfkc),
            "NFKD" => new NormalizerStep(NormalizerKind.Nfkd),
            "LOWERCASE" => new NormalizerStep(NormalizerKind.Lowercase),
            _ => null,
        };
        return step is not null;
    }

    private static JsonValue? ParseJson(string path, string text, List<CompilerDiagnostic> diagnostics)
    {
        try
        {
            return JsonParser.Parse(text);
        }
        catch (JsonSyntaxException e)
        {
            diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.MalformedVocabulary, DiagnosticSeverityLevel.Error,
                $"the file is not valid JSON: {e.Message}", path, new LineMap(text).SpanAt(e.Position, 1)));
            return null;
        }
    }

    private static List<BpeVocabularyBuilder.MergeText>? ReadMerges(string path, string text, List<CompilerDiagnostic> diagnostics)
    {
        var lines = new LineMap(text);
        var merges = new List<BpeVocabularyBuilder.MergeText>();
        int lineStart = 0;
        int lineNumber = 0;
        while (lineStart < text.Length)
        {
            int lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            string line = text.Substring(lineStart, lineEnd - lineStart).TrimEnd('\r');
            bool header = lineNumber == 0 && line.StartsWith("#version", System.StringComparison.Ordinal);
            if (line.Length > 0 && !header)
            {
                string[] parts = line.Split(' ');
                if (parts.Length != 2)
                {
                    diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.MalformedVocabulary, DiagnosticSeverityLevel.Error,
                        "a merges.txt line holds two tokens separated by one space", path, lines.SpanAt(lineStart, line.Length)));
                    return null;
                }

                // The merge's position is its line: MergeText carries a JSON value for tokenizer.json, so give none
                // and put the line into the path instead.
                merges.Add(new BpeVocabularyBuilder.MergeText(parts[0], parts[1], null, "line " + (lineNumber + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            lineStart = lineEnd + 1;
            lineNumber++;
        }

        return merges;
    }

    private static class ByteLevelDecoderJson
    {
        public static readonly JsonValue Value = JsonParser.Parse("{\"type\":\"ByteLevel\"}");
    }
}
