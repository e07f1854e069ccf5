using System;
using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Writes the bytes of <paramref name="ids"/> into <paramref name="destination"/>. Stops before the first
    /// id that does not fit (<see cref="OperationStatus.DestinationTooSmall"/>) or is not a token id
    /// (<see cref="OperationStatus.InvalidData"/>); <paramref name="idsConsumed"/> says where.
    /// </summary>
    /// <remarks>
    /// Hugging Face vocabularies decode as their decoder says: each token's decoded bytes (ByteLevel, ByteFallback,
    /// Metaspace and Replace applied), leading spaces stripped from the start of the output where the decoder strips
    /// them, and tokens joined with spaces where the tokenizer has no decoder. Those whole-output rules apply per call.
    /// Bytes of <paramref name="destination"/> after the first <paramref name="bytesWritten"/> may be overwritten:
    /// tokens are moved sixteen bytes at a time.
    /// </remarks>
    public OperationStatus DecodeToUtf8(ReadOnlySpan<int> ids, Span<byte> destination, out int idsConsumed, out int bytesWritten)
    {
        if (!_decoder.JoinWithSpace)
        {
            return DecodeConcatenated(ids, destination, out idsConsumed, out bytesWritten);
        }

        int written = 0;
        int stripLeft = _decoder.StripLeadingSpaces;
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            if (!IsValidId(id))
            {
                idsConsumed = i;
                bytesWritten = written;
                return OperationStatus.InvalidData;
            }

            ReadOnlySpan<byte> token = DecodedToken(i, id, written, ref stripLeft, out bool spaceBefore);
            int needed = token.Length + (spaceBefore ? 1 : 0);
            if (needed > destination.Length - written)
            {
                idsConsumed = i;
                bytesWritten = written;
                return OperationStatus.DestinationTooSmall;
            }

            if (spaceBefore)
            {
                destination[written++] = (byte)' ';
            }

            token.CopyTo(destination.Slice(written));
            written += token.Length;
        }

        idsConsumed = ids.Length;
        bytesWritten = written;
        return OperationStatus.Done;
    }

    /// <summary>
    /// Decodes where tokens are joined with nothing between them (tiktoken, and Hugging Face decoders other than the
    /// space-joining default): once the leading spaces the decoder strips are gone, the output is each token's decoded
    /// bytes in turn, which the tables copy in blocks (<see cref="Internal.TokenizerTables.CopyDecodedBytes"/>).
    /// </summary>
    private OperationStatus DecodeConcatenated(ReadOnlySpan<int> ids, Span<byte> destination, out int idsConsumed, out int bytesWritten)
    {
        OperationStatus status = DecodeStrippedStart(ids, destination, out int start, out int written);
        if (status != OperationStatus.Done)
        {
            idsConsumed = start;
            bytesWritten = written;
            return status;
        }

        status = _tables.CopyDecodedBytes(ids[start..], destination[written..], out int consumed, out int copied);
        idsConsumed = start + consumed;
        bytesWritten = written + copied;
        return status;
    }

    /// <summary>
    /// Decodes the first ids of a concatenating decode one at a time while the decoder still strips leading spaces
    /// (none where it strips none). On <see cref="OperationStatus.Done"/>, the ids after <paramref name="idsConsumed"/>
    /// decode to their plain decoded bytes, whatever follows.
    /// </summary>
    private OperationStatus DecodeStrippedStart(ReadOnlySpan<int> ids, Span<byte> destination, out int idsConsumed, out int bytesWritten)
    {
        int i = 0;
        int written = 0;
        int stripLeft = _decoder.StripLeadingSpaces;
        for (; i < ids.Length && written == 0 && stripLeft > 0; i++)
        {
            int id = ids[i];
            if (!IsValidId(id))
            {
                idsConsumed = i;
                bytesWritten = 0;
                return OperationStatus.InvalidData;
            }

            ReadOnlySpan<byte> token = DecodedToken(i, id, written, ref stripLeft, out _);
            if (!token.TryCopyTo(destination))
            {
                idsConsumed = i;
                bytesWritten = 0;
                return OperationStatus.DestinationTooSmall;
            }

            written = token.Length;
        }

        idsConsumed = i;
        bytesWritten = written;
        return OperationStatus.Done;
    }

    /// <summary>The number of bytes <paramref name="ids"/> decode to.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not a token id of this vocabulary.</exception>
    public int GetDecodedByteCount(ReadOnlySpan<int> ids)
    {
        int length = CheckedDecodedLength(ids, out int invalidAt);
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ids), ids[invalidAt], $"{ids[invalidAt]} is not a token id of {Name} (vocabulary size {VocabularySize}).");
        }

        return length;
    }

    /// <summary>The decoded length of <paramref name="ids"/>, or -1 with the index of the first id that is not a token.</summary>
    private int CheckedDecodedLength(ReadOnlySpan<int> ids, out int invalidAt)
    {
        if (_pipeline is null)
        {
            return _tables.TokenBytesLength(ids, out invalidAt); // tiktoken: a plain sum, no decoder rules
        }

        for (int i = 0; i < ids.Length; i++)
        {
            if (!IsValidId(ids[i]))
            {
                invalidAt = i;
                return -1;
            }
        }

        invalidAt = -1;
        return DecodedLength(ids);
    }

    /// <summary>The decoded length of valid <paramref name="ids"/>.</summary>
    private int DecodedLength(ReadOnlySpan<int> ids)
    {
        int total = 0;
        int stripLeft = _decoder.StripLeadingSpaces;
        for (int i = 0; i < ids.Length; i++)
        {
            total += DecodedToken(i, ids[i], total, ref stripLeft, out bool spaceBefore).Length + (spaceBefore ? 1 : 0);
        }

        return total;
    }

    /// <summary>
    /// The bytes id <paramref name="id"/> adds at position <paramref name="index"/> of a decode call that has written
    /// <paramref name="written"/> bytes so far, and whether a joining space goes before them.
    /// </summary>
    private ReadOnlySpan<byte> DecodedToken(int index, int id, int written, ref int stripLeft, out bool spaceBefore)
    {
        ReadOnlySpan<byte> token = _tables.DecodedBytes(id);
        spaceBefore = _decoder.JoinWithSpace && index > 0;
        if (written == 0 && stripLeft > 0)
        {
            while (stripLeft > 0 && token.Length > 0 && token[0] == (byte)' ')
            {
                token = token[1..];
                stripLeft--;
            }

            // Stripping ends at the first byte that stays.
            stripLeft = token.Length > 0 ? 0 : stripLeft;
        }

        return token;
    }

    /// <summary>Decodes <paramref name="ids"/> to a string (invalid UTF-8 becomes U+FFFD).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not a token id of this vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        // Chars are at most the bytes: a UTF-8 byte gives at most one UTF-16 char (four bytes give two).
        int byteCount = GetDecodedByteCount(ids);
        char[] rented = ArrayPool<char>.Shared.Rent(Math.Max(1, byteCount));
        try
        {
            DecodeToChars(ids, rented, out _, out int chars);
            return new string(rented, 0, chars);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes <paramref name="ids"/> to their bytes in a new array.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not a token id of this vocabulary.</exception>
    public byte[] DecodeToBytes(ReadOnlySpan<int> ids)
    {
        var bytes = new byte[GetDecodedByteCount(ids)];
        DecodeToUtf8(ids, bytes, out _, out _);
        return bytes;
    }
}
