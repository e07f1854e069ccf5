using System;
using System.Collections.Generic;
using System.Globalization;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.Json;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Reads typed values out of a tokenizer.json tree and reports problems at the offending value's line and
/// column, naming its JSON path (e.g. <c>pre_tokenizer.pretokenizers[1].type</c>).
/// </summary>
internal sealed class JsonReadContext
{
    private readonly LineMap _lines;

    public JsonReadContext(string filePath, string text, List<CompilerDiagnostic> diagnostics)
    {
        FilePath = filePath;
        _lines = new LineMap(text);
        Diagnostics = diagnostics;
    }

    public string FilePath { get; }

    public List<CompilerDiagnostic> Diagnostics { get; }

    public bool HasErrors { get; private set; }

    public void Error(string id, string path, JsonValue? at, string message)
    {
        HasErrors = true;
        SourceSpan span = at is null ? SourceSpan.FileStart : _lines.SpanAt(at.Position, 1);
        Diagnostics.Add(new CompilerDiagnostic(id, DiagnosticSeverityLevel.Error, $"{path}: {message}", FilePath, span));
    }

    public void Info(string id, string path, JsonValue? at, string message)
    {
        SourceSpan span = at is null ? SourceSpan.FileStart : _lines.SpanAt(at.Position, 1);
        Diagnostics.Add(new CompilerDiagnostic(id, DiagnosticSeverityLevel.Info, $"{path}: {message}", FilePath, span));
    }

    public void Unsupported(string path, JsonValue? at, string what) =>
        Error(DiagnosticIds.UnsupportedComponent, path, at, $"{what} is not supported by the compiler, so it cannot give the ids Hugging Face gives");

    /// <summary>The object's <c>type</c> member, or null after reporting it.</summary>
    public string? TypeOf(JsonValue value, string path)
    {
        if (value.Kind != JsonKind.Object)
        {
            Error(DiagnosticIds.MalformedVocabulary, path, value, "expected an object");
            return null;
        }

        return RequiredString(value, "type", path);
    }

    public string? RequiredString(JsonValue owner, string name, string path)
    {
        JsonValue? value = owner[name];
        if (value is { Kind: JsonKind.String })
        {
            return value.Text;
        }

        Error(DiagnosticIds.MalformedVocabulary, $"{path}.{name}", value ?? owner, value is null ? "missing string member" : "expected a string");
        return null;
    }

    public string? OptionalString(JsonValue owner, string name, string path)
    {
        JsonValue? value = owner[name];
        if (value is null || value.Kind == JsonKind.Null)
        {
            return null;
        }

        if (value.Kind == JsonKind.String)
        {
            return value.Text;
        }

        Error(DiagnosticIds.MalformedVocabulary, $"{path}.{name}", value, "expected a string or null");
        return null;
    }

    public bool Bool(JsonValue owner, string name, string path, bool fallback)
    {
        JsonValue? value = owner[name];
        if (value is null || value.Kind == JsonKind.Null)
        {
            return fallback;
        }

        if (value.Kind == JsonKind.Boolean)
        {
            return value.Boolean;
        }

        Error(DiagnosticIds.MalformedVocabulary, $"{path}.{name}", value, "expected true or false");
        return fallback;
    }

    public int Int(JsonValue owner, string name, string path, int fallback)
    {
        JsonValue? value = owner[name];
        if (value is null || value.Kind == JsonKind.Null)
        {
            return fallback;
        }

        if (TryInt(value, out int result))
        {
            return result;
        }

        Error(DiagnosticIds.MalformedVocabulary, $"{path}.{name}", value, "expected a non-negative integer");
        return fallback;
    }

    public static bool TryInt(JsonValue value, out int result)
    {
        result = 0;
        return value.Kind == JsonKind.Number
            && int.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }

    /// <summary>A <c>{"String": s}</c> or <c>{"Regex": r}</c> pattern.</summary>
    public bool Pattern(JsonValue owner, string path, out string pattern, out bool isRegex)
    {
        pattern = string.Empty;
        isRegex = false;
        JsonValue? value = owner["pattern"];
        if (value is { Kind: JsonKind.Object, Members.Count: 1 } && value.Members[0].Value.Kind == JsonKind.String)
        {
            string kind = value.Members[0].Key;
            if (kind is "String" or "Regex")
            {
                pattern = value.Members[0].Value.Text!;
                isRegex = kind == "Regex";
                if (isRegex && !RegexTranslation.IsValid(pattern, out string? error))
                {
                    Error(DiagnosticIds.MalformedVocabulary, path + ".pattern.Regex", value, $"the regular expression does not compile: {error}");
                    return false;
                }

                return true;
            }
        }

        Error(DiagnosticIds.MalformedVocabulary, path + ".pattern", value ?? owner, "expected {\"String\": ...} or {\"Regex\": ...}");
        return false;
    }

    /// <summary>Visits each item of the array member <paramref name="name"/> (a Sequence's steps) with its path; reports a non-array.</summary>
    public void ForEachItem(JsonValue owner, string name, string path, Action<JsonValue, string> visit)
    {
        JsonValue? items = owner[name];
        if (items is not { Kind: JsonKind.Array })
        {
            Error(DiagnosticIds.MalformedVocabulary, path + "." + name, items ?? owner, "expected an array");
            return;
        }

        for (int i = 0; i < items.Items.Count; i++)
        {
            visit(items.Items[i], Index(path + "." + name, i));
        }
    }

    public static string Member(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static StringComparison Ordinal => StringComparison.Ordinal;
}
