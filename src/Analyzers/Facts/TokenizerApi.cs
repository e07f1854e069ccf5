using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenizerCompiler.Analyzers.Facts;

/// <summary>Recognises the run-time <c>TokenizerCompiler.Tokenizer</c> API and the compiled tokenizer an instance comes from.</summary>
internal static class TokenizerApi
{
    public const string TokenizerTypeName = "TokenizerCompiler.Tokenizer";

    public static bool IsTokenizerMethod(IMethodSymbol method) =>
        method.ContainingType?.ToDisplayString() == TokenizerTypeName;

    /// <summary>Methods whose <c>ids</c> parameter takes ids of the instance's vocabulary.</summary>
    public static bool TakesIds(IMethodSymbol method) => method.Name is "Decode" or "DecodeToUtf8" or "DecodeToChars" or "GetDecodedByteCount" or "DecodeToBytes";

    /// <summary>Methods whose <c>id</c> parameter takes one id of the instance's vocabulary.</summary>
    public static bool TakesId(IMethodSymbol method) => method.Name is "GetTokenBytes" or "IsValidId";

    /// <summary>
    /// The compiled tokenizer an expression of type <c>Tokenizer</c> denotes: <c>X.Tokenizer</c> of a generated class,
    /// or a local or field initialised from one (followed a few steps, within the same file).
    /// </summary>
    public static TokenizerFacts? Resolve(IOperation? instance, int depth = 0)
    {
        instance = Unwrap(instance);
        if (instance is null || depth > 4)
        {
            return null;
        }

        switch (instance)
        {
            case IPropertyReferenceOperation { Property: { IsStatic: true, Name: "Tokenizer" } property }:
                return TokenizerFacts.From(property.ContainingType);
            case ILocalReferenceOperation local:
                return ResolveInitializer(local.Local, instance.SemanticModel, depth);
            case IFieldReferenceOperation { Field.IsReadOnly: true } field:
                return ResolveInitializer(field.Field, instance.SemanticModel, depth);
            default:
                return null;
        }
    }

    public static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IArgumentOperation argument:
                    operation = argument.Value;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static TokenizerFacts? ResolveInitializer(ISymbol symbol, SemanticModel? model, int depth)
    {
        if (model is null || symbol.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        SyntaxReference reference = symbol.DeclaringSyntaxReferences[0];
        if (reference.SyntaxTree != model.SyntaxTree || reference.GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } value })
        {
            return null;
        }

        return Resolve(model.GetOperation(value), depth + 1);
    }
}
