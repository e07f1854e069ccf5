using System;
using System.Text.RegularExpressions;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Hugging Face compiles split patterns with Oniguruma; the patterns real models ship (GPT-2, Llama 3, Qwen,
/// DeepSeek, GPT-4o) use only syntax that .NET reads the same way. The options here are the ones that keep
/// the two engines in step: culture-invariant, and no RegexOptions.ECMAScript (so \d, \w and \s are Unicode).
/// </summary>
public static class RegexTranslation
{
    /// <summary>The options every split pattern is compiled with.</summary>
    public const RegexOptions Options = RegexOptions.CultureInvariant;

    /// <summary>
    /// Oniguruma's word class: letters, all marks (.NET's <c>\w</c> leaves out spacing and enclosing marks such as
    /// Devanagari vowel signs), decimal digits, connectors and the joiners ZWNJ/ZWJ.
    /// </summary>
    public const string WordClassBody = @"\p{L}\p{M}\p{Nd}\p{Pc}\u200C\u200D";

    /// <summary>
    /// Rewrites <paramref name="pattern"/> for .NET so that <c>\w</c> means what Oniguruma means by it (see
    /// <see cref="WordClassBody"/>), inside and outside character classes; <c>\W</c> outside classes likewise.
    /// </summary>
    public static string ToDotNet(string pattern)
    {
        var builder = new System.Text.StringBuilder(pattern.Length + 16);
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                char next = pattern[i + 1];
                if (next == 'w')
                {
                    builder.Append(inClass ? WordClassBody : "[" + WordClassBody + "]");
                }
                else if (next == 'W' && !inClass)
                {
                    builder.Append("[^" + WordClassBody + "]");
                }
                else
                {
                    builder.Append(c).Append(next);
                }

                i++;
                continue;
            }

            if (c == '[' && !inClass)
            {
                inClass = true;
            }
            else if (c == ']' && inClass && pattern[i - 1] != '[' && !(i >= 2 && pattern[i - 1] == '^' && pattern[i - 2] == '['))
            {
                inClass = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Whether <paramref name="pattern"/> compiles; the error otherwise.</summary>
    public static bool IsValid(string pattern, out string? error)
    {
        try
        {
            _ = new Regex(ToDotNet(pattern), Options);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
    }
}
