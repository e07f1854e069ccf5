using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TokenizerCompiler.Analyzers.Facts;

/// <summary>What the generator recorded about one compiled tokenizer class (its <c>[TokenizerFacts]</c> attribute).</summary>
internal sealed class TokenizerFacts
{
    public const string AttributeName = "TokenizerCompiler.TokenizerFactsAttribute";

    private TokenizerFacts(INamedTypeSymbol type, int vocabularySize, ImmutableArray<string> specialTexts, ImmutableArray<int> specialIds, ImmutableArray<int> unusedRanges)
    {
        Type = type;
        VocabularySize = vocabularySize;
        SpecialTokenTexts = specialTexts;
        SpecialTokenIds = specialIds;
        UnusedIdRanges = unusedRanges;
    }

    /// <summary>The generated class (e.g. <c>O200k</c>).</summary>
    public INamedTypeSymbol Type { get; }

    public int VocabularySize { get; }

    public ImmutableArray<string> SpecialTokenTexts { get; }

    public ImmutableArray<int> SpecialTokenIds { get; }

    /// <summary>Inclusive (first, last) pairs.</summary>
    public ImmutableArray<int> UnusedIdRanges { get; }

    /// <summary>The name shown in messages.</summary>
    public string DisplayName => Type.Name;

    /// <summary>The facts on <paramref name="type"/>, or null when it is not a compiled tokenizer class.</summary>
    public static TokenizerFacts? From(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return null;
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != AttributeName || attribute.ConstructorArguments.Length != 4)
            {
                continue;
            }

            var args = attribute.ConstructorArguments;
            if (args[0].Value is not int size || args[1].IsNull || args[2].IsNull || args[3].IsNull)
            {
                return null;
            }

            ImmutableArray<string> texts = args[1].Values.Select(v => v.Value as string ?? string.Empty);
            ImmutableArray<int> ids = args[2].Values.Select(v => v.Value is int i ? i : -1);
            ImmutableArray<int> unused = args[3].Values.Select(v => v.Value is int i ? i : -1);
            return texts.Length == ids.Length ? new TokenizerFacts(type, size, texts, ids, unused) : null;
        }

        return null;
    }

    /// <summary>Why <paramref name="id"/> names no token, or null when it does.</summary>
    public string? Problem(int id)
    {
        if (id < 0)
        {
            return "is negative and names no token";
        }

        if (id >= VocabularySize)
        {
            return $"is outside the vocabulary (size {VocabularySize})";
        }

        for (int i = 0; i + 1 < UnusedIdRanges.Length; i += 2)
        {
            if (id >= UnusedIdRanges[i] && id <= UnusedIdRanges[i + 1])
            {
                return "names an unused slot";
            }
        }

        return null;
    }
}
