extern alias Gen;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TokenizerGenerator = Gen::TokenizerCompiler.Generator.TokenizerGenerator;

namespace TokenizerCompiler.Analyzers.Tests;

/// <summary>
/// Real consumer compilations: user code plus the real generator's output for real vocabularies, analysed with
/// <see cref="CompilationWithAnalyzers"/>. Each vocabulary's generated sources are made once and reused.
/// </summary>
internal static class AnalyzerHarness
{
    public const string Declarations = """
        using TokenizerCompiler;

        [Tokenizer("o200k_base.tiktoken")]
        public static partial class O200k;

        [Tokenizer("cl100k_base.tiktoken")]
        public static partial class Cl100k;
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly ConcurrentDictionary<string, Lazy<ImmutableArray<SyntaxTree>>> Generated = new();

    public static string RepositoryRoot { get; } = FindRoot();

    public static IReadOnlyList<MetadataReference> References { get; } = Net100.References.All.Concat(new[]
    {
        MetadataReference.CreateFromFile(typeof(Tokenizer).Assembly.Location),
        MetadataReference.CreateFromFile(Path.Combine(Path.GetDirectoryName(typeof(Tokenizer).Assembly.Location)!, "TokenizerCompiler.Core.dll")),
        MetadataReference.CreateFromFile(typeof(Microsoft.ML.Tokenizers.TiktokenTokenizer).Assembly.Location),
    }).ToList();

    public static AdditionalText Vocabulary(string encoding)
    {
        string path = Path.Combine(RepositoryRoot, "vocabularies", "tiktoken", encoding + ".tiktoken");
        return new InMemoryAdditionalText(path, File.ReadAllText(path));
    }

    /// <summary>The consumer's compilation: the O200k and Cl100k declarations, their generated classes, and <paramref name="sources"/>.</summary>
    public static Compilation Compile(params string[] sources)
    {
        IEnumerable<SyntaxTree> trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs"))
            .Prepend(CSharpSyntaxTree.ParseText(Declarations, ParseOptions, path: "Declarations.cs"))
            .Concat(GeneratedFor(Declarations, "o200k_base", "cl100k_base"));
        return Create(trees);
    }

    /// <summary>Runs the real generator over <paramref name="sources"/> with the named vocabularies as AdditionalFiles.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics) RunGenerator(IEnumerable<string> sources, params string[] encodings)
    {
        CSharpCompilation compilation = Create(sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new TokenizerGenerator().AsSourceGenerator() },
            encodings.Select(Vocabulary), ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics);
    }

    public static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, params DiagnosticAnalyzer[] analyzers) =>
        AnalyzeAsync(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), analyzers);

    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, AnalyzerOptions options, params DiagnosticAnalyzer[] analyzers)
    {
        ImmutableArray<DiagnosticAnalyzer> all = analyzers.Length > 0 ? analyzers.ToImmutableArray() : AllAnalyzers;
        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers(all, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics.OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(
        new UnknownSpecialTokenAnalyzer(), new TokenIdAnalyzer(), new HotPathAllocationAnalyzer(), new MigrationAnalyzer(), new ModelConfigAnalyzer());

    /// <summary>The source text a diagnostic points at.</summary>
    public static string At(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    public static void AssertCompiles(Compilation compilation)
    {
        Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new Xunit.Sdk.XunitException("does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        }
    }

    public static Assembly EmitAndLoad(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new Xunit.Sdk.XunitException("does not emit:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return Assembly.Load(stream.ToArray());
    }

    private static CSharpCompilation Create(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create("Consumer" + Guid.NewGuid().ToString("N"), trees, References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    private static ImmutableArray<SyntaxTree> GeneratedFor(string declarations, params string[] encodings) =>
        Generated.GetOrAdd(declarations + "|" + string.Join(",", encodings), _ => new Lazy<ImmutableArray<SyntaxTree>>(() =>
        {
            var (output, diagnostics) = RunGenerator(new[] { declarations }, encodings);
            if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                throw new InvalidOperationException("generator failed: " + string.Join("\n", diagnostics));
            }

            return output.SyntaxTrees.Skip(1).ToImmutableArray();
        })).Value;

    private static string FindRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "TokenizerCompiler.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>An additional file held in memory.</summary>
    internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
