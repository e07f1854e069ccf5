using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace TokenizerCompiler.Analyzers.ModelConfig;

/// <summary>
/// A small strict JSON parser that keeps spans. Analyzers cannot count on System.Text.Json being loadable in every
/// compiler host, and the model configuration files are small.
/// </summary>
internal sealed class JsonReader
{
    private const int MaxDepth = 64;
    private readonly string _text;
    private int _position;

    private JsonReader(string text) => _text = text;

    /// <summary>Parses <paramref name="text"/>; null when it is not valid JSON.</summary>
    public static JsonValue? TryParse(string text)
    {
        var reader = new JsonReader(text);
        try
        {
            JsonValue value = reader.Value(0);
            reader.SkipWhitespace();
            return reader._position == text.Length ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private JsonValue Value(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("too deep");
        }

        SkipWhitespace();
        int start = _position;
        switch (Peek())
        {
            case '{':
                return Object(depth);
            case '[':
                return Array(depth);
            case '"':
                string text = String();
                return new JsonValue(JsonKind.String, TextSpan.FromBounds(start, _position), text);
            case 't':
                Expect("true");
                return new JsonValue(JsonKind.Boolean, TextSpan.FromBounds(start, _position));
            case 'f':
                Expect("false");
                return new JsonValue(JsonKind.Boolean, TextSpan.FromBounds(start, _position));
            case 'n':
                Expect("null");
                return new JsonValue(JsonKind.Null, TextSpan.FromBounds(start, _position));
            default:
                return Number();
        }
    }

    private JsonValue Object(int depth)
    {
        int start = _position++;
        var members = new List<KeyValuePair<string, JsonValue>>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return new JsonValue(JsonKind.Object, TextSpan.FromBounds(start, _position), members: members);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw new FormatException("member name expected");
            }

            string name = String();
            SkipWhitespace();
            Expect(":");
            members.Add(new KeyValuePair<string, JsonValue>(name, Value(depth + 1)));
            SkipWhitespace();
            char next = Next();
            if (next == '}')
            {
                return new JsonValue(JsonKind.Object, TextSpan.FromBounds(start, _position), members: members);
            }

            if (next != ',')
            {
                throw new FormatException("',' or '}' expected");
            }
        }
    }

    private JsonValue Array(int depth)
    {
        int start = _position++;
        var items = new List<JsonValue>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return new JsonValue(JsonKind.Array, TextSpan.FromBounds(start, _position), items: items);
        }

        while (true)
        {
            items.Add(Value(depth + 1));
            SkipWhitespace();
            char next = Next();
            if (next == ']')
            {
                return new JsonValue(JsonKind.Array, TextSpan.FromBounds(start, _position), items: items);
            }

            if (next != ',')
            {
                throw new FormatException("',' or ']' expected");
            }
        }
    }

    private string String()
    {
        _position++;
        var builder = new StringBuilder();
        while (true)
        {
            char c = Next();
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            char escape = Next();
            switch (escape)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'u':
                    if (_position + 4 > _text.Length || !int.TryParse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                    {
                        throw new FormatException("bad \\u escape");
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default: builder.Append(escape); break;
            }
        }
    }

    private JsonValue Number()
    {
        int start = _position;
        while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0)
        {
            _position++;
        }

        if (!double.TryParse(_text.Substring(start, _position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            throw new FormatException("value expected");
        }

        return new JsonValue(JsonKind.Number, TextSpan.FromBounds(start, _position), number: number);
    }

    private void Expect(string literal)
    {
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
        {
            throw new FormatException($"'{literal}' expected");
        }

        _position += literal.Length;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : throw new FormatException("unexpected end");

    private char Next() => _position < _text.Length ? _text[_position++] : throw new FormatException("unexpected end");

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }
}
