using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TokenizerCompiler.Analyzers.Facts;
using TokenizerCompiler.Core.Json;

namespace TokenizerCompiler.Analyzers;

/// <summary>
/// TKC1006: a Hugging Face model's <c>config.json</c>, <c>generation_config.json</c> or <c>tokenizer_config.json</c>, added
/// as an AdditionalFile with <c>TokenizerClass="O200k"</c> metadata, that does not fit that compiled tokenizer: a
/// <c>vocab_size</c> smaller than the vocabulary, bos/eos/pad ids or tokens that are not its special tokens, chat-template
/// special tokens it lacks.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelConfigAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The item metadata (made compiler-visible by the package's props) naming the tokenizer class.</summary>
    public const string TokenizerClassMetadata = "build_metadata.AdditionalFiles.TokenizerClass";

    private static readonly string[] IdKeys = { "bos_token_id", "eos_token_id", "pad_token_id", "decoder_start_token_id" };

    private static readonly string[] TokenKeys = { "bos_token", "eos_token", "pad_token", "unk_token" };

    // The special-token spelling of tiktoken and ChatML (<|im_start|>, <|eot_id|>, ...): what a template can name that the vocabulary must have.
    private static readonly Regex TemplateToken = new(@"<\|[A-Za-z0-9_\-.:]{1,64}\|>", RegexOptions.CultureInvariant);

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.ModelConfigMismatch);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterAdditionalFileAction(Analyze);
    }

    private static void Analyze(AdditionalFileAnalysisContext context)
    {
        string path = context.AdditionalFile.Path;
        string name = path.Substring(path.LastIndexOfAny(new[] { '/', '\\' }) + 1);
        bool isModelConfig = name is "config.json" or "generation_config.json";
        if ((!isModelConfig && name != "tokenizer_config.json")
            || !context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.AdditionalFile).TryGetValue(TokenizerClassMetadata, out string? className)
            || string.IsNullOrWhiteSpace(className))
        {
            return;
        }

        SourceText? text = context.AdditionalFile.GetText(context.CancellationToken);
        if (text is null || TryParse(text.ToString()) is not { Kind: JsonKind.Object } root)
        {
            return;
        }

        var report = new Reporter(context, path, name, text);
        TokenizerFacts? facts = Find(context.Compilation, className.Trim());
        if (facts is null)
        {
            report.At(new TextSpan(0, 0), "TokenizerClass", $"names '{className}', which is no compiled tokenizer class ([Tokenizer] declaration) of this project");
            return;
        }

        if (isModelConfig)
        {
            CheckModelConfig(report, root, facts);
        }
        else
        {
            CheckTokenizerConfig(report, root, facts);
        }
    }

    private static JsonValue? TryParse(string text)
    {
        try
        {
            return JsonParser.Parse(text);
        }
        catch (JsonSyntaxException)
        {
            // A file that is not JSON is the model's problem, not a tokenizer mismatch: nothing to report.
            return null;
        }
    }

    private static TextSpan SpanOf(JsonValue value) => new(value.Position, value.Length);

    private static void CheckModelConfig(Reporter report, JsonValue root, TokenizerFacts facts)
    {
        if (root["vocab_size"] is JsonValue size && size.TryGetInt32(out int vocabularySize) && vocabularySize < facts.VocabularySize)
        {
            report.At(SpanOf(root["vocab_size"]!), "vocab_size",
                $"is {vocabularySize}, smaller than the {facts.VocabularySize} ids of {facts.DisplayName}: ids from {vocabularySize} up index past the embedding table");
        }

        foreach (string key in IdKeys)
        {
            JsonValue? value = root[key];
            IEnumerable<JsonValue> ids = value?.Kind == JsonKind.Array ? value.Items : value is null ? Enumerable.Empty<JsonValue>() : new[] { value };
            foreach (JsonValue idValue in ids)
            {
                if (!idValue.TryGetInt32(out int id))
                {
                    continue;
                }

                string? problem = facts.Problem(id);
                if (problem is not null)
                {
                    report.At(SpanOf(idValue), key, $"is {id}, which {problem} of {facts.DisplayName}");
                }
                else if (!facts.SpecialTokenIds.Contains(id))
                {
                    report.At(SpanOf(idValue), key, $"is {id}, which is not a special token of {facts.DisplayName} ({Specials(facts)})");
                }
            }
        }
    }

    private static void CheckTokenizerConfig(Reporter report, JsonValue root, TokenizerFacts facts)
    {
        foreach (string key in TokenKeys)
        {
            JsonValue? value = root[key];
            JsonValue? content = value?.Kind == JsonKind.Object ? value["content"] : value;
            if (content is { Kind: JsonKind.String, Text: { } token } && !facts.SpecialTokenTexts.Contains(token))
            {
                report.At(SpanOf(content), key, $"is '{token}', which is not a special token of {facts.DisplayName} ({Specials(facts)})");
            }
        }

        JsonValue? template = root["chat_template"];
        IEnumerable<JsonValue> templates = template?.Kind == JsonKind.Array
            ? template.Items.Select(t => t["template"]).OfType<JsonValue>()
            : template is null ? Enumerable.Empty<JsonValue>() : new[] { template };
        foreach (JsonValue value in templates)
        {
            if (value.Kind != JsonKind.String || value.Text is null)
            {
                continue;
            }

            string[] missing = TemplateToken.Matches(value.Text).Cast<Match>().Select(m => m.Value)
                .Where(t => !facts.SpecialTokenTexts.Contains(t)).Distinct().ToArray();
            if (missing.Length > 0)
            {
                report.At(SpanOf(value), "chat_template",
                    $"uses {string.Join(", ", missing.Select(m => "'" + m + "'"))}, which {(missing.Length == 1 ? "is not a special token" : "are not special tokens")} of {facts.DisplayName}: the template's text would be encoded as ordinary text");
            }
        }
    }

    private static string Specials(TokenizerFacts facts) => facts.SpecialTokenTexts.Length == 0
        ? "it has none"
        : "its special tokens: " + string.Join(", ", facts.SpecialTokenTexts.Zip(facts.SpecialTokenIds, (t, i) => $"{t} = {i}"));

    /// <summary>The compiled tokenizer class named by metadata: a metadata name (<c>App.O200k</c>) or a simple name found once.</summary>
    private static TokenizerFacts? Find(Compilation compilation, string className)
    {
        if (TokenizerFacts.From(compilation.GetTypeByMetadataName(className)) is { } exact)
        {
            return exact;
        }

        TokenizerFacts?[] candidates = compilation.GetSymbolsWithName(className, SymbolFilter.Type).OfType<INamedTypeSymbol>()
            .Select(TokenizerFacts.From).Where(f => f is not null).ToArray();
        return candidates.Length == 1 ? candidates[0] : null;
    }

    private sealed class Reporter(AdditionalFileAnalysisContext context, string path, string fileName, SourceText text)
    {
        public void At(TextSpan span, string key, string problem) =>
            context.ReportDiagnostic(Diagnostic.Create(Rules.ModelConfigMismatch,
                Location.Create(path, span, text.Lines.GetLinePositionSpan(span)), key, fileName, problem));
    }
}
