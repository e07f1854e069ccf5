using System.Globalization;
using System.Text;

namespace TokenizerCompiler.HuggingFace;

/// <summary>The character rules of Hugging Face's BertNormalizer.</summary>
internal static class BertText
{
    /// <summary>
    /// Drops NUL, U+FFFD and "other" characters (control, format, private use, surrogate) except tab, CR and LF; turns
    /// whitespace into spaces. Unassigned code points are kept, as Hugging Face keeps them (its category tables do not
    /// include Cn), which matters for characters newer than either side's Unicode data, such as 2025's emoji.
    /// </summary>
    public static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i += Rune.GetRuneAt(text, i).Utf16SequenceLength)
        {
            Rune rune = Rune.GetRuneAt(text, i);
            if (rune.Value is 0 or 0xFFFD || (rune.Value is not ('\t' or '\n' or '\r') && IsOther(Rune.GetUnicodeCategory(rune))))
            {
                continue;
            }

            if (rune.Value is '\t' or '\n' or '\r' || Rune.IsWhiteSpace(rune))
            {
                builder.Append(' ');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>Puts a space on each side of every CJK ideograph (BertNormalizer's ranges).</summary>
    public static string SpaceChineseCharacters(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i += Rune.GetRuneAt(text, i).Utf16SequenceLength)
        {
            Rune rune = Rune.GetRuneAt(text, i);
            if (IsChinese(rune.Value))
            {
                builder.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>Removes non-spacing marks (Mn) only, as BertNormalizer's strip_accents does after NFD.</summary>
    public static string StripNonSpacingMarks(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i += Rune.GetRuneAt(text, i).Utf16SequenceLength)
        {
            Rune rune = Rune.GetRuneAt(text, i);
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    private static bool IsOther(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    private static bool IsChinese(int c) =>
        c is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F)
            or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B920 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
