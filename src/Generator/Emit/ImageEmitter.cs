using System.Globalization;
using TokenizerCompiler.Generator.Model;

namespace TokenizerCompiler.Generator.Emit;

/// <summary>
/// Emits the tables as one string literal, two image bytes per char. Measured here, a 4 MiB string literal
/// costs about 1.2 s of csc time and 0.16 GB of compiler memory, where a <c>byte[]</c> initialiser of the
/// same data costs 16 s and 2.2 GB (docs/generator-guide.md). The runtime pins the interned string once and
/// reads the tables in place. Printable chars are written as themselves to keep the source small; only
/// quotes, backslashes, controls, line terminators, surrogates and non-characters are escaped.
/// </summary>
internal static class ImageEmitter
{
    public const string PropertyName = "__TokenizerImage";

    public static string Emit(CompiledTokenizer tokenizer)
    {
        var writer = new IndentedWriter();
        int opened = SourceHeader.Open(writer, tokenizer.Declaration);
        writer.Line("/// <summary>The compiled tables (" + tokenizer.Image.Count.ToString(CultureInfo.InvariantCulture) + " bytes), two bytes per char.</summary>");
        writer.Line(SourceHeader.GeneratedCodeAttribute);
        writer.Line("private static string " + PropertyName + " => ");
        writer.Raw.Append('"');
        AppendEscaped(writer.Raw, tokenizer.Image.AsSpan());
        writer.Raw.Append("\";\n");
        SourceHeader.Close(writer, opened);
        return writer.ToString();
    }

    internal static void AppendEscaped(System.Text.StringBuilder builder, System.ReadOnlySpan<byte> image)
    {
        for (int i = 0; i + 1 < image.Length; i += 2)
        {
            char c = (char)(image[i] | (image[i + 1] << 8));
            if (c == '"' || c == '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029' || c == '\uFEFF'
                     || (c >= 0xD800 && c <= 0xDFFF) || c >= 0xFFFE)
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
    }
}
