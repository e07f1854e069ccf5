using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Generator.Model;

namespace TokenizerCompiler.Generator;

/// <summary>The generator's diagnostic descriptors, and the mapping from the core's plain diagnostics to Roslyn's.</summary>
internal static class DiagnosticMapper
{
    private const string Category = "TokenizerCompiler.Vocabulary";

    private static readonly Dictionary<string, DiagnosticDescriptor> s_descriptors = new()
    {
        [DiagnosticIds.VocabularyFileNotFound] = Create(DiagnosticIds.VocabularyFileNotFound, "Vocabulary file not found", DiagnosticSeverity.Error),
        [DiagnosticIds.MalformedVocabulary] = Create(DiagnosticIds.MalformedVocabulary, "Malformed vocabulary", DiagnosticSeverity.Error),
        [DiagnosticIds.DuplicateToken] = Create(DiagnosticIds.DuplicateToken, "Duplicate token or id", DiagnosticSeverity.Error),
        [DiagnosticIds.UnknownMergeToken] = Create(DiagnosticIds.UnknownMergeToken, "Merge refers to an unknown token", DiagnosticSeverity.Error),
        [DiagnosticIds.UnsupportedComponent] = Create(DiagnosticIds.UnsupportedComponent, "Unsupported tokenizer component", DiagnosticSeverity.Error),
        [DiagnosticIds.InvalidSpecialToken] = Create(DiagnosticIds.InvalidSpecialToken, "Invalid special token", DiagnosticSeverity.Error),
        [DiagnosticIds.SlowPathPattern] = Create(DiagnosticIds.SlowPathPattern, "Split pattern runs on the slow path", DiagnosticSeverity.Info),
        [DiagnosticIds.EmptyVocabulary] = Create(DiagnosticIds.EmptyVocabulary, "Empty vocabulary", DiagnosticSeverity.Error),
        [DiagnosticIds.InvalidOption] = Create(DiagnosticIds.InvalidOption, "Invalid tokenizer option", DiagnosticSeverity.Error),
        [DiagnosticIds.TokenIdOutOfRange] = Create(DiagnosticIds.TokenIdOutOfRange, "Token id out of range", DiagnosticSeverity.Error),
    };

    /// <summary>All descriptors, for tests and release tracking.</summary>
    public static IEnumerable<DiagnosticDescriptor> All => s_descriptors.Values;

    public static Diagnostic ToDiagnostic(DiagnosticInfo info)
    {
        CompilerDiagnostic d = info.Diagnostic;
        DiagnosticDescriptor descriptor = s_descriptors.TryGetValue(d.Id, out DiagnosticDescriptor? known)
            ? known
            : s_descriptors[DiagnosticIds.MalformedVocabulary];
        Location location = info.DeclarationLocation?.ToLocation() ?? Location.Create(d.FilePath,
            new TextSpan(d.Span.Offset, d.Span.Length),
            new LinePositionSpan(new LinePosition(d.Span.Line, d.Span.Column), new LinePosition(d.Span.Line, d.Span.Column + d.Span.Length)));
        return Diagnostic.Create(descriptor, location, d.Message);
    }

    private static DiagnosticDescriptor Create(string id, string title, DiagnosticSeverity severity) =>
        new(id, title, "{0}", Category, severity, isEnabledByDefault: true,
            helpLinkUri: $"https://github.com/tokenizercompiler/tokenizercompiler/blob/main/docs/diagnostics/{id}.md");
}
