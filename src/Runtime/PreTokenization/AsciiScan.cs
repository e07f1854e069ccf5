using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// The ASCII fast paths of the scanners. Prose, code and legal text are mostly ASCII, where each split
/// pattern reduces to a few byte-class runs; these decide a piece from one table load per byte and give up
/// (return -1) the moment the piece or the byte that ends it is not ASCII, because only then can a
/// non-ASCII letter, mark, digit or space change the answer. The general scanners stay the reference: a
/// test runs both on the same generated text and compares every boundary.
/// </summary>
internal static class AsciiScan
{
    /// <summary>
    /// Whether letter runs are measured sixteen bytes at a time (where the hardware has vectors). Tests switch it
    /// off to run the scalar path on the same inputs; both give the same boundaries, so flipping it is always safe.
    /// </summary>
    internal static bool Vectorized = Vector128.IsHardwareAccelerated;

    /// <summary>Set for every byte of 0x80 and above.</summary>
    private const byte NonAscii = 128;

    private const byte Letter = CharClass.Letter;
    private const byte Number = CharClass.Number;
    private const byte Space = CharClass.Space;
    private const byte Upper = CharClass.Upperish;
    private const byte Lower = CharClass.Lowerish;
    private const byte LineBreak = CharClass.LineBreak;

    /// <summary>
    /// <see cref="CharClass"/> flags by byte: letters, digits, the six ASCII white-space characters, CR and LF;
    /// <see cref="NonAscii"/> for 0x80-0xFF. Stored in the assembly's data section, so nothing is built at start-up.
    /// </summary>
    private static ReadOnlySpan<byte> Flags =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 36, 4, 4, 36, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0,
        0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
        9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0, 0, 0,
        0, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17,
        17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 0, 0, 0, 0, 0,
        128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
        128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
        128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
        128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
        128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
        128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
        128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
        128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    ];

    /// <summary>o200k_base's pieces (see <see cref="O200kScanner"/>), or -1 when the piece needs the general scanner.</summary>
    public static int O200k(ReadOnlySpan<byte> text, int start)
    {
        byte first = FlagsAt(text, start);
        if ((first & (Letter | Number | LineBreak | NonAscii)) == 0)
        {
            // A prefix char (space, tab, punctuation, control) takes the word after it, if there is one.
            if (start + 1 < text.Length)
            {
                byte next = FlagsAt(text, start + 1);
                if ((next & NonAscii) != 0)
                {
                    return -1;
                }

                if ((next & Letter) != 0)
                {
                    return CasedWordEnd(text, start + 1);
                }
            }

            return PunctuationOrWhitespace(text, start, first, slash: true);
        }

        if ((first & Letter) != 0)
        {
            return CasedWordEnd(text, start);
        }

        if ((first & Number) != 0)
        {
            return DigitsEnd(text, start, maxDigits: 3);
        }

        return (first & NonAscii) != 0 ? -1 : WhitespaceEnd(text, start, lineBreakAlternative: true);
    }

    /// <summary>cl100k_base's pieces (Qwen's with <paramref name="maxDigits"/> 1), or -1 when the piece needs the general scanner.</summary>
    public static int Cl100k(ReadOnlySpan<byte> text, int start, int maxDigits)
    {
        byte first = FlagsAt(text, start);
        if ((first & NonAscii) != 0)
        {
            return -1;
        }

        if (text[start] == (byte)'\'')
        {
            int contraction = ScanPrimitives.ContractionLength(text, start, ignoreCase: true);
            if (contraction > 0)
            {
                return start + contraction;
            }
        }

        if ((first & (Letter | Number | LineBreak)) == 0)
        {
            if (start + 1 < text.Length)
            {
                byte next = FlagsAt(text, start + 1);
                if ((next & NonAscii) != 0)
                {
                    return -1;
                }

                if ((next & Letter) != 0)
                {
                    return LetterRunEnd(text, start + 1, lowerOnly: false);
                }
            }

            return PunctuationOrWhitespace(text, start, first, slash: false);
        }

        if ((first & Letter) != 0)
        {
            return LetterRunEnd(text, start, lowerOnly: false);
        }

        if ((first & Number) != 0)
        {
            return DigitsEnd(text, start, maxDigits);
        }

        return WhitespaceEnd(text, start, lineBreakAlternative: true);
    }

    /// <summary>GPT-2's pieces (see <see cref="Gpt2Scanner"/>), or -1 when the piece needs the general scanner.</summary>
    public static int Gpt2(ReadOnlySpan<byte> text, int start)
    {
        byte first = FlagsAt(text, start);
        if ((first & NonAscii) != 0)
        {
            return -1;
        }

        if (text[start] == (byte)'\'')
        {
            int contraction = ScanPrimitives.ContractionLength(text, start, ignoreCase: false);
            if (contraction > 0)
            {
                return start + contraction;
            }
        }

        int body = start;
        byte flags = first;
        if (text[start] == (byte)' ' && start + 1 < text.Length)
        {
            byte next = FlagsAt(text, start + 1);
            if ((next & NonAscii) != 0)
            {
                return -1;
            }

            if ((next & Space) == 0)
            {
                body = start + 1; // " ?" takes the space when a letter, digit or punctuation run follows
                flags = next;
            }
        }

        if ((flags & Letter) != 0)
        {
            return LetterRunEnd(text, body, lowerOnly: false);
        }

        if ((flags & Number) != 0)
        {
            return RunEnd(text, body, Number);
        }

        if ((flags & Space) == 0)
        {
            return RunEnd(text, body, NonAscii | Letter | Number | Space, invert: true);
        }

        return WhitespaceEnd(text, start, lineBreakAlternative: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte FlagsAt(ReadOnlySpan<byte> text, int index) => Unsafe.Add(ref MemoryMarshal.GetReference(Flags), text[index]);

    /// <summary>
    /// o200k's <c>[U]*[W]+|[U]+[W]*</c> and its optional contraction. In ASCII no letter is both "upper" and
    /// "lower", so both alternatives reduce to: the run of capitals, then the run of small letters.
    /// </summary>
    private static int CasedWordEnd(ReadOnlySpan<byte> text, int start)
    {
        int end = RunEnd(text, start, Upper);
        if (end >= 0)
        {
            end = LetterRunEnd(text, end, lowerOnly: true);
        }

        if (end < 0)
        {
            return -1;
        }

        return end < text.Length && text[end] == (byte)'\'' ? end + ScanPrimitives.ContractionLength(text, end, ignoreCase: true) : end;
    }

    /// <summary><c>\p{N}{1,n}</c> from an ASCII digit; -1 when a non-ASCII char could extend it.</summary>
    private static int DigitsEnd(ReadOnlySpan<byte> text, int start, int maxDigits)
    {
        int end = start + 1;
        for (int count = 1; count < maxDigits && end < text.Length; count++, end++)
        {
            byte flags = FlagsAt(text, end);
            if ((flags & NonAscii) != 0)
            {
                return -1;
            }

            if ((flags & Number) == 0)
            {
                break;
            }
        }

        return end;
    }

    /// <summary>
    /// The pattern's punctuation alternative (<c> ?[^\s\p{L}\p{N}]+</c>, then <c>[\r\n/]*</c>, or <c>[\r\n]*</c>
    /// without <paramref name="slash"/>), else its white-space alternatives, from a char that is not a letter,
    /// digit or line break.
    /// </summary>
    private static int PunctuationOrWhitespace(ReadOnlySpan<byte> text, int start, byte first, bool slash)
    {
        int runStart = text[start] == (byte)' ' ? start + 1 : start;
        int end = RunEnd(text, runStart, NonAscii | Letter | Number | Space, invert: true);
        if (end < 0)
        {
            return -1;
        }

        if (end > runStart)
        {
            while (end < text.Length && (text[end] is (byte)'\r' or (byte)'\n' || (slash && text[end] == (byte)'/')))
            {
                end++;
            }

            return end;
        }

        return (first & Space) != 0 ? WhitespaceEnd(text, start, lineBreakAlternative: true) : start + 1;
    }

    /// <summary>
    /// <c>\s*[\r\n]+</c> (when <paramref name="lineBreakAlternative"/>), <c>\s+(?!\S)</c>, <c>\s+</c> over ASCII
    /// white space; -1 when the run meets a non-ASCII char (which could be white space or decide the look-ahead).
    /// </summary>
    private static int WhitespaceEnd(ReadOnlySpan<byte> text, int start, bool lineBreakAlternative)
    {
        int index = start;
        int lastLineBreakEnd = -1;
        while (index < text.Length)
        {
            byte flags = FlagsAt(text, index);
            if ((flags & Space) == 0)
            {
                if ((flags & NonAscii) != 0)
                {
                    return -1;
                }

                break;
            }

            index++;
            if ((flags & LineBreak) != 0)
            {
                lastLineBreakEnd = index;
            }
        }

        if (lineBreakAlternative && lastLineBreakEnd > 0)
        {
            return lastLineBreakEnd;
        }

        return index == text.Length || index == start + 1 ? index : index - 1;
    }

    /// <summary>
    /// End of the run of ASCII letters (only small ones when <paramref name="lowerOnly"/>) from
    /// <paramref name="index"/>, sixteen bytes at a time: the run's length comes from a comparison mask rather than
    /// a loop whose exit the branch predictor cannot know. -1 when the run stops at a non-ASCII byte.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LetterRunEnd(ReadOnlySpan<byte> text, int index, bool lowerOnly)
    {
        if (Vectorized)
        {
            ref byte start = ref MemoryMarshal.GetReference(text);
            Vector128<byte> fold = Vector128.Create(lowerOnly ? (byte)0 : (byte)0x20);
            while (index + Vector128<byte>.Count <= text.Length)
            {
                Vector128<byte> bytes = Vector128.LoadUnsafe(ref start, (nuint)index) | fold;
                uint letters = Vector128.LessThan(bytes - Vector128.Create((byte)'a'), Vector128.Create((byte)26)).ExtractMostSignificantBits();
                if (letters != 0xFFFF)
                {
                    index += BitOperations.TrailingZeroCount(~letters);
                    return text[index] >= 0x80 ? -1 : index;
                }

                index += Vector128<byte>.Count;
            }
        }

        return RunEnd(text, index, lowerOnly ? Lower : Letter);
    }

    /// <summary>
    /// End of the run of bytes whose flags intersect <paramref name="mask"/> (or, when <paramref name="invert"/>,
    /// do not); -1 when the run stops at a non-ASCII byte that could have continued it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RunEnd(ReadOnlySpan<byte> text, int index, byte mask, bool invert = false)
    {
        while (index < text.Length)
        {
            byte flags = FlagsAt(text, index);
            if (((flags & mask) != 0) == invert)
            {
                return (flags & NonAscii) != 0 ? -1 : index;
            }

            index++;
        }

        return index;
    }
}
