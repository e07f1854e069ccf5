using System.Globalization;
using System.Linq;
using System.Text;
using TokenizerCompiler.Generator.Model;

namespace TokenizerCompiler.Generator.Emit;

/// <summary>
/// Writes the <c>[TokenizerFacts]</c> attribute on the generated class: the vocabulary's size, special tokens and
/// unused ids, in a form the analyzers read from the class's symbol (source or metadata) without the vocabulary.
/// </summary>
internal static class TokenizerFactsEmitter
{
    public static string Attribute(CompiledTokenizer tokenizer)
    {
        var builder = new StringBuilder("[global::TokenizerCompiler.TokenizerFacts(");
        builder.Append(tokenizer.VocabularySize.ToString(CultureInfo.InvariantCulture));
        builder.Append(", new string[] { ");
        builder.Append(string.Join(", ", tokenizer.SpecialTokens.Select(s => StringLiteral(s.Text))));
        builder.Append(" }, new int[] { ");
        builder.Append(string.Join(", ", tokenizer.SpecialTokens.Select(s => s.Id.ToString(CultureInfo.InvariantCulture))));
        builder.Append(" }, new int[] { ");
        builder.Append(string.Join(", ", tokenizer.UnusedIdRanges.Select(i => i.ToString(CultureInfo.InvariantCulture))));
        builder.Append(" })]");
        return builder.ToString();
    }

    private static string StringLiteral(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (char c in text)
        {
            if (c == '"' || c == '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < ' ' || c > '~')
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }
}
