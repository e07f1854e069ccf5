using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenizerCompiler.Analyzers.Facts;

/// <summary>
/// Which compiled tokenizer produced the ids held by each local or field of one method body: a flow-insensitive
/// pass over its operations (encode results, encode destinations, special-token lookups, SpecialTokens
/// constants, copies, elements, foreach variables and the results of id-returning helpers of the same file).
/// A symbol that receives ids of two tokenizers is dropped.
/// </summary>
internal sealed class IdProvenance
{
    private readonly Dictionary<ISymbol, TokenizerFacts> _idSequences = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, TokenizerFacts> _singleIds = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _conflicting = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, TokenizerFacts?> _helperResults = new(SymbolEqualityComparer.Default);
    private readonly int _depth;

    private IdProvenance(int depth) => _depth = depth;

    /// <summary>Builds the provenance of a method's operation blocks (two passes, so copies made before their source is seen still resolve).</summary>
    public static IdProvenance Build(IEnumerable<IOperation> operations) => Build(operations, 0);

    private static IdProvenance Build(IEnumerable<IOperation> operations, int depth)
    {
        var provenance = new IdProvenance(depth);
        var list = new List<IOperation>(operations);
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (IOperation operation in list)
            {
                provenance.Record(operation);
            }
        }

        return provenance;
    }

    /// <summary>The tokenizer whose ids a sequence expression (array, span, slice) holds.</summary>
    public TokenizerFacts? OfSequence(IOperation? value)
    {
        value = TokenizerApi.Unwrap(value);
        switch (value)
        {
            case IInvocationOperation invocation when TokenizerApi.IsTokenizerMethod(invocation.TargetMethod):
                return invocation.TargetMethod.Name == "EncodeToIds" && invocation.TargetMethod.ReturnType is IArrayTypeSymbol
                    ? TokenizerApi.Resolve(invocation.Instance)
                    : null;
            case IInvocationOperation invocation when HelperResult(invocation) is { } produced:
                return produced;
            case IInvocationOperation invocation:
                // AsSpan, Slice, ToArray, ...: a view or copy of the same ids.
                IOperation? receiver = invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
                return IsIntSequence(invocation.Type) ? OfSequence(receiver) : null;
            case IImplicitIndexerReferenceOperation range when IsIntSequence(range.Type):
                return OfSequence(range.Instance);
            case ILocalReferenceOperation local:
                return Lookup(_idSequences, local.Local);
            case IFieldReferenceOperation field:
                return Lookup(_idSequences, field.Field);
            default:
                return null;
        }
    }

    /// <summary>The tokenizer a single id expression belongs to.</summary>
    public TokenizerFacts? OfId(IOperation? value)
    {
        value = TokenizerApi.Unwrap(value);
        switch (value)
        {
            case IArrayElementReferenceOperation element:
                return OfSequence(element.ArrayReference);
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                return OfSequence(indexer.Instance);
            case IImplicitIndexerReferenceOperation index when index.Type?.SpecialType == SpecialType.System_Int32:
                return OfSequence(index.Instance);
            case IFieldReferenceOperation { Field: { IsConst: true, ContainingType: { Name: "SpecialTokens" } nested } }:
                return TokenizerFacts.From(nested.ContainingType);
            case IFieldReferenceOperation field:
                return Lookup(_singleIds, field.Field);
            case ILocalReferenceOperation local:
                return Lookup(_singleIds, local.Local);
            default:
                return null;
        }
    }

    /// <summary>
    /// A helper method of the same file that returns ids (<c>int[] Encode(string s) =&gt; O200k.Tokenizer.EncodeToIds(s)</c>)
    /// produces the ids of the tokenizer all its returns come from: its body is analysed the same way, two calls deep.
    /// </summary>
    private TokenizerFacts? HelperResult(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        SemanticModel? model = invocation.SemanticModel;
        if (_depth >= 2 || model is null || !IsIntSequence(method.ReturnType) || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        if (_helperResults.TryGetValue(method, out TokenizerFacts? cached))
        {
            return cached;
        }

        _helperResults[method] = null; // recursion guard
        TokenizerFacts? result = null;
        if (model.GetOperation(method.DeclaringSyntaxReferences[0].GetSyntax()) is { } body)
        {
            var operations = new List<IOperation>(body.DescendantsAndSelf());
            IdProvenance inner = Build(operations, _depth + 1);
            foreach (IReturnOperation returned in operations.OfType<IReturnOperation>())
            {
                TokenizerFacts? source = inner.OfSequence(returned.ReturnedValue);
                if (source is null || (result is not null && !SymbolEqualityComparer.Default.Equals(result.Type, source.Type)))
                {
                    result = null;
                    break;
                }

                result = source;
            }
        }

        _helperResults[method] = result;
        return result;
    }

    private void Record(IOperation operation)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator:
                Assign(declarator.Symbol, value);
                break;
            case ISimpleAssignmentOperation assignment when Target(assignment.Target) is { } target:
                Assign(target, assignment.Value);
                break;
            case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation variable } loop when OfSequence(loop.Collection) is { } source:
                Add(_singleIds, variable.Symbol, source);
                break;
            case IInvocationOperation invocation when TokenizerApi.IsTokenizerMethod(invocation.TargetMethod):
                RecordOutputs(invocation);
                break;
        }
    }

    /// <summary>Encode's destination buffer and a lookup's <c>out id</c> receive ids of the instance's tokenizer.</summary>
    private void RecordOutputs(IInvocationOperation invocation)
    {
        TokenizerFacts? facts = null;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            string? name = argument.Parameter?.Name;
            bool isDestination = invocation.TargetMethod.Name == "EncodeToIds" && name == "destination";
            bool isOutId = invocation.TargetMethod.Name is "TryGetSpecialTokenId" or "TryGetTokenId" && name == "id";
            if (!isDestination && !isOutId)
            {
                continue;
            }

            facts ??= TokenizerApi.Resolve(invocation.Instance);
            if (facts is null)
            {
                return;
            }

            IOperation? value = TokenizerApi.Unwrap(argument.Value);
            if (value is IDeclarationExpressionOperation declaration)
            {
                value = declaration.Expression;
            }

            // destination: buffer, buffer.AsSpan(), buffer.AsSpan(start)...
            while (isDestination && value is IInvocationOperation view)
            {
                value = TokenizerApi.Unwrap(view.Instance ?? (view.Arguments.Length > 0 ? view.Arguments[0].Value : null));
            }

            if (Target(value) is { } target)
            {
                Add(isDestination ? _idSequences : _singleIds, target, facts);
            }
        }
    }

    private void Assign(ISymbol target, IOperation value)
    {
        if (OfSequence(value) is { } sequence)
        {
            Add(_idSequences, target, sequence);
        }
        else if (OfId(value) is { } id)
        {
            Add(_singleIds, target, id);
        }
    }

    private static ISymbol? Target(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IFieldReferenceOperation field => field.Field,
        IDeclarationExpressionOperation { Expression: ILocalReferenceOperation local } => local.Local,
        _ => null,
    };

    private void Add(Dictionary<ISymbol, TokenizerFacts> map, ISymbol symbol, TokenizerFacts facts)
    {
        if (map.TryGetValue(symbol, out TokenizerFacts? existing) && !SymbolEqualityComparer.Default.Equals(existing.Type, facts.Type))
        {
            _conflicting.Add(symbol);
        }

        map[symbol] = facts;
    }

    private TokenizerFacts? Lookup(Dictionary<ISymbol, TokenizerFacts> map, ISymbol symbol) =>
        !_conflicting.Contains(symbol) && map.TryGetValue(symbol, out TokenizerFacts? facts) ? facts : null;

    private static bool IsIntSequence(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType.SpecialType == SpecialType.System_Int32,
        INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory" or "List" or "IReadOnlyList", TypeArguments.Length: 1 } named
            => named.TypeArguments[0].SpecialType == SpecialType.System_Int32,
        _ => false,
    };
}
