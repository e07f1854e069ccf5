using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Text;

namespace TokenizerCompiler.HuggingFace;

/// <summary>Applies a tokenizer's normalizer steps to a stretch of text, in order.</summary>
internal sealed class TextNormalizer
{
    private readonly NormalizerStep[] _steps;
    private readonly Regex?[] _regexes;

    public TextNormalizer(IReadOnlyList<NormalizerStep> steps)
    {
        _steps = new NormalizerStep[steps.Count];
        _regexes = new Regex?[steps.Count];
        for (int i = 0; i < steps.Count; i++)
        {
            _steps[i] = steps[i];
            if (steps[i] is { Kind: NormalizerKind.Replace, IsRegex: true })
            {
                _regexes[i] = new Regex(RegexTranslation.ToDotNet(steps[i].Pattern), RegexTranslation.Options | RegexOptions.Compiled);
            }
        }

        IsChunkable = Array.TrueForAll(_steps, step => step.Kind switch
        {
            NormalizerKind.Nfc or NormalizerKind.Nfd or NormalizerKind.Nfkc or NormalizerKind.Nfkd or NormalizerKind.Lowercase => true,
            NormalizerKind.BertCleanText or NormalizerKind.BertChineseChars or NormalizerKind.BertStripAccents => true,
            NormalizerKind.Replace => !step.IsRegex && step.Pattern.Length == 1,
            _ => false,
        });
    }

    /// <summary>Whether there is nothing to do.</summary>
    public bool IsEmpty => _steps.Length == 0;

    /// <summary>
    /// Whether normalizing text in pieces cut before ASCII characters gives the same result as normalizing it whole:
    /// true for the Unicode forms (an ASCII character is a starter that composes with nothing before it), lower-casing
    /// and single-character replacements; false for Strip, Prepend and longer or regular-expression replacements.
    /// </summary>
    public bool IsChunkable { get; private set; }

    /// <summary>Chunks of at least this many characters keep the per-chunk cost low.</summary>
    private const int ChunkLength = 256;

    /// <summary>
    /// Normalizes <paramref name="text"/> chunk by chunk, cutting before ASCII characters (see <see cref="IsChunkable"/>),
    /// and records where each chunk starts in both texts.
    /// </summary>
    public string NormalizeInChunks(ReadOnlySpan<char> text, int originalOffset, NormalizedOffsets offsets)
    {
        var builder = new StringBuilder(text.Length + 16);
        int start = 0;
        while (start < text.Length)
        {
            // Cut before a space where there is one soon (split patterns start pieces there, so the chunk start is a
            // piece start whose place in the input is then known), else before any ASCII character.
            int end = Math.Min(text.Length, start + ChunkLength);
            int space = end < text.Length ? text[end..Math.Min(text.Length, end + ChunkLength)].IndexOf(' ') : -1;
            if (space >= 0)
            {
                end += space;
            }

            while (end < text.Length && text[end] >= 0x80)
            {
                end++;
            }

            offsets.Add(builder.Length, originalOffset + start);
            builder.Append(Normalize(text[start..end].ToString()));
            start = end;
        }

        offsets.Add(builder.Length, originalOffset + text.Length);
        return builder.ToString();
    }

    /// <summary>
    /// Whether every step leaves the UTF-8 <paramref name="text"/> as it is; only answered for Unicode normalization
    /// forms (a quick check on a pooled UTF-16 copy), false for anything else.
    /// </summary>
    public bool LeavesUnchanged(ReadOnlySpan<byte> text)
    {
        QuickCheckResult quick = QuickCheck(text);
        if (quick != QuickCheckResult.Maybe)
        {
            return quick == QuickCheckResult.Yes;
        }

        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(16, text.Length));
        try
        {
            int length = Encoding.UTF8.GetChars(text, chars);
            ReadOnlySpan<char> span = chars.AsSpan(0, length);
            if (span.Contains('\uFFFE'))
            {
                return false;
            }

            foreach (NormalizerStep step in _steps)
            {
                NormalizationForm? form = FormOf(step.Kind);
                if (form is null || !span.IsNormalized(form.Value))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>
    /// What the code points' quick check (<see cref="NormalizationQuickCheck.CheckAskingAroundSlow"/>) says of every
    /// step leaving <paramref name="text"/> as it is, ICU asked only about the few characters around each slow one:
    /// yes when it says so of every step, no when it says so of one, otherwise maybe (also while a form's tables are
    /// being built, and for a step that is not a form).
    /// </summary>
    private QuickCheckResult QuickCheck(ReadOnlySpan<byte> text)
    {
        var result = QuickCheckResult.Yes;
        foreach (NormalizerStep step in _steps)
        {
            if (FormOf(step.Kind) is not { } form || NormalizationQuickCheck.For(form) is not { } check)
            {
                return QuickCheckResult.Maybe;
            }

            QuickCheckResult answer = check.CheckAskingAroundSlow(text);
            if (answer == QuickCheckResult.No)
            {
                return answer;
            }

            if (answer == QuickCheckResult.Maybe)
            {
                result = answer;
            }
        }

        return result;
    }

    /// <summary>
    /// The normalized form of the UTF-8 <paramref name="text"/>, as UTF-8 in a pooled array (return it to
    /// <see cref="ArrayPool{T}.Shared"/>), <paramref name="length"/> bytes long. When every step is a Unicode form it
    /// is normalized in two pooled UTF-16 buffers of twice the text's byte count (at least twice its characters),
    /// and allocates nothing; otherwise through strings: for a step that is not a form, for U+FFFE (see
    /// <see cref="Normalized"/>), and for a form that outgrows the buffers (compatibility forms can make 18
    /// characters of one).
    /// </summary>
    public byte[] NormalizeToUtf8(ReadOnlySpan<byte> text, out int length)
    {
        long capacity = (2L * text.Length) + 16;
        if (capacity > Array.MaxLength)
        {
            return ToPooledUtf8(Normalize(Encoding.UTF8.GetString(text)), out length);
        }

        char[] first = ArrayPool<char>.Shared.Rent((int)capacity);
        char[] second = ArrayPool<char>.Shared.Rent(first.Length);
        try
        {
            int count = Encoding.UTF8.GetChars(text, first);
            char[] current = first, other = second;
            bool done = !current.AsSpan(0, count).Contains('\uFFFE');
            foreach (NormalizerStep step in _steps)
            {
                if (!done || FormOf(step.Kind) is not { } form)
                {
                    done = false;
                    break;
                }

                ReadOnlySpan<char> source = current.AsSpan(0, count);
                if (!source.IsNormalized(form))
                {
                    done = source.TryNormalize(other, out count, form);
                    (current, other) = (other, current);
                }
            }

            return done
                ? ToPooledUtf8(current.AsSpan(0, count), out length)
                : ToPooledUtf8(Normalize(Encoding.UTF8.GetString(text)), out length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(first);
            ArrayPool<char>.Shared.Return(second);
        }
    }

    /// <summary><paramref name="chars"/> as UTF-8 in a pooled array, <paramref name="length"/> bytes long.</summary>
    private static byte[] ToPooledUtf8(ReadOnlySpan<char> chars, out int length)
    {
        byte[] bytes = ArrayPool<byte>.Shared.Rent(Math.Max(16, Encoding.UTF8.GetMaxByteCount(chars.Length)));
        length = Encoding.UTF8.GetBytes(chars, bytes);
        return bytes;
    }

    /// <summary>The Unicode normalization form a step applies, or null for a step that is not one.</summary>
    private static NormalizationForm? FormOf(NormalizerKind kind) => kind switch
    {
        NormalizerKind.Nfc => NormalizationForm.FormC,
        NormalizerKind.Nfd => NormalizationForm.FormD,
        NormalizerKind.Nfkc => NormalizationForm.FormKC,
        NormalizerKind.Nfkd => NormalizationForm.FormKD,
        _ => null,
    };

    /// <summary>The normalized form of <paramref name="text"/>.</summary>
    public string Normalize(string text)
    {
        for (int i = 0; i < _steps.Length && text.Length > 0; i++)
        {
            NormalizerStep step = _steps[i];
            text = step.Kind switch
            {
                NormalizerKind.Nfc => Normalized(text, NormalizationForm.FormC),
                NormalizerKind.Nfd => Normalized(text, NormalizationForm.FormD),
                NormalizerKind.Nfkc => Normalized(text, NormalizationForm.FormKC),
                NormalizerKind.Nfkd => Normalized(text, NormalizationForm.FormKD),
                NormalizerKind.Lowercase => text.ToLowerInvariant(),
                NormalizerKind.Strip => Strip(text, step.Left, step.Right),
                NormalizerKind.StripAccents => StripAccents(text),
                NormalizerKind.Replace => _regexes[i] is Regex regex ? regex.Replace(text, step.Content) : text.Replace(step.Pattern, step.Content, StringComparison.Ordinal),
                NormalizerKind.Prepend => step.Content + text,
                NormalizerKind.BertCleanText => BertText.Clean(text),
                NormalizerKind.BertChineseChars => BertText.SpaceChineseCharacters(text),
                NormalizerKind.BertStripAccents => BertText.StripNonSpacingMarks(Normalized(text, NormalizationForm.FormD)),
                _ => throw new InvalidOperationException($"normalizer {step.Kind} has no implementation"),
            };
        }

        return text;
    }

    private static string Normalized(string text, NormalizationForm form)
    {
        // Text from the encoder is well-formed (lone surrogates were replaced with U+FFFD). .NET still rejects the
        // noncharacter U+FFFE, which Unicode normalization leaves alone (it has no decomposition and composes with
        // nothing): normalize the stretches around it.
        if (text.IndexOf('\uFFFE') < 0)
        {
            return text.IsNormalized(form) ? text : text.Normalize(form);
        }

        string[] parts = text.Split('\uFFFE');
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Normalize(form);
        }

        return string.Join("\uFFFE", parts);
    }

    private static string Strip(string text, bool left, bool right)
    {
        int start = 0, end = text.Length;
        while (left && start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (right && end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return text.Substring(start, end - start);
    }

    private static string StripAccents(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            // Hugging Face removes every combining mark: non-spacing, spacing and enclosing.
            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
