using System;
using System.Buffers;
using System.Text;
using TokenizerCompiler.Internal;
using TokenizerCompiler.Text;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Encodes raw bytes for vocabularies that write one Latin-1 character per byte (Binary BPE): byte <c>b</c>
    /// is the character U+00<c>b</c>, exactly as Hugging Face sees a file read as Latin-1. Progress is reported as for
    /// <see cref="EncodeToIds(ReadOnlySpan{char}, Span{int}, out int, out int, SpecialTokenPolicy)"/>, in bytes of
    /// <paramref name="data"/>; so is the offset of a disallowed special token.
    /// </summary>
    /// <param name="data">The bytes (a whole file is one BPE word in Binary BPE, encoded by a search that is near linear in its length).</param>
    /// <param name="destination">Receives the ids.</param>
    /// <param name="bytesConsumed">How many bytes the written ids cover.</param>
    /// <param name="idsWritten">How many ids were written.</param>
    /// <param name="policy">Whether special-token text in the data is matched; binary data is usually encoded as plain text.</param>
    public OperationStatus EncodeBinary(ReadOnlySpan<byte> data, Span<int> destination, out int bytesConsumed, out int idsWritten,
        SpecialTokenPolicy policy = SpecialTokenPolicy.TreatAsText)
    {
        int direct = EncodeLatin1Directly(data, destination, policy);
        if (direct >= 0)
        {
            bytesConsumed = data.Length;
            idsWritten = direct;
            return OperationStatus.Done;
        }

        using var utf8 = Utf8Text.FromLatin1(data);
        bool done = EncodeInto(utf8, destination, policy, out int consumed, out idsWritten);
        bytesConsumed = done ? data.Length : utf8.CharsForBytes(consumed);
        return done ? OperationStatus.Done : OperationStatus.DestinationTooSmall;
    }

    /// <summary>Encodes raw bytes (one Latin-1 character per byte) and returns the ids in a new array.</summary>
    public int[] EncodeBinary(ReadOnlySpan<byte> data, SpecialTokenPolicy policy = SpecialTokenPolicy.TreatAsText)
    {
        if (_pipeline is not null && data.Length > PieceCache.MaxKeyLength)
        {
            int[] rented = ArrayPool<int>.Shared.Rent(data.Length);
            try
            {
                int direct = EncodeLatin1Directly(data, rented, policy);
                if (direct >= 0)
                {
                    return rented.AsSpan(0, direct).ToArray();
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }

        using var utf8 = Utf8Text.FromLatin1(data);
        ThrowIfDisallowed(utf8, policy);
        return EncodeToArray(utf8.Bytes, policy);
    }

    /// <summary>
    /// Encodes <paramref name="data"/> as one word straight from its bytes when the pipeline allows it (see
    /// <see cref="HuggingFace.WholeStretchPipeline.EncodeLatin1"/>): the ids, or -1 to take the UTF-8 path. Not under
    /// <see cref="SpecialTokenPolicy.Disallow"/>, which must look for special-token text first.
    /// </summary>
    private int EncodeLatin1Directly(ReadOnlySpan<byte> data, Span<int> destination, SpecialTokenPolicy policy) =>
        policy != SpecialTokenPolicy.Disallow && _pipeline is { } pipeline ? pipeline.EncodeLatin1(data, policy, destination) : -1;

    /// <summary>
    /// Decodes ids of a one-character-per-byte vocabulary back to the bytes they stand for. Stops at an id that is not
    /// a token or whose text holds a character above U+00FF (<see cref="OperationStatus.InvalidData"/>), or that does
    /// not fit (<see cref="OperationStatus.DestinationTooSmall"/>).
    /// </summary>
    public OperationStatus DecodeBinary(ReadOnlySpan<int> ids, Span<byte> destination, out int idsConsumed, out int bytesWritten)
    {
        bytesWritten = 0;
        Span<char> chars = stackalloc char[128];
        for (idsConsumed = 0; idsConsumed < ids.Length; idsConsumed++)
        {
            int id = ids[idsConsumed];
            if (!IsValidId(id))
            {
                return OperationStatus.InvalidData;
            }

            ReadOnlySpan<byte> text = _tables.TokenBytes(id);
            char[]? rented = null;
            Span<char> buffer = text.Length <= chars.Length ? chars : (rented = ArrayPool<char>.Shared.Rent(text.Length));
            try
            {
                int count = Encoding.UTF8.GetChars(text, buffer);
                if (count > destination.Length - bytesWritten)
                {
                    return OperationStatus.DestinationTooSmall;
                }

                for (int i = 0; i < count; i++)
                {
                    if (buffer[i] > '\u00FF')
                    {
                        return OperationStatus.InvalidData;
                    }
                }

                for (int i = 0; i < count; i++)
                {
                    destination[bytesWritten + i] = (byte)buffer[i];
                }

                bytesWritten += count;
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }

        return OperationStatus.Done;
    }

    /// <summary>Decodes ids of a one-character-per-byte vocabulary to a new byte array.</summary>
    /// <exception cref="ArgumentException">An id is not a token, or its text is not one character per byte.</exception>
    public byte[] DecodeBinary(ReadOnlySpan<int> ids)
    {
        int capacity = 0;
        foreach (int id in ids)
        {
            capacity += IsValidId(id) ? _tables.TokenLength(id) : 0;
        }

        byte[] buffer = new byte[capacity];
        if (DecodeBinary(ids, buffer, out int consumed, out int written) != OperationStatus.Done)
        {
            throw new ArgumentException($"id {ids[consumed]} at index {consumed} is not a token of {Name} that stands for bytes.", nameof(ids));
        }

        return buffer.AsSpan(0, written).ToArray();
    }
}
