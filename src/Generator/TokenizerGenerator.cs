using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TokenizerCompiler.Core.Compilation;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.Core.Patterns;
using TokenizerCompiler.Core.Tables;
using TokenizerCompiler.Generator.Emit;
using TokenizerCompiler.Generator.Model;
using TokenizerCompiler.Generator.Parsing;

namespace TokenizerCompiler.Generator;

/// <summary>
/// Compiles the vocabulary named by each <c>[Tokenizer("file")]</c> declaration into tables embedded in the
/// assembly, and emits a typed class around them. Pipeline: declarations and vocabulary files (cheap, keyed
/// by content) → compile (expensive, cached while neither changes) → emit.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class TokenizerGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the expensive vocabulary compilation step (tests assert it stays cached).</summary>
    public const string CompileStepName = "CompileVocabulary";

    /// <summary>Tracking name of the step that reads vocabulary files.</summary>
    public const string ReadStepName = "ReadVocabularyFiles";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<TokenizerDeclaration> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(DeclarationParser.AttributeName,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                DeclarationParser.Parse)
            .Where(static d => d is not null)!;

        IncrementalValueProvider<ImmutableArray<VocabularyFile>> files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => IsVocabulary(pair.Left, pair.Right))
            .Select(static (pair, ct) => Read(pair.Left, ct))
            .Where(static f => f is not null)
            .WithTrackingName(ReadStepName)
            .Collect()!;

        IncrementalValuesProvider<CompiledTokenizer> compiled = declarations
            .Combine(files)
            .Select(static (pair, ct) => new CompileRequest(pair.Left, VocabularyMatcher.Find(pair.Right, pair.Left.VocabularyFile)))
            .Select(static (request, ct) => Compile(request))
            .WithTrackingName(CompileStepName);

        context.RegisterSourceOutput(compiled, static (spc, tokenizer) =>
        {
            foreach (DiagnosticInfo info in tokenizer.Diagnostics)
            {
                spc.ReportDiagnostic(DiagnosticMapper.ToDiagnostic(info));
            }

            if (tokenizer.HasTables)
            {
                string stem = tokenizer.Declaration.QualifiedName;
                spc.AddSource(stem + ".Tokenizer.g.cs", SourceText.From(TokenizerClassEmitter.Emit(tokenizer), System.Text.Encoding.UTF8));
                if (tokenizer.Image.Count > 0)
                {
                    spc.AddSource(stem + ".Image.g.cs", SourceText.From(ImageEmitter.Emit(tokenizer), System.Text.Encoding.UTF8));
                }
            }
        });
    }

    private static bool IsVocabulary(AdditionalText text, AnalyzerConfigOptionsProvider options)
    {
        if (text.Path.EndsWith(".tiktoken", StringComparison.OrdinalIgnoreCase)
            || text.Path.EndsWith(VocabularyFile.SummaryExtension, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return options.GetOptions(text).TryGetValue("build_metadata.AdditionalFiles.SourceItemType", out string? itemType)
            && (string.Equals(itemType, "TokenizerVocabulary", StringComparison.OrdinalIgnoreCase)
                || string.Equals(itemType, "TokenizerSummary", StringComparison.OrdinalIgnoreCase));
    }

    private static VocabularyFile? Read(AdditionalText text, System.Threading.CancellationToken cancellationToken)
    {
        string? content = text.GetText(cancellationToken)?.ToString();
        if (content is null)
        {
            return null;
        }

        ulong hash = TokenHash.Hash(System.Runtime.InteropServices.MemoryMarshal.AsBytes(content.AsSpan()));
        string matchPath = text.Path.EndsWith(VocabularyFile.SummaryExtension, StringComparison.OrdinalIgnoreCase)
            ? SummarySource(content) ?? text.Path
            : text.Path;
        return new VocabularyFile(text.Path, matchPath, content, hash);
    }

    /// <summary>The vocabulary path a summary describes (the summary's own parser; an unreadable one is reported later).</summary>
    private static string? SummarySource(string summary)
    {
        try
        {
            return CompilationSummary.Read(summary).SourcePath;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static CompiledTokenizer Compile(CompileRequest request)
    {
        TokenizerDeclaration declaration = request.Declaration;
        if (request.File is null)
        {
            var missing = new CompilerDiagnostic(DiagnosticIds.VocabularyFileNotFound, DiagnosticSeverityLevel.Error,
                $"the vocabulary file '{declaration.VocabularyFile}' is not in the project: add it as <TokenizerVocabulary Include=\"...\" />",
                declaration.VocabularyFile, SourceSpan.FileStart);
            return Failed(declaration, new DiagnosticInfo(missing, declaration.AttributeLocation));
        }

        if (request.File.IsSummary)
        {
            return FromSummary(declaration, request.File);
        }

        var options = new CompileOptions(VocabularyFormat.Auto, declaration.Pattern, declaration.Encoding);
        CompilationOutput output = VocabularyCompiler.Compile(request.File.Path, request.File.Text, options);

        var diagnostics = output.Diagnostics.Select(d => new DiagnosticInfo(d,
            d.Id == DiagnosticIds.InvalidOption ? declaration.AttributeLocation : null)).ToArray();
        if (output.Image is null || output.Definition is null)
        {
            return new CompiledTokenizer(declaration, default, 0, default, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        var specials = output.Definition.SpecialTokens.Select(s => new SpecialTokenInfo(s.Text, s.Id)).ToArray();
        return new CompiledTokenizer(declaration, new EquatableArray<byte>(output.Image), output.Definition.VocabularySize,
            new EquatableArray<SpecialTokenInfo>(specials), new EquatableArray<DiagnosticInfo>(diagnostics),
            UnusedIdRanges: new EquatableArray<int>(UnusedIdRanges.Find(output.Definition)));
    }

    /// <summary>The build step already compiled the vocabulary: check the declaration against it and wrap its resource.</summary>
    private static CompiledTokenizer FromSummary(TokenizerDeclaration declaration, VocabularyFile file)
    {
        CompilationSummary summary;
        try
        {
            summary = CompilationSummary.Read(file.Text);
        }
        catch (FormatException e)
        {
            var bad = new CompilerDiagnostic(DiagnosticIds.MalformedVocabulary, DiagnosticSeverityLevel.Error,
                $"the build step's summary is unreadable ({e.Message}); rebuild the project", file.Path, SourceSpan.FileStart);
            return Failed(declaration, new DiagnosticInfo(bad, null));
        }

        var diagnostics = summary.Diagnostics.Select(d => new DiagnosticInfo(d, null)).ToList();
        if (declaration.Pattern is not null && summary.Succeeded)
        {
            KnownPatterns.TryResolve(declaration.Pattern, out PreTokenizerSpec declared);
            if (declared.Kind != summary.PreTokenizer)
            {
                var mismatch = new CompilerDiagnostic(DiagnosticIds.InvalidOption, DiagnosticSeverityLevel.Error,
                    $"the declaration says Pattern = \"{declaration.Pattern}\" but '{summary.SourcePath}' was compiled with the {summary.PreTokenizer} pattern: put Pattern=\"{declaration.Pattern}\" on its <TokenizerVocabulary> item",
                    summary.SourcePath, SourceSpan.FileStart);
                diagnostics.Add(new DiagnosticInfo(mismatch, declaration.AttributeLocation));
            }
        }

        if (!summary.Succeeded || diagnostics.Any(d => d.Diagnostic.Severity == DiagnosticSeverityLevel.Error))
        {
            return new CompiledTokenizer(declaration, default, 0, default, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
        }

        var specials = summary.SpecialTokens.Select(s => new SpecialTokenInfo(s.Text, s.Id)).ToArray();
        return new CompiledTokenizer(declaration, default, summary.VocabularySize, new EquatableArray<SpecialTokenInfo>(specials),
            new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()), summary.ResourceName, new EquatableArray<int>(summary.UnusedIdRanges.ToArray()));
    }

    private static CompiledTokenizer Failed(TokenizerDeclaration declaration, DiagnosticInfo diagnostic) =>
        new(declaration, default, 0, default, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));

    private sealed record CompileRequest(TokenizerDeclaration Declaration, VocabularyFile? File);
}
