using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenizerCompiler.Analyzers.Facts;

namespace TokenizerCompiler.Analyzers;

/// <summary>
/// TKC1004: a tokenizer overload that returns a new array or string (<c>EncodeToIds(string)</c>, <c>Decode</c>,
/// <c>DecodeToBytes</c>, <c>EncodeBatch</c>) called inside a loop body or in a <c>[TokenizerHotPath]</c> member.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HotPathAllocationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The attribute that marks a hot member.</summary>
    public const string HotPathAttributeName = "TokenizerCompiler.TokenizerHotPathAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.HotPathAllocation);

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
        if (!TokenizerApi.IsTokenizerMethod(method) || method.IsStatic || AllocationOf(method.ReturnType) is not { } allocation)
        {
            return;
        }

        string? where = IsInLoopBody(invocation) ? "inside a loop"
            : IsHotMember(context.ContainingSymbol) ? "in a [TokenizerHotPath] member"
            : null;
        if (where is not null)
        {
            string signature = method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
            context.ReportDiagnostic(Diagnostic.Create(Rules.HotPathAllocation, invocation.Syntax.GetLocation(), signature, allocation, where));
        }
    }

    private static string? AllocationOf(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => "a new " + array.ToDisplayString(),
        { SpecialType: SpecialType.System_String } => "a new string",
        _ => null,
    };

    /// <summary>Whether the call runs once per iteration: inside a loop's body or condition, not its collection or initialiser, and not in a lambda.</summary>
    private static bool IsInLoopBody(IOperation operation)
    {
        IOperation current = operation;
        for (IOperation? parent = operation.Parent; parent is not null; current = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IForEachLoopOperation forEach when forEach.Collection == current:
                    continue;
                case IForLoopOperation forLoop when forLoop.Before.Contains(current):
                    continue;
                case ILoopOperation:
                    return true;
            }
        }

        return false;
    }

    private static bool IsHotMember(ISymbol? symbol)
    {
        for (; symbol is not null and not INamedTypeSymbol; symbol = symbol.ContainingSymbol)
        {
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == HotPathAttributeName)
                {
                    return true;
                }
            }

            if (symbol is IMethodSymbol { AssociatedSymbol: { } property } && IsHotMember(property))
            {
                return true;
            }
        }

        return false;
    }
}
