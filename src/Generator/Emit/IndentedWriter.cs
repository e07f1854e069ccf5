using System.Text;

namespace TokenizerCompiler.Generator.Emit;

/// <summary>A minimal indented text writer (LF line ends, four spaces) for deterministic output.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public IndentedWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
        }

        _builder.Append(text).Append('\n');
        return this;
    }

    public IndentedWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    public IndentedWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public StringBuilder Raw => _builder;

    public override string ToString() => _builder.ToString();
}
