using System;
using System.Buffers;
using System.IO;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.Core.Patterns;

namespace TokenizerCompiler.CommandLine;

/// <summary>Receives ids as the streaming encoder produces them, in order.</summary>
internal abstract class IdSink
{
    public abstract void Write(ReadOnlySpan<int> ids);
}

/// <summary>
/// Encodes an input stream of any size in bounded memory, with output identical to encoding the whole input
/// at once. The input is read in chunks (1 MiB by default) and each chunk is cut at a <em>safe boundary</em>:
/// just after an ASCII letter that is followed by a space, CR or LF. For the known patterns (o200k, cl100k and
/// GPT-2's) such a boundary is always a piece boundary, and the pieces on each side of it are decided without
/// looking across it: every alternative that can match a letter stops at the following space/CR/LF, no
/// alternative can start with a letter and continue through them, and the patterns have no look-behind.
/// The tail after the boundary is carried over into the next chunk. Both boundary bytes are ASCII, so a cut
/// never splits a UTF-8 sequence (nor an invalid one, which the runtime replaces locally with U+FFFD).
/// <para>
/// A chunk with no safe boundary (e.g. one long run of symbols) makes the buffer grow until one appears or
/// the input ends. Tokenizers whose pattern is a custom regular expression (or none), or whose special tokens
/// contain a space/CR/LF, cannot be cut safely in general: for them the whole input is read into memory and
/// encoded at once.
/// </para>
/// </summary>
internal sealed class StreamingEncoder
{
    public const int DefaultChunkSize = 1 << 20;

    private readonly Tokenizer _tokenizer;
    private readonly SpecialTokenPolicy _policy;
    private readonly int _chunkSize;

    public StreamingEncoder(Tokenizer tokenizer, SpecialTokenPolicy policy, int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 16);
        _tokenizer = tokenizer;
        _policy = policy;
        _chunkSize = chunkSize;
        CanSplit = SupportsSafeBoundaries(tokenizer);
    }

    /// <summary>Whether input is encoded chunk by chunk (true) or read whole first (false); see the class remarks.</summary>
    public bool CanSplit { get; }

    /// <summary>Encodes <paramref name="prefix"/> followed by the rest of <paramref name="input"/>.</summary>
    /// <returns>The number of tokens and of input bytes.</returns>
    public (long Tokens, long Bytes) Encode(Stream input, ReadOnlySpan<byte> prefix, IdSink sink)
    {
        byte[] buffer = new byte[prefix.Length + _chunkSize];
        prefix.CopyTo(buffer);
        int filled = prefix.Length;
        int searchedUpTo = 0; // [0, searchedUpTo) is known to hold no safe boundary
        long baseOffset = 0, tokens = 0;
        int[] ids = ArrayPool<int>.Shared.Rent(Math.Max(1024, _chunkSize));
        try
        {
            while (true)
            {
                // Room for one more chunk after the carried-over tail (the buffer grows only when a chunk had no boundary).
                if (buffer.Length - filled < _chunkSize)
                {
                    Array.Resize(ref buffer, Math.Max(checked(buffer.Length * 2), filled + _chunkSize));
                }

                int target = filled + _chunkSize;
                bool endOfInput = false;
                while (filled < target)
                {
                    int read = input.Read(buffer, filled, target - filled);
                    if (read == 0)
                    {
                        endOfInput = true;
                        break;
                    }

                    filled += read;
                }

                if (endOfInput)
                {
                    tokens += EncodeBlock(buffer.AsSpan(0, filled), baseOffset, ref ids, sink);
                    return (tokens, baseOffset + filled);
                }

                if (!CanSplit)
                {
                    continue;
                }

                int cut = LastSafeBoundary(buffer.AsSpan(0, filled), Math.Max(1, searchedUpTo));
                if (cut < 0)
                {
                    searchedUpTo = filled;
                    continue; // no boundary yet: read another chunk into a larger buffer
                }

                tokens += EncodeBlock(buffer.AsSpan(0, cut), baseOffset, ref ids, sink);
                buffer.AsSpan(cut, filled - cut).CopyTo(buffer);
                filled -= cut;
                baseOffset += cut;
                searchedUpTo = 0;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ids);
        }
    }

    /// <summary>
    /// The offset of the last safe boundary in <paramref name="text"/> at or after <paramref name="from"/>
    /// (the index of the space/CR/LF; always at least 1), or -1.
    /// </summary>
    internal static int LastSafeBoundary(ReadOnlySpan<byte> text, int from = 1)
    {
        for (int i = text.Length - 1; i >= Math.Max(from, 1); i--)
        {
            byte b = text[i];
            if ((b == (byte)' ' || b == (byte)'\n' || b == (byte)'\r') && char.IsAsciiLetter((char)text[i - 1]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Encodes one block with the span API, continuing from bytesConsumed whenever the id buffer fills.</summary>
    private long EncodeBlock(ReadOnlySpan<byte> block, long baseOffset, ref int[] ids, IdSink sink)
    {
        long tokens = 0;
        int offset = 0;
        while (true)
        {
            OperationStatus status;
            int consumed, written;
            try
            {
                status = _tokenizer.EncodeToIds(block[offset..], ids, out consumed, out written, _policy);
            }
            catch (DisallowedSpecialTokenException e)
            {
                throw new CliException($"the input holds the special token '{e.TokenText}' at byte {baseOffset + offset + e.ByteOffset} " +
                    "(use --special allow to encode it as a special token, or --special text to encode it as text)");
            }

            sink.Write(ids.AsSpan(0, written));
            tokens += written;
            offset += consumed;
            if (status == OperationStatus.Done)
            {
                return tokens;
            }

            if (written == 0)
            {
                // A single piece needs more ids than the buffer holds (possible only with tiny buffers): grow it.
                ArrayPool<int>.Shared.Return(ids);
                ids = ArrayPool<int>.Shared.Rent(ids.Length * 2);
            }
        }
    }

    private static bool SupportsSafeBoundaries(Tokenizer tokenizer)
    {
        if (KnownPatterns.FromPattern(tokenizer.Pattern).Kind is not (PreTokenizerKind.O200k or PreTokenizerKind.Cl100k or PreTokenizerKind.Gpt2))
        {
            return false;
        }

        foreach (int id in tokenizer.SpecialTokenIds)
        {
            ReadOnlySpan<byte> text = tokenizer.GetTokenBytes(id);
            if (text.IndexOfAny((byte)' ', (byte)'\r', (byte)'\n') >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
