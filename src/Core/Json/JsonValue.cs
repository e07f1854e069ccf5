using System.Collections.Generic;

namespace TokenizerCompiler.Core.Json;

/// <summary>The kind of a <see cref="JsonValue"/>.</summary>
public enum JsonKind
{
    /// <summary><c>null</c>.</summary>
    Null,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A number, kept as its source text.</summary>
    Number,

    /// <summary>A string.</summary>
    String,

    /// <summary>An array.</summary>
    Array,

    /// <summary>An object (members in source order).</summary>
    Object,
}

/// <summary>
/// A parsed JSON value that remembers where it starts in the source, so that a vocabulary problem found deep
/// inside a tokenizer.json can be reported at its line and column.
/// </summary>
public sealed class JsonValue
{
    private static readonly IReadOnlyList<JsonValue> NoItems = new JsonValue[0];
    private static readonly IReadOnlyList<KeyValuePair<string, JsonValue>> NoMembers = new KeyValuePair<string, JsonValue>[0];

    private JsonValue(JsonKind kind, int position, string? text, bool boolean,
        IReadOnlyList<JsonValue>? items, IReadOnlyList<KeyValuePair<string, JsonValue>>? members)
    {
        Kind = kind;
        Position = position;
        Text = text;
        Boolean = boolean;
        Items = items ?? NoItems;
        Members = members ?? NoMembers;
    }

    /// <summary>What the value is.</summary>
    public JsonKind Kind { get; }

    /// <summary>The UTF-16 offset of the value's first character in the source text.</summary>
    public int Position { get; }

    /// <summary>The length of the value's source text in UTF-16 units (a string's quotes and an object's braces included).</summary>
    public int Length => End - Position;

    /// <summary>Where the value's source text ends; set by the parser once the value is complete.</summary>
    internal int End { get; set; }

    /// <summary>A number's value as an <see cref="int"/>, when it is an integer in range.</summary>
    public bool TryGetInt32(out int value)
    {
        value = 0;
        return Kind == JsonKind.Number
            && int.TryParse(Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A string's content or a number's source text; <see langword="null"/> otherwise.</summary>
    public string? Text { get; }

    /// <summary>A boolean's value.</summary>
    public bool Boolean { get; }

    /// <summary>An array's items (empty otherwise).</summary>
    public IReadOnlyList<JsonValue> Items { get; }

    /// <summary>An object's members in source order (empty otherwise).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonValue>> Members { get; }

    /// <summary>The member named <paramref name="name"/>, or <see langword="null"/> (also for non-objects).</summary>
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

    internal static JsonValue Null(int position) => new(JsonKind.Null, position, null, false, null, null);

    internal static JsonValue Bool(int position, bool value) => new(JsonKind.Boolean, position, null, value, null, null);

    internal static JsonValue Number(int position, string text) => new(JsonKind.Number, position, text, false, null, null);

    internal static JsonValue String(int position, string text) => new(JsonKind.String, position, text, false, null, null);

    internal static JsonValue Array(int position, List<JsonValue> items) => new(JsonKind.Array, position, null, false, items, null);

    internal static JsonValue Object(int position, List<KeyValuePair<string, JsonValue>> members) =>
        new(JsonKind.Object, position, null, false, null, members);
}
