using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenizerCompiler.Analyzers.Facts;

namespace TokenizerCompiler.Analyzers;

/// <summary>
/// TKC1002: a constant used as a token id of a compiled tokenizer that names no token (decode and lookup
/// arguments, id literals passed to decode, comparisons and switch cases on ids).
/// TKC1003: ids produced by one compiled tokenizer decoded, looked up or compared with another's, tracked
/// through the locals and fields of one method.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenIdAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Rules.TokenIdOutOfRange, Rules.TokenizerMismatch);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing to check in a compilation that cannot see the runtime's Tokenizer type.
            if (start.Compilation.GetTypeByMetadataName(TokenizerApi.TokenizerTypeName) is null)
            {
                return;
            }

            start.RegisterOperationBlockAction(AnalyzeBlock);
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context)
    {
        List<IOperation> operations = context.OperationBlocks.SelectMany(block => block.DescendantsAndSelf()).ToList();
        if (!operations.Any(o => o is IInvocationOperation invocation && TokenizerApi.IsTokenizerMethod(invocation.TargetMethod)
                || o is IFieldReferenceOperation { Field.ContainingType.Name: "SpecialTokens" }))
        {
            return;
        }

        IdProvenance provenance = IdProvenance.Build(operations);
        foreach (IOperation operation in operations)
        {
            switch (operation)
            {
                case IInvocationOperation invocation when TokenizerApi.IsTokenizerMethod(invocation.TargetMethod):
                    CheckCall(context, provenance, invocation);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                    CheckComparison(context, provenance, comparison.LeftOperand, comparison.RightOperand);
                    break;
                case ISwitchOperation switchStatement when provenance.OfId(switchStatement.Value) is { } facts:
                    foreach (ICaseClauseOperation clause in switchStatement.Cases.SelectMany(c => c.Clauses))
                    {
                        IOperation? value = clause switch
                        {
                            ISingleValueCaseClauseOperation single => single.Value,
                            IPatternCaseClauseOperation { Pattern: IConstantPatternOperation constant } => constant.Value,
                            _ => null,
                        };
                        CheckConstant(context, facts, value, allowSentinel: true);
                    }

                    break;
                case ISwitchExpressionOperation switchExpression when provenance.OfId(switchExpression.Value) is { } facts:
                    foreach (ISwitchExpressionArmOperation arm in switchExpression.Arms)
                    {
                        CheckConstant(context, facts, (arm.Pattern as IConstantPatternOperation)?.Value, allowSentinel: true);
                    }

                    break;
                case IIsPatternOperation { Pattern: IConstantPatternOperation constant } isPattern when provenance.OfId(isPattern.Value) is { } facts:
                    CheckConstant(context, facts, constant.Value, allowSentinel: true);
                    break;
            }
        }
    }

    private static void CheckCall(OperationBlockAnalysisContext context, IdProvenance provenance, IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        bool takesIds = TokenizerApi.TakesIds(method);
        if (!takesIds && !TokenizerApi.TakesId(method))
        {
            return;
        }

        TokenizerFacts? facts = TokenizerApi.Resolve(invocation.Instance);
        if (facts is null)
        {
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (takesIds && argument.Parameter?.Name == "ids")
            {
                foreach (IOperation element in LiteralElements(argument.Value))
                {
                    CheckConstant(context, facts, element);
                }

                ReportMismatch(context, provenance.OfSequence(argument.Value), facts, argument.Value);
            }
            else if (!takesIds && argument.Parameter?.Name == "id")
            {
                TokenizerFacts? source = provenance.OfId(argument.Value);
                if (source is null)
                {
                    CheckConstant(context, facts, argument.Value);
                }

                ReportMismatch(context, source, facts, argument.Value);
            }
        }
    }

    private static void CheckComparison(OperationBlockAnalysisContext context, IdProvenance provenance, IOperation left, IOperation right)
    {
        TokenizerFacts? leftSource = provenance.OfId(left);
        TokenizerFacts? rightSource = provenance.OfId(right);
        if (leftSource is not null && rightSource is not null)
        {
            ReportMismatch(context, rightSource, leftSource, right);
        }
        else if (leftSource is not null)
        {
            CheckConstant(context, leftSource, right, allowSentinel: true);
        }
        else if (rightSource is not null)
        {
            CheckConstant(context, rightSource, left, allowSentinel: true);
        }
    }

    /// <summary>Constant elements of an id list written in place: <c>new[] { ... }</c> or <c>[ ... ]</c>.</summary>
    private static IEnumerable<IOperation> LiteralElements(IOperation value)
    {
        IOperation? inner = TokenizerApi.Unwrap(value);
        return inner switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
            ICollectionExpressionOperation collection => collection.Elements,
            _ => Enumerable.Empty<IOperation>(),
        };
    }

    /// <summary>Reports a constant that names no token. <paramref name="allowSentinel"/>: a negative constant compared with an id is a "none" marker (<c>id == -1</c>), not a mistaken id.</summary>
    private static void CheckConstant(OperationBlockAnalysisContext context, TokenizerFacts facts, IOperation? value, bool allowSentinel = false)
    {
        if (value is null || !value.ConstantValue.HasValue || value.ConstantValue.Value is not int id || (allowSentinel && id < 0))
        {
            return;
        }

        if (facts.Problem(id) is { } problem)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.TokenIdOutOfRange, value.Syntax.GetLocation(), id, problem, facts.DisplayName));
        }
    }

    private static void ReportMismatch(OperationBlockAnalysisContext context, TokenizerFacts? source, TokenizerFacts target, IOperation value)
    {
        if (source is not null && !SymbolEqualityComparer.Default.Equals(source.Type, target.Type))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.TokenizerMismatch, value.Syntax.GetLocation(), source.DisplayName, target.DisplayName));
        }
    }
}
