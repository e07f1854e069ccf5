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

        OperationStatus status = _tables.CopyDecodedBytes(ids[i..], destination[written..], out int consumed, out int copied);
        idsConsumed = i + consumed;
        bytesWritten = written + copied;
        return status;
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

    /// <summary>
    /// Decodes <paramref name="ids"/> to UTF-16. Byte sequences that are not valid UTF-8 (for example a
    /// multi-byte character cut between two ids at the end) become U+FFFD, as tiktoken's <c>decode</c> does.
    /// On <see cref="OperationStatus.DestinationTooSmall"/>, <paramref name="idsConsumed"/> ids decoded to
    /// exactly <paramref name="charsWritten"/> chars, and decoding the rest gives the remaining text.
    /// </summary>
    public OperationStatus DecodeToChars(ReadOnlySpan<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        if (TryDecodeAllToChars(ids, destination, out charsWritten))
        {
            idsConsumed = ids.Length;
            return OperationStatus.Done;
        }

        int byteCount = CheckedDecodedLength(ids, out int invalidAt);
        if (byteCount < 0)
        {
            // Decode what comes before the bad id, then report it.
            OperationStatus prefix = DecodeToChars(ids[..invalidAt], destination, out idsConsumed, out charsWritten);
            return prefix == OperationStatus.Done ? OperationStatus.InvalidData : prefix;
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, byteCount));
        try
        {
            DecodeToUtf8(ids, rented, out _, out int bytes);
            ReadOnlySpan<byte> utf8 = rented.AsSpan(0, bytes);
            OperationStatus status = Utf8.ToUtf16(utf8, destination, out int fitting, out charsWritten, replaceInvalidSequences: true, isFinalBlock: true);
            if (status == OperationStatus.Done)
            {
                idsConsumed = ids.Length;
                return OperationStatus.Done;
            }

            // Keep the longest run of whole ids whose bytes decode completely into the destination: only the
            // first `fitting` bytes fit, so start from the most ids within those and step back past any
            // character that the last kept id leaves incomplete (a few ids at most, so this stays linear).
            int keep = 0;
            int prefixBytes = 0;
            int stripLeft = _decoder.StripLeadingSpaces;
            while (keep < ids.Length)
            {
                int state = stripLeft;
                int added = DecodedToken(keep, ids[keep], prefixBytes, ref state, out bool spaceBefore).Length + (spaceBefore ? 1 : 0);
                if (prefixBytes + added > fitting)
                {
                    break;
                }

                prefixBytes += added;
                stripLeft = state;
                keep++;
            }

            for (; keep >= 0; keep--)
            {
                status = Utf8.ToUtf16(utf8[..prefixBytes], destination, out int read, out charsWritten, replaceInvalidSequences: true, isFinalBlock: false);
                if (status == OperationStatus.Done && read == prefixBytes)
                {
                    idsConsumed = keep;
                    return OperationStatus.DestinationTooSmall;
                }

                if (keep > 0)
                {
                    prefixBytes = DecodedLength(ids[..(keep - 1)]);
                }
            }

            idsConsumed = 0;
            charsWritten = 0;
            return OperationStatus.DestinationTooSmall;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The usual call, where every id is valid and the text fits: decode to UTF-8 in a pooled buffer and transcode,
    /// without first measuring the bytes (a pass over the ids that cost about as much as the decode). A UTF-16 char
    /// comes from at most three UTF-8 bytes (a U+FFFD from one to three), so bytes beyond three per char of
    /// <paramref name="destination"/> could not fit anyway; the buffer is also capped at sixteen bytes an id. Any
    /// other outcome returns false, and the caller's exact path starts over.
    /// </summary>
    private bool TryDecodeAllToChars(ReadOnlySpan<int> ids, Span<char> destination, out int charsWritten)
    {
        int room = (int)Math.Min(3L * destination.Length, (16L * ids.Length) + 16);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, room));
        try
        {
            charsWritten = 0;
            return DecodeToUtf8(ids, rented.AsSpan(0, room), out _, out int bytes) == OperationStatus.Done
                && Utf8.ToUtf16(rented.AsSpan(0, bytes), destination, out _, out charsWritten, replaceInvalidSequences: true, isFinalBlock: true) == OperationStatus.Done;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes <paramref name="ids"/> to a string (invalid UTF-8 becomes U+FFFD).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not a token id of this vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        int byteCount = GetDecodedByteCount(ids);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, byteCount));
        try
        {
            DecodeToUtf8(ids, rented, out _, out int bytes);
            return Encoding.UTF8.GetString(rented, 0, bytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
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
