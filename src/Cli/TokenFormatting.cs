using System;
using System.Buffers;
using System.Globalization;
using System.Text;

namespace TokenizerCompiler.CommandLine;

/// <summary>
/// Renders token bytes for people: one line per token, so nothing may break the line or hide. Printable text
/// is shown as is; tab, CR, LF and backslash as C escapes; other invisible characters as <c>\u{XXXX}</c>; and
/// bytes that are not (complete) UTF-8, which byte-level tokens often are, as <c>&lt;0xE2&gt;</c>.
/// </summary>
internal static class TokenFormatting
{
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length + 8);
        while (!bytes.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf8(bytes, out Rune rune, out int consumed);
            if (status == OperationStatus.Done)
            {
                AppendRune(builder, rune);
            }
            else
            {
                // Invalid or truncated sequence: consumed is the length of the bad prefix (at least one byte).
                consumed = Math.Max(consumed, 1);
                for (int i = 0; i < consumed; i++)
                {
                    builder.Append("<0x").Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture)).Append('>');
                }
            }

            bytes = bytes[consumed..];
        }

        return builder.ToString();
    }

    private static void AppendRune(StringBuilder builder, Rune rune)
    {
        switch (rune.Value)
        {
            case '\\':
                builder.Append(@"\\");
                return;
            case '\n':
                builder.Append(@"\n");
                return;
            case '\r':
                builder.Append(@"\r");
                return;
            case '\t':
                builder.Append(@"\t");
                return;
        }

        if (IsInvisible(Rune.GetUnicodeCategory(rune)))
        {
            builder.Append(@"\u{").Append(rune.Value.ToString("X4", CultureInfo.InvariantCulture)).Append('}');
            return;
        }

        builder.Append(rune.ToString());
    }

    private static bool IsInvisible(UnicodeCategory category) => category is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or
        UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or
        UnicodeCategory.Surrogate;
}
