using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace TokenizerCompiler.Analyzers.ModelConfig;

/// <summary>A parsed JSON value with the span it came from, so diagnostics can point into the file.</summary>
internal sealed class JsonValue
{
    public JsonValue(JsonKind kind, TextSpan span, string? text = null, double number = 0,
        IReadOnlyList<JsonValue>? items = null, IReadOnlyList<KeyValuePair<string, JsonValue>>? members = null)
    {
        Kind = kind;
        Span = span;
        Text = text;
        Number = number;
        Items = items ?? new List<JsonValue>();
        Members = members ?? new List<KeyValuePair<string, JsonValue>>();
    }

    public JsonKind Kind { get; }

    public TextSpan Span { get; }

    /// <summary>The unescaped text of a string.</summary>
    public string? Text { get; }

    public double Number { get; }

    public IReadOnlyList<JsonValue> Items { get; }

    public IReadOnlyList<KeyValuePair<string, JsonValue>> Members { get; }

    /// <summary>The member named <paramref name="name"/> of an object, or null.</summary>
    public JsonValue? this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, JsonValue> member in Members)
            {
                if (member.Key == name)
                {
                    return member.Value;
                }
            }

            return null;
        }
    }

    /// <summary>The value as an integer id, when it is a whole number in range.</summary>
    public int? AsInt() => Kind == JsonKind.Number && Number == System.Math.Floor(Number) && Number >= int.MinValue && Number <= int.MaxValue ? (int)Number : null;
}

/// <summary>The kinds of JSON value.</summary>
internal enum JsonKind
{
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}
