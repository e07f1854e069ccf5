using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Where a SentencePiece-style word (▁ for spaces) may be cut without changing its BPE result: before a ▁, unless
/// some token of the vocabulary has the character before it followed by a ▁ (a merge could then cross the cut), or
/// that character is a ▁ itself. The ASCII characters are a bitmap, because the question is asked once per word.
/// </summary>
internal sealed class WordStarts
{
    private readonly ulong _asciiLow;   // characters 0-63 that block a cut
    private readonly ulong _asciiHigh;  // characters 64-127 that block a cut
    private readonly HashSet<int> _other;

    /// <summary>Creates the set from the characters that some token has right before a ▁.</summary>
    public WordStarts(HashSet<int> before)
    {
        _other = new HashSet<int>();
        foreach (int value in before)
        {
            if (value < 64)
            {
                _asciiLow |= 1UL << value;
            }
            else if (value < 128)
            {
                _asciiHigh |= 1UL << (value - 64);
            }
            else
            {
                _other.Add(value);
            }
        }

        _other.Add(0x2581); // ▁▁ runs are tokens of their own: never cut between two marks
    }

    /// <summary>Whether <paramref name="word"/> can be cut right before the ▁ at <paramref name="at"/> (not 0).</summary>
    public bool CanSplitBefore(ReadOnlySpan<byte> word, int at)
    {
        byte last = word[at - 1];
        if (last < 0x80)
        {
            return ((last < 64 ? _asciiLow >> last : _asciiHigh >> (last - 64)) & 1) == 0;
        }

        return CharacterBefore(word, at) is int previous && !_other.Contains(previous);
    }

    /// <summary>The character that ends right before <paramref name="at"/>, or null if the bytes there are not UTF-8.</summary>
    public static int? CharacterBefore(ReadOnlySpan<byte> text, int at)
    {
        int start = at - 1;
        while (start > 0 && (text[start] & 0xC0) == 0x80)
        {
            start--;
        }

        return Rune.DecodeFromUtf8(text[start..at], out Rune previous, out int consumed) == OperationStatus.Done && consumed == at - start
            ? previous.Value
            : null;
    }
}
