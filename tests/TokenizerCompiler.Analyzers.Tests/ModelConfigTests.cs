using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace TokenizerCompiler.Analyzers.Tests;

public class ModelConfigTests
{
    private const string ChatMLTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}";

    private static async Task<Diagnostic[]> Analyze(params (string Path, string Text, string? TokenizerClass)[] files) =>
        (await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(), AdditionalFileOptions.Create(files), new ModelConfigAnalyzer())).ToArray();

    private static string At(Diagnostic diagnostic, string text) => text.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);

    [Fact]
    public void ConfigFilesAreLinkedByMetadataThatThePackageMakesVisible()
    {
        string props = System.IO.File.ReadAllText(System.IO.Path.Combine(AnalyzerHarness.RepositoryRoot, "src", "Runtime", "buildTransitive", "TokenizerCompiler.props"));
        Assert.Contains("<CompilerVisibleItemMetadata Include=\"AdditionalFiles\" MetadataName=\"TokenizerClass\" />", props);
    }

    [Fact]
    public async Task SmallVocabSizeAndNonSpecialIdsInConfigJsonAreReportedInTheFile()
    {
        const string config = """
            {
              "architectures": ["LlamaForCausalLM"],
              "vocab_size": 100256,
              "bos_token_id": 100257,
              "eos_token_id": [100257, 100265],
              "pad_token_id": 220
            }
            """;
        Diagnostic[] diagnostics = await Analyze(("/models/m/config.json", config, "Cl100k"));

        Assert.Equal(new[] { "100256", "100265", "220" }, diagnostics.Select(d => At(d, config)));
        Assert.All(diagnostics, d => Assert.Equal(("TKC1006", DiagnosticSeverity.Warning), (d.Id, d.Severity)));
        Assert.Equal("/models/m/config.json", diagnostics[0].Location.GetLineSpan().Path);
        Assert.Equal(2, diagnostics[0].Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal("'vocab_size' in config.json is 100256, smaller than the 100277 ids of Cl100k: ids from 100256 up index past the embedding table",
            diagnostics[0].GetMessage());
        Assert.Equal("'eos_token_id' in config.json is 100265, which names an unused slot of Cl100k", diagnostics[1].GetMessage());
        Assert.StartsWith("'pad_token_id' in config.json is 220, which is not a special token of Cl100k (its special tokens: <|endoftext|> = 100257, ",
            diagnostics[2].GetMessage());
    }

    [Fact]
    public async Task ChatTemplateAndSpecialTokenStringsMissingFromTheVocabularyAreReported()
    {
        string tokenizerConfig = $$"""
            {
              "eos_token": { "content": "<|im_end|>", "special": true },
              "bos_token": "<|endoftext|>",
              "chat_template": "{{ChatMLTemplate}}"
            }
            """;
        Diagnostic[] diagnostics = await Analyze(("/models/m/tokenizer_config.json", tokenizerConfig, "O200k"));

        Assert.Equal(2, diagnostics.Length);
        Assert.Equal("\"<|im_end|>\"", At(diagnostics[0], tokenizerConfig));
        Assert.Equal("'chat_template' in tokenizer_config.json uses '<|im_start|>', '<|im_end|>', which are not special tokens of O200k: the template's text would be encoded as ordinary text",
            diagnostics[1].GetMessage());
    }

    [Fact]
    public async Task MatchingPaddedAndUnlinkedConfigurationsAreNotReported()
    {
        const string config = """{ "vocab_size": 100352, "bos_token_id": 100257, "eos_token_id": [100257, 100276] }""";
        const string generation = """{ "eos_token_id": 199999, "pad_token_id": 199999 }""";
        const string tokenizerConfig = """{ "eos_token": "<|endoftext|>", "chat_template": "{{ '<|fim_prefix|>' + prefix + '<|fim_suffix|>' + suffix + '<|fim_middle|>' }}" }""";
        const string unlinked = """{ "vocab_size": 5 }""";

        Assert.Empty(await Analyze(
            ("/a/config.json", config, "Cl100k"),
            ("/a/generation_config.json", generation, "O200k"),
            ("/a/tokenizer_config.json", tokenizerConfig, "Cl100k"),
            ("/b/config.json", unlinked, null),
            ("/a/notes.json", unlinked, "Cl100k")));
    }

    [Fact]
    public async Task AClassNameThatIsNoCompiledTokenizerIsReported()
    {
        Diagnostic diagnostic = Assert.Single(await Analyze(("/a/config.json", """{ "vocab_size": 5 }""", "Gpt4Tokenizer")));
        Assert.Equal("'TokenizerClass' in config.json names 'Gpt4Tokenizer', which is no compiled tokenizer class ([Tokenizer] declaration) of this project",
            diagnostic.GetMessage());
    }
}
