using System;
using System.Buffers;
using System.Text;

namespace TokenizerCompiler.Dynamic;

/// <summary>
/// Whether two adjacent tokens may merge into one dynamic token: the paper's validity rule, with the boundary
/// that the merged bytes may not cross chosen by <see cref="MergeBoundary"/>. Depends only on the merged bytes
/// (so a merger can decide it once per distinct pair) and on the base tokenizer's split pattern.
/// </summary>
public static class DynamicMergeRules
{
    /// <summary>Whether <paramref name="merged"/>, the bytes of two adjacent tokens, may become one token.</summary>
    /// <param name="tokenizer">The base tokenizer, whose pre-tokenizer decides <see cref="MergeBoundary.PreToken"/>.</param>
    /// <param name="merged">The concatenated bytes of the two tokens (byte-level tokens may cut a UTF-8 character).</param>
    /// <param name="boundary">Which units the token may not cross.</param>
    public static bool IsValidMerge(Tokenizer tokenizer, ReadOnlySpan<byte> merged, MergeBoundary boundary)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return boundary switch
        {
            MergeBoundary.PreToken => WhitespaceOnlyLeads(merged) && IsOnePreToken(tokenizer, merged),
            MergeBoundary.Word => WhitespaceOnlyLeads(merged),
            MergeBoundary.Sentence => !CrossesSentenceOrLine(merged),
            _ => throw new ArgumentOutOfRangeException(nameof(boundary), boundary, "unknown merge boundary"),
        };
    }

    /// <summary>
    /// True when no whitespace follows a non-whitespace character (so an all-whitespace token is fine).
    /// Bytes that are not a complete UTF-8 character count as non-whitespace.
    /// </summary>
    private static bool WhitespaceOnlyLeads(ReadOnlySpan<byte> bytes)
    {
        bool seenText = false;
        while (!bytes.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf8(bytes, out Rune rune, out int length);
            bool whitespace = status == OperationStatus.Done && Rune.IsWhiteSpace(rune);
            if (whitespace && seenText)
            {
                return false;
            }

            seenText |= !whitespace;
            bytes = bytes.Slice(length);
        }

        return true;
    }

    /// <summary>
    /// The complete UTF-8 characters of <paramref name="bytes"/> (continuation bytes at the start and an
    /// incomplete sequence at the end are the halves of characters cut by byte-level tokens, and are left out)
    /// form exactly one pre-token; a token of only such fragments passes.
    /// </summary>
    private static bool IsOnePreToken(Tokenizer tokenizer, ReadOnlySpan<byte> bytes)
    {
        int start = 0;
        while (start < bytes.Length && start < 3 && (bytes[start] & 0xC0) == 0x80)
        {
            start++;
        }

        int end = bytes.Length;
        // Walk back over at most three trailing bytes looking for a lead byte whose sequence runs past the end.
        for (int i = bytes.Length - 1; i >= Math.Max(start, bytes.Length - 3); i--)
        {
            byte b = bytes[i];
            if ((b & 0xC0) != 0x80)
            {
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                if (i + needed > bytes.Length)
                {
                    end = i;
                }

                break;
            }
        }

        ReadOnlySpan<byte> core = bytes[start..end];
        return core.IsEmpty || tokenizer.CountPreTokens(core) == 1;
    }

    private static bool CrossesSentenceOrLine(ReadOnlySpan<byte> bytes)
    {
        bool seenText = false, sentenceEnded = false, pendingEnd = false;
        while (!bytes.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf8(bytes, out Rune rune, out int length);
            bytes = bytes.Slice(length);
            bool complete = status == OperationStatus.Done;
            bool whitespace = complete && Rune.IsWhiteSpace(rune);
            if (whitespace)
            {
                if (seenText && IsLineBreak(rune))
                {
                    return true;
                }

                sentenceEnded |= pendingEnd;
                pendingEnd = false;
                continue;
            }

            if (sentenceEnded)
            {
                return true;
            }

            seenText = true;
            if (complete && IsFullWidthSentenceEnd(rune))
            {
                sentenceEnded = true;
            }
            else
            {
                pendingEnd = complete && IsSentenceEnd(rune);
            }
        }

        return false;
    }

    private static bool IsLineBreak(Rune rune) => rune.Value is '\n' or '\r' or 0x0B or 0x0C or 0x85 or 0x2028 or 0x2029;

    private static bool IsSentenceEnd(Rune rune) => rune.Value is '.' or '!' or '?' or 0x2026 or 0x061F or 0x0964 or 0x104B or 0x1362;

    private static bool IsFullWidthSentenceEnd(Rune rune) => rune.Value is 0x3002 or 0xFF01 or 0xFF1F;
}
