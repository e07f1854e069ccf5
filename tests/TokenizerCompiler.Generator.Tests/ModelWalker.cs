using System;
using System.Collections;
using System.Collections.Generic;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace TokenizerCompiler.Generator.Tests;

/// <summary>Walks a pipeline model's object graph and fails if a Roslyn object that would pin a compilation is inside.</summary>
internal static class ModelWalker
{
    private static readonly Type[] s_forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation), typeof(Location),
        typeof(Diagnostic), typeof(AdditionalText), typeof(SemanticModel),
    };

    public static void AssertNoRoslynObjects(object? root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(root, "model", seen);
    }

    private static void Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value is Enum)
        {
            return;
        }

        Type type = value.GetType();
        foreach (Type forbidden in s_forbidden)
        {
            Assert.False(forbidden.IsAssignableFrom(type), $"{path} is a {type.FullName}, a Roslyn object that must not be cached");
        }

        if (!type.IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is byte[])
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                Walk(item, $"{path}[{i++}]", seen);
                if (i > 64)
                {
                    break;
                }
            }
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.FieldType == typeof(byte[]))
            {
                continue;
            }

            Walk(field.GetValue(value), path + "." + field.Name, seen);
        }
    }
}
