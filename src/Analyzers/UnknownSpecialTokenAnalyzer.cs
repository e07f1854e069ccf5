using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenizerCompiler.Analyzers.Facts;

namespace TokenizerCompiler.Analyzers;

/// <summary>
/// TKC1001: a constant text looked up as a special token (<c>TryGetSpecialTokenId("&lt;|im_start|&gt;", out id)</c>) on a
/// compiled tokenizer that has no such special token; the message names the closest ones by edit distance.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnknownSpecialTokenAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property holding the nearest existing special token, for the code fix.</summary>
    public const string ClosestProperty = "Closest";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.UnknownSpecialToken);

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
        if (invocation.TargetMethod.Name != "TryGetSpecialTokenId" || !TokenizerApi.IsTokenizerMethod(invocation.TargetMethod))
        {
            return;
        }

        IArgumentOperation? textArgument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "text");
        IOperation? text = TokenizerApi.Unwrap(textArgument);
        if (text is null || !text.ConstantValue.HasValue || text.ConstantValue.Value is not string value)
        {
            return;
        }

        TokenizerFacts? facts = TokenizerApi.Resolve(invocation.Instance);
        if (facts is null || facts.SpecialTokenTexts.Contains(value))
        {
            return;
        }

        IReadOnlyList<string> closest = EditDistance.Closest(value, facts.SpecialTokenTexts, 3);
        string suggestion = closest.Count == 0
            ? " (it has no special tokens)"
            : "; did you mean " + string.Join(", ", closest.Select(c => "'" + c + "'")) + "?";
        ImmutableDictionary<string, string?> properties = closest.Count == 0
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(ClosestProperty, closest[0]);
        context.ReportDiagnostic(Diagnostic.Create(Rules.UnknownSpecialToken, text.Syntax.GetLocation(), properties, value, facts.DisplayName, suggestion));
    }
}
