using System;
using System.Collections.Immutable;

namespace TokenizerCompiler.Analyzers.Facts;

/// <summary>Projection of an immutable array without LINQ's intermediate enumerables.</summary>
internal static class ImmutableArrayExtensions
{
    public static ImmutableArray<TResult> Select<T, TResult>(this ImmutableArray<T> source, Func<T, TResult> selector)
    {
        var builder = ImmutableArray.CreateBuilder<TResult>(source.Length);
        foreach (T item in source)
        {
            builder.Add(selector(item));
        }

        return builder.MoveToImmutable();
    }
}
