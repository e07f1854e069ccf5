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

    /// <summary>Whether <paramref name="pattern"/> compiles; the error otherwise.</summary>
    public static bool IsValid(string pattern, out string? error)
    {
        try
        {
            _ = new Regex(pattern, Options);
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
