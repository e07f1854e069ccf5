using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenizerCompiler.Analyzers.Facts;

namespace TokenizerCompiler.Analyzers;

/// <summary>
/// TKC1005: a vocabulary loaded at run time although it is known at compile time: <c>Tokenizer.FromVocabularyFile</c>
/// with a constant path, Microsoft.ML.Tokenizers' <c>TiktokenTokenizer.CreateForModel("gpt-4o")</c> /
/// <c>CreateForEncoding("o200k_base")</c>. The diagnostic carries what the code fix declares.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MigrationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property: the vocabulary file the <c>[Tokenizer]</c> declaration names.</summary>
    public const string VocabularyFileProperty = "VocabularyFile";

    /// <summary>Property: the name of the class to declare.</summary>
    public const string ClassNameProperty = "ClassName";

    private const string MLTiktokenTypeName = "Microsoft.ML.Tokenizers.TiktokenTokenizer";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.MigrateToCompiledTokenizer);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (!method.IsStatic || invocation.Arguments.Length == 0)
        {
            return;
        }

        string? constant = TokenizerApi.Unwrap(invocation.Arguments[0])?.ConstantValue.Value as string;
        if (constant is null)
        {
            return;
        }

        string? file = null;
        string caller = method.ContainingType.Name + "." + method.Name;
        if (method.Name == "FromVocabularyFile" && TokenizerApi.IsTokenizerMethod(method)
            && invocation.Arguments.Skip(1).All(a => a.ArgumentKind == ArgumentKind.DefaultValue))
        {
            file = FileName(constant);
        }
        else if (method.ContainingType.ToDisplayString() == MLTiktokenTypeName
            && invocation.Arguments.Skip(1).All(a => a.ArgumentKind == ArgumentKind.DefaultValue))
        {
            string? encoding = method.Name switch
            {
                "CreateForModel" => KnownTiktokenModels.EncodingOfModel(constant),
                "CreateForEncoding" => KnownTiktokenModels.Encoding(constant),
                _ => null,
            };
            file = encoding is null ? null : encoding + ".tiktoken";
        }

        if (file is null || file.Length == 0)
        {
            return;
        }

        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty
            .Add(VocabularyFileProperty, file)
            .Add(ClassNameProperty, ClassName(file));
        context.ReportDiagnostic(Diagnostic.Create(Rules.MigrateToCompiledTokenizer, invocation.Syntax.GetLocation(), properties, caller, constant, file));
    }

    private static string FileName(string path) => path.Substring(path.LastIndexOfAny(new[] { '/', '\\' }) + 1);

    /// <summary>A PascalCase class name from the file's stem: <c>o200k_base.tiktoken</c> → <c>O200kBase</c>.</summary>
    internal static string ClassName(string file)
    {
        int dot = file.IndexOf('.');
        string stem = dot > 0 ? file.Substring(0, dot) : file;
        var builder = new StringBuilder();
        bool upper = true;
        foreach (char c in stem)
        {
            if (c < 128 && char.IsLetterOrDigit(c))
            {
                builder.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, "Vocabulary");
        }

        return builder.ToString();
    }
}
