using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TokenizerCompiler.Core.Json;

/// <summary>
/// A strict JSON parser (RFC 8259) that records each value's position. The compiler core targets
/// netstandard2.0 for the generator and the build task, where System.Text.Json is not available to load.
/// </summary>
public sealed class JsonParser
{
    private const int MaxDepth = 256;
    private readonly string _text;
    private readonly StringBuilder _buffer = new();
    private int _position;

    private JsonParser(string text)
    {
        _text = text;
    }

    /// <summary>Parses one JSON document.</summary>
    /// <exception cref="JsonSyntaxException">The text is not one valid JSON value.</exception>
    public static JsonValue Parse(string text)
    {
        var parser = new JsonParser(text);
        if (parser._position < text.Length && text[0] == '\uFEFF')
        {
            parser._position++;
        }

        JsonValue value = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (parser._position != text.Length)
        {
            throw new JsonSyntaxException("unexpected text after the JSON value", parser._position);
        }

        return value;
    }

    private JsonValue ParseValue(int depth)
    {
        JsonValue value = ParseValueAt(depth);
        value.End = _position;
        return value;
    }

    private JsonValue ParseValueAt(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonSyntaxException($"nesting deeper than {MaxDepth} levels", _position);
        }

        SkipWhitespace();
        if (_position >= _text.Length)
        {
            throw new JsonSyntaxException("unexpected end of the text", _position);
        }

        int start = _position;
        switch (_text[_position])
        {
            case '{':
                return ParseObject(depth);
            case '[':
                return ParseArray(depth);
            case '"':
                return JsonValue.String(start, ParseString());
            case 't':
                Expect("true");
                return JsonValue.Bool(start, true);
            case 'f':
                Expect("false");
                return JsonValue.Bool(start, false);
            case 'n':
                Expect("null");
                return JsonValue.Null(start);
            default:
                return ParseNumber();
        }
    }

    private JsonValue ParseObject(int depth)
    {
        int start = _position++;
        var members = new List<KeyValuePair<string, JsonValue>>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return JsonValue.Object(start, members);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw new JsonSyntaxException("expected a member name in double quotes", _position);
            }

            string name = ParseString();
            SkipWhitespace();
            if (Peek() != ':')
            {
                throw new JsonSyntaxException("expected ':' after a member name", _position);
            }

            _position++;
            members.Add(new KeyValuePair<string, JsonValue>(name, ParseValue(depth + 1)));
            SkipWhitespace();
            char next = Peek();
            _position++;
            if (next == '}')
            {
                return JsonValue.Object(start, members);
            }

            if (next != ',')
            {
                throw new JsonSyntaxException("expected ',' or '}' in an object", _position - 1);
            }
        }
    }

    private JsonValue ParseArray(int depth)
    {
        int start = _position++;
        var items = new List<JsonValue>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return JsonValue.Array(start, items);
        }

        while (true)
        {
            items.Add(ParseValue(depth + 1));
            SkipWhitespace();
            char next = Peek();
            _position++;
            if (next == ']')
            {
                return JsonValue.Array(start, items);
            }

            if (next != ',')
            {
                throw new JsonSyntaxException("expected ',' or ']' in an array", _position - 1);
            }
        }
    }

    private string ParseString()
    {
        int start = _position++;
        int runStart = _position;
        _buffer.Clear();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated string", start);
            }

            char c = _text[_position];
            if (c == '"')
            {
                string result = _buffer.Length == 0
                    ? _text.Substring(runStart, _position - runStart)
                    : _buffer.Append(_text, runStart, _position - runStart).ToString();
                _position++;
                return result;
            }

            if (c < 0x20)
            {
                throw new JsonSyntaxException("control character in a string (it must be escaped)", _position);
            }

            if (c != '\\')
            {
                _position++;
                continue;
            }

            _buffer.Append(_text, runStart, _position - runStart);
            _position++;
            char escape = Peek();
            _position++;
            switch (escape)
            {
                case '"': _buffer.Append('"'); break;
                case '\\': _buffer.Append('\\'); break;
                case '/': _buffer.Append('/'); break;
                case 'b': _buffer.Append('\b'); break;
                case 'f': _buffer.Append('\f'); break;
                case 'n': _buffer.Append('\n'); break;
                case 'r': _buffer.Append('\r'); break;
                case 't': _buffer.Append('\t'); break;
                case 'u': _buffer.Append(ParseHex4()); break;
                default: throw new JsonSyntaxException($"invalid escape '\\{escape}' in a string", _position - 2);
            }

            runStart = _position;
        }
    }

    private char ParseHex4()
    {
        if (_position + 4 > _text.Length
            || !ushort.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
        {
            throw new JsonSyntaxException("'\\u' must be followed by four hexadecimal digits", _position - 2);
        }

        _position += 4;
        return (char)code;
    }

    private JsonValue ParseNumber()
    {
        int start = _position;
        if (Peek() == '-')
        {
            _position++;
        }

        int digits = SkipDigits();
        if (digits == 0)
        {
            throw new JsonSyntaxException($"unexpected character '{_text[start]}'", start);
        }

        if (Peek() == '.')
        {
            _position++;
            if (SkipDigits() == 0)
            {
                throw new JsonSyntaxException("a fraction needs digits after '.'", _position);
            }
        }

        if (Peek() is 'e' or 'E')
        {
            _position++;
            if (Peek() is '+' or '-')
            {
                _position++;
            }

            if (SkipDigits() == 0)
            {
                throw new JsonSyntaxException("an exponent needs digits", _position);
            }
        }

        return JsonValue.Number(start, _text.Substring(start, _position - start));
    }

    private int SkipDigits()
    {
        int start = _position;
        while (_position < _text.Length && _text[_position] is >= '0' and <= '9')
        {
            _position++;
        }

        return _position - start;
    }

    private void Expect(string literal)
    {
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
        {
            throw new JsonSyntaxException($"unexpected character '{_text[_position]}'", _position);
        }

        _position += literal.Length;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r')
        {
            _position++;
        }
    }
}
