using System;
using System.Buffers;
using System.Text;

namespace TokenizerCompiler.TokenLevel;

/// <summary>
/// Decodes ids one at a time, as a model generates them, and hands out only complete UTF-8 characters: bytes of
/// a character that a byte-level token cut are held back until the token that completes it arrives. The output
/// is always valid UTF-8, and everything it hands out (through <see cref="Append(int, Span{byte})"/> and then
/// <see cref="Flush(Span{byte})"/>) is exactly the UTF-8 of <see cref="Tokenizer.Decode(ReadOnlySpan{int})"/> for
/// the same ids: a byte that can never start or continue a character becomes U+FFFD as soon as that is certain,
/// and <see cref="Flush(Span{byte})"/> turns a trailing incomplete character into one U+FFFD. One instance per
/// stream; not thread-safe.
/// </summary>
public sealed class StreamingDecoder
{
    private static ReadOnlySpan<byte> Replacement => [0xEF, 0xBF, 0xBD];

    private readonly Tokenizer _tokenizer;
    private readonly byte[] _pending = new byte[4];
    private int _pendingLength;

    /// <summary>Creates a decoder for ids of <paramref name="tokenizer"/>.</summary>
    public StreamingDecoder(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
    }

    /// <summary>The most bytes one <see cref="Append(int, Span{byte})"/> can write: enough for the longest token and the held-back bytes, all replaced.</summary>
    public int MaxBytesPerAppend => (_tokenizer.MaxTokenLength + 3) * 3;

    /// <summary>The number of bytes held back (0 to 3): the start of a character still waiting for its last bytes.</summary>
    public int PendingByteCount => _pendingLength;

    /// <summary>Takes the next id and writes the complete UTF-8 characters now available; returns the number of bytes written.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not a token of the tokenizer.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small (<see cref="MaxBytesPerAppend"/> always suffices); nothing was consumed.</exception>
    public int Append(int id, Span<byte> destination)
    {
        ReadOnlySpan<byte> token = _tokenizer.GetTokenBytes(id);
        int length = _pendingLength + token.Length;
        byte[]? rented = null;
        Span<byte> joined = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            _pending.AsSpan(0, _pendingLength).CopyTo(joined);
            token.CopyTo(joined.Slice(_pendingLength));
            joined = joined[..length];
            int written = 0, read = 0;
            while (read < joined.Length)
            {
                OperationStatus status = Rune.DecodeFromUtf8(joined.Slice(read), out _, out int consumed);
                if (status == OperationStatus.NeedMoreData)
                {
                    break;
                }

                ReadOnlySpan<byte> output = status == OperationStatus.Done ? joined.Slice(read, consumed) : Replacement;
                if (output.Length > destination.Length - written)
                {
                    throw new ArgumentException($"the destination is too small; {MaxBytesPerAppend} bytes always suffice", nameof(destination));
                }

                output.CopyTo(destination.Slice(written));
                written += output.Length;
                read += consumed;
            }

            // Only now, with the output written, does the decoder's state change: a too-small destination consumed nothing.
            ReadOnlySpan<byte> rest = joined.Slice(read);
            rest.CopyTo(_pending);
            _pendingLength = rest.Length;
            return written;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Takes the next id and returns the complete characters now available as a string (empty while a character is incomplete).</summary>
    public string Append(int id)
    {
        Span<byte> buffer = stackalloc byte[512];
        byte[]? rented = MaxBytesPerAppend > buffer.Length ? ArrayPool<byte>.Shared.Rent(MaxBytesPerAppend) : null;
        try
        {
            Span<byte> destination = rented ?? buffer;
            int written = Append(id, destination);
            return written == 0 ? string.Empty : Encoding.UTF8.GetString(destination[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Ends the stream: a held-back incomplete character becomes one U+FFFD (3 bytes written), as a UTF-8
    /// decoder replaces a truncated sequence; returns the bytes written (0 or 3) and resets the decoder for a new stream.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 3 bytes while bytes are pending.</exception>
    public int Flush(Span<byte> destination)
    {
        if (_pendingLength == 0)
        {
            return 0;
        }

        if (destination.Length < Replacement.Length)
        {
            throw new ArgumentException("the destination needs room for U+FFFD (3 bytes)", nameof(destination));
        }

        Replacement.CopyTo(destination);
        _pendingLength = 0;
        return Replacement.Length;
    }

    /// <summary>Ends the stream and returns "\uFFFD" if a character was incomplete, else the empty string; resets the decoder.</summary>
    public string Flush()
    {
        Span<byte> buffer = stackalloc byte[3];
        return Flush(buffer) == 0 ? string.Empty : "\uFFFD";
    }
}
