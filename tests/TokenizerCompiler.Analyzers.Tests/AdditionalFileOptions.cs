using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TokenizerCompiler.Analyzers.Tests;

/// <summary>AdditionalFiles with per-file MSBuild metadata, as the compiler receives them from the generated .editorconfig.</summary>
internal static class AdditionalFileOptions
{
    public static AnalyzerOptions Create(params (string Path, string Text, string? TokenizerClass)[] files)
    {
        var texts = files.Select(f => (AdditionalText)new AnalyzerHarness.InMemoryAdditionalText(f.Path, f.Text)).ToImmutableArray();
        var metadata = files.Where(f => f.TokenizerClass is not null)
            .ToDictionary(f => f.Path, f => f.TokenizerClass!);
        return new AnalyzerOptions(texts, new Provider(metadata));
    }

    private sealed class Provider(Dictionary<string, string> tokenizerClasses) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(null);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Options(tokenizerClasses.TryGetValue(textFile.Path, out string? name) ? name : null);
    }

    private sealed class Options(string? tokenizerClass) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
        {
            value = key == ModelConfigAnalyzer.TokenizerClassMetadata ? tokenizerClass : null;
            return value is not null;
        }
    }
}
