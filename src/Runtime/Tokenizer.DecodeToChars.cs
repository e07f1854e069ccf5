using System;
using System.Buffers;
using System.Text.Unicode;
using TokenizerCompiler.Internal;
using TokenizerCompiler.Text;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Decodes <paramref name="ids"/> to UTF-16. Byte sequences that are not valid UTF-8 (for example a
    /// multi-byte character cut between two ids at the end) become U+FFFD, as tiktoken's <c>decode</c> does.
    /// On <see cref="OperationStatus.DestinationTooSmall"/>, <paramref name="idsConsumed"/> ids decoded to
    /// exactly <paramref name="charsWritten"/> chars, and decoding the rest gives the remaining text.
    /// </summary>
    /// <remarks>
    /// Chars of <paramref name="destination"/> after the first <paramref name="charsWritten"/> may be overwritten: tokens
    /// and transcoded characters are moved sixteen chars at a time.
    /// </remarks>
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
            OperationStatus status = Utf8ToUtf16.Transcode(utf8, destination, out int fitting, out charsWritten, isFinalBlock: true);
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
    /// The usual call, where every id is valid and the text fits: decode to UTF-8 and transcode, without first
    /// measuring the bytes (a pass over the ids that costs about as much as the decode). Any other outcome returns
    /// false, and the caller's exact path starts over.
    /// </summary>
    private bool TryDecodeAllToChars(ReadOnlySpan<int> ids, Span<char> destination, out int charsWritten)
    {
        return _decoder.JoinWithSpace
            ? TryDecodeWholeToChars(ids, destination, out charsWritten)
            : TryDecodeChunksToChars(ids, destination, out charsWritten);
    }

    /// <summary>
    /// The most UTF-8 bytes a concatenating decode to chars holds before it transcodes them: small enough to stay in
    /// the L1 cache.
    /// </summary>
    private const int DecodeChunkBytes = 16 * 1024;

    /// <summary>
    /// How many ids at a time go through UTF-8 at first when the UTF-16 slots cannot take the next block (a token
    /// without a slot, the last few ids or chars of room): one block's worth, so that slot blocks resume soon after.
    /// </summary>
    private const int FirstUtf8RunIds = 8;

    /// <summary>
    /// The longest UTF-8 run. Each failed return to the slots doubles the run up to this: text where most blocks hold
    /// a part of a character (cl100k on Chinese) then transcodes in long runs instead of one block at a time, each
    /// ended by a transcode call.
    /// </summary>
    private const int LongestUtf8RunIds = 512;

    /// <summary>How many ids one return to the slots must copy to count as a success, which resets the run length.</summary>
    private const int SlotStreakIds = 64;

    /// <summary>
    /// Decodes a concatenating decoder's ids to UTF-16. Blocks of tokens that are whole characters copy from the
    /// UTF-16 slot table (<see cref="Internal.Utf16Slot"/>) straight into <paramref name="destination"/>, and whole
    /// tokens too long for a slot from the table's long contents; other tokens (parts of a character, invalid UTF-8)
    /// gather as UTF-8 bytes in a chunk of at most
    /// <see cref="DecodeChunkBytes"/>, transcoded when the next token is a whole one, which ends any character they
    /// left incomplete just as it does in the whole text, or when the chunk fills (then a cut character is carried
    /// over). The chars are those of transcoding the whole text at once.
    /// </summary>
    private unsafe bool TryDecodeChunksToChars(ReadOnlySpan<int> ids, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        TokenSlots<Utf16Slot>? slots = _tables.CharSlots(ids.Length);
        _tables.DecodeSlots(ids.Length); // starts (or publishes) the UTF-8 slots, which the runs between slot blocks copy from
        byte[] rented = ArrayPool<byte>.Shared.Rent((int)Math.Min(DecodeChunkBytes, (16L * ids.Length) + 16));
        try
        {
            Span<byte> chunk = rented;
            if (DecodeStrippedStart(ids, chunk, out int next, out int pending) != OperationStatus.Done)
            {
                return false;
            }

            int written = 0;
            int runIds = FirstUtf8RunIds;
            fixed (int* first = ids)
            {
                while (true)
                {
                    if (slots is not null && next < ids.Length && slots.IsWhole(first[next]))
                    {
                        if (pending > 0 && !TranscodePending(chunk, ref pending, destination, ref written, final: true))
                        {
                            return false;
                        }

                        int wholeIds = CopyWholeTokens(slots, first + next, ids.Length - next, destination, ref written);
                        next += wholeIds;
                        runIds = wholeIds >= SlotStreakIds ? FirstUtf8RunIds : Math.Min(2 * runIds, LongestUtf8RunIds);
                    }

                    if (next == ids.Length)
                    {
                        break;
                    }

                    int run = slots is null ? ids.Length - next : Math.Min(runIds, ids.Length - next);
                    OperationStatus decoded = _tables.CopyDecodedBytes(ids.Slice(next, run), chunk[pending..], out int consumed, out int copied);
                    next += consumed;
                    pending += copied;
                    if (decoded == OperationStatus.InvalidData)
                    {
                        return false; // the exact path says where
                    }

                    if (decoded == OperationStatus.DestinationTooSmall)
                    {
                        int held = pending;
                        if (!TranscodePending(chunk, ref pending, destination, ref written, final: false) || (consumed == 0 && pending == held))
                        {
                            return false; // no room for the chars, or a token longer than the chunk
                        }
                    }
                }
            }

            charsWritten = written;
            if (pending > 0 && !TranscodePending(chunk, ref pending, destination, ref charsWritten, final: true))
            {
                return false;
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Copies whole tokens (<see cref="TokenSlots{TSlot}.IsWhole"/>) from <paramref name="ids"/> (<paramref name="count"/>
    /// of them) to <paramref name="destination"/> + <paramref name="written"/>: blocks of slots, and the block each stops
    /// at one token at a time (long tokens among them), until a token that is not whole, the end of the ids or of the
    /// room. Returns the number of ids copied.
    /// </summary>
    private unsafe int CopyWholeTokens(TokenSlots<Utf16Slot> slots, int* ids, int count, Span<char> destination, ref int written)
    {
        int done = 0;
        while (done < count)
        {
            int copied;
            fixed (char* output = destination)
            {
                copied = CopySlotTokens(slots, ids + done, count - done, output, destination.Length, ref written);
            }

            done += copied;
            if (copied == 0)
            {
                // The next token has no slot, or no room is left for a slot's store.
                if (!CopyWholeToken(slots, ids[done], destination, ref written))
                {
                    break;
                }

                done++;
            }
        }

        return done;
    }

    /// <summary>
    /// Copies one whole token's chars (<see cref="TokenSlots{TSlot}.TryGetContents"/>) to <paramref name="destination"/>
    /// + <paramref name="written"/>: what the slot copies leave when a token's exact chars fit but a slot's store does
    /// not. False for a token that is not whole, or whose chars do not fit.
    /// </summary>
    private static bool CopyWholeToken(TokenSlots<Utf16Slot> slots, int id, Span<char> destination, ref int written)
    {
        if (!slots.TryGetContents(id, out ReadOnlySpan<byte> contents))
        {
            return false;
        }

        ReadOnlySpan<char> chars = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(contents);
        if (!chars.TryCopyTo(destination[written..]))
        {
            return false;
        }

        written += chars.Length;
        return true;
    }

    /// <summary>
    /// Copies slot tokens from <paramref name="ids"/> (<paramref name="count"/> of them) to <paramref name="output"/> +
    /// <paramref name="written"/> (<see cref="TokenSlots{TSlot}.Copy"/>) and returns the number of ids copied.
    /// </summary>
    private static unsafe int CopySlotTokens(TokenSlots<Utf16Slot> slots, int* ids, int count, char* output, int length, ref int written)
    {
        int room = (int)Math.Min((long)(length - written) * sizeof(char), int.MaxValue); // byte positions stay ints
        int position = 0;
        int copied = slots.Copy(ids, count, (byte*)(output + written), ref position, room);
        written += position / sizeof(char);
        return copied;
    }

    /// <summary>
    /// Transcodes the <paramref name="pending"/> UTF-8 bytes at the start of <paramref name="chunk"/> to
    /// <paramref name="destination"/> + <paramref name="written"/>. Unless <paramref name="final"/>, an incomplete
    /// character at the end stays, moved to the start of the chunk. False when the chars do not fit.
    /// </summary>
    private static bool TranscodePending(Span<byte> chunk, ref int pending, Span<char> destination, ref int written, bool final)
    {
        OperationStatus status = Utf8ToUtf16.TranscodePrefix(chunk, pending, destination[written..], out int read, out int chars, isFinalBlock: final);
        written += chars;
        if (status is not (OperationStatus.Done or OperationStatus.NeedMoreData))
        {
            return false;
        }

        chunk[read..pending].CopyTo(chunk);
        pending -= read;
        return true;
    }

    /// <summary>
    /// Decodes a space-joining decoder's ids to UTF-8 in one pooled buffer and transcodes it. A UTF-16 char comes
    /// from at most three UTF-8 bytes (a U+FFFD from one to three), so bytes beyond three per char of
    /// <paramref name="destination"/> could not fit anyway; the buffer is also capped at sixteen bytes an id.
    /// </summary>
    private bool TryDecodeWholeToChars(ReadOnlySpan<int> ids, Span<char> destination, out int charsWritten)
    {
        int room = (int)Math.Min(3L * destination.Length, (16L * ids.Length) + 16);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, room));
        try
        {
            charsWritten = 0;
            return DecodeToUtf8(ids, rented.AsSpan(0, room), out _, out int bytes) == OperationStatus.Done
                && Utf8ToUtf16.Transcode(rented.AsSpan(0, bytes), destination, out _, out charsWritten, isFinalBlock: true) == OperationStatus.Done;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
