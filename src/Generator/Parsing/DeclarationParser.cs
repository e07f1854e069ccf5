using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenizerCompiler.Generator.Model;

namespace TokenizerCompiler.Generator.Parsing;

/// <summary>Turns a <c>[Tokenizer]</c>-attributed class into a <see cref="TokenizerDeclaration"/>; the only step that sees Roslyn symbols.</summary>
internal static class DeclarationParser
{
    public const string AttributeName = "TokenizerCompiler.TokenizerAttribute";

    public static TokenizerDeclaration? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax)
        {
            return null;
        }

        AttributeData attribute = context.Attributes[0];
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string file)
        {
            return null;
        }

        string? pattern = null, encoding = null;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Pattern":
                    pattern = argument.Value.Value as string;
                    break;
                case "Encoding":
                    encoding = argument.Value.Value as string;
                    break;
            }
        }

        var containing = new List<string>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, KeywordsOf(outer) + " " + outer.Name);
        }

        cancellationToken.ThrowIfCancellationRequested();
        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
        Location? location = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? syntax.Identifier.GetLocation();
        return new TokenizerDeclaration(ns, new EquatableArray<string>(containing.ToArray()), KeywordsOf(type), type.Name,
            file, pattern, encoding, LocationInfo.From(location));
    }

    private static string KeywordsOf(INamedTypeSymbol type)
    {
        string kind = type.TypeKind == TypeKind.Struct ? (type.IsRecord ? "record struct" : "struct") : (type.IsRecord ? "record" : "class");
        return (type.IsStatic ? "static " : string.Empty) + "partial " + kind;
    }

    public static IEnumerable<T> NotNull<T>(IEnumerable<T?> items)
        where T : class => items.Where(i => i is not null)!;
}
