using System;
using System.Buffers;
using System.Text;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Hugging Face's WordPiece: from the start of the word, the longest token that matches (with the continuation prefix
/// after the first), repeatedly; a word with no such split, or longer than the character limit, is the unknown token.
/// </summary>
internal sealed class WordPieceModel(Internal.TokenizerTables tables, int unknownId, string prefix, int maxCharsPerWord) : IWordModel
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(prefix);

    public int Encode(ReadOnlySpan<byte> piece, Span<int> output)
    {
        if (Encoding.UTF8.GetCharCount(piece) > maxCharsPerWord)
        {
            return Unknown(piece, output);
        }

        int count = 0;
        int needed = _prefix.Length + piece.Length;
        byte[]? rented = needed > 256 ? ArrayPool<byte>.Shared.Rent(needed) : null;
        Span<byte> buffer = rented ?? stackalloc byte[256];
        _prefix.CopyTo(buffer);
        try
        {
            count = Split(piece, buffer, output);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return count;
    }

    private int Split(ReadOnlySpan<byte> piece, Span<byte> buffer, Span<int> output)
    {
        int count = 0;
        for (int start = 0; start < piece.Length;)
        {
            int end = piece.Length, id = -1;
            while (start < end)
            {
                ReadOnlySpan<byte> candidate = piece[start..end];
                if (start > 0)
                {
                    candidate.CopyTo(buffer[_prefix.Length..]);
                    candidate = buffer[..(_prefix.Length + (end - start))];
                }

                id = tables.Lookup(candidate);
                if (id >= 0)
                {
                    break;
                }

                // Drop the last character.
                end--;
                while (end > start && (piece[end] & 0xC0) == 0x80)
                {
                    end--;
                }
            }

            if (id < 0)
            {
                return Unknown(piece, output);
            }

            output[count++] = id;
            start = end;
        }

        return count;
    }

    private int Unknown(ReadOnlySpan<byte> piece, Span<int> output)
    {
        if (unknownId < 0)
        {
            throw new InvalidOperationException($"'{Encoding.UTF8.GetString(piece)}' cannot be split into WordPiece tokens and the model has no unknown token.");
        }

        output[0] = unknownId;
        return 1;
    }
}
