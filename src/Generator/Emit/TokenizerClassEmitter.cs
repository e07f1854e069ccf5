using System.Collections.Generic;
using System.Globalization;
using System.Text;
using TokenizerCompiler.Generator.Model;

namespace TokenizerCompiler.Generator.Emit;

/// <summary>Emits the typed part of a tokenizer class: the instance, the vocabulary size and the special-token ids.</summary>
internal static class TokenizerClassEmitter
{
    private const string TokenizerType = "global::TokenizerCompiler.Tokenizer";

    public static string Emit(CompiledTokenizer tokenizer)
    {
        var writer = new IndentedWriter();
        int opened = SourceHeader.Open(writer, tokenizer.Declaration, TokenizerFactsEmitter.Attribute(tokenizer));
        string file = Xml(tokenizer.Declaration.VocabularyFile);

        writer.Line($"/// <summary>The tokenizer compiled from <c>{file}</c>: its tables were built at compile time and are read in place.</summary>");
        writer.Line(SourceHeader.GeneratedCodeAttribute);
        writer.Line($"public static {TokenizerType} Tokenizer => __TokenizerHolder.Instance;");
        writer.Line();
        writer.Line("/// <summary>One more than the largest token id, special tokens included.</summary>");
        writer.Line(SourceHeader.GeneratedCodeAttribute);
        writer.Line("public const int VocabularySize = " + tokenizer.VocabularySize.ToString(CultureInfo.InvariantCulture) + ";");
        writer.Line();
        writer.Line("/// <summary>The ids of the special tokens.</summary>");
        writer.Line(SourceHeader.GeneratedCodeAttribute);
        writer.Open("public static class SpecialTokens");
        var used = new HashSet<string>();
        foreach (SpecialTokenInfo special in tokenizer.SpecialTokens)
        {
            string name = MemberName(special.Text);
            while (!used.Add(name))
            {
                name += "_" + special.Id.ToString(CultureInfo.InvariantCulture);
            }

            writer.Line($"/// <summary>The id of <c>{Xml(special.Text)}</c>.</summary>");
            writer.Line($"public const int {name} = {special.Id.ToString(CultureInfo.InvariantCulture)};");
        }

        writer.Close();
        writer.Line();
        writer.Line("// A nested class so the tables are opened on first use, not when the outer class is touched.");
        writer.Open("private static class __TokenizerHolder");
        writer.Line(tokenizer.ResourceName.Length > 0
            ? $"internal static readonly {TokenizerType} Instance = {TokenizerType}.FromEmbeddedResource(typeof(__TokenizerHolder).Assembly, \"{tokenizer.ResourceName}\");"
            : $"internal static readonly {TokenizerType} Instance = {TokenizerType}.FromEmbeddedImage({ImageEmitter.PropertyName});");
        writer.Close();
        SourceHeader.Close(writer, opened);
        return writer.ToString();
    }

    /// <summary>A PascalCase identifier for a special token's text: <c>&lt;|fim_prefix|&gt;</c> → <c>FimPrefix</c>.</summary>
    internal static string MemberName(string text)
    {
        var builder = new StringBuilder();
        bool upper = true;
        foreach (char c in Expand(text))
        {
            if (char.IsLetterOrDigit(c) && c < 128)
            {
                builder.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, "Token");
        }

        // A member may not share its enclosing class's name (CS0542).
        string name = builder.ToString();
        return name == "SpecialTokens" ? "SpecialTokens_" : name;
    }

    // Common run-together words in special tokens, so <|endoftext|> becomes EndOfText.
    private static string Expand(string text) => text
        .Replace("endoftext", "end_of_text")
        .Replace("endofprompt", "end_of_prompt")
        .Replace("startoftext", "start_of_text")
        .Replace("endofturn", "end_of_turn");

    private static string Xml(string text)
    {
        // Special-token text may hold line breaks or other control characters, which would end a /// comment.
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                default:
                    if (char.IsControl(c) || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
