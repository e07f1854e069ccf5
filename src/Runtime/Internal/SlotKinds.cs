using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text.Unicode;

namespace TokenizerCompiler.Internal;

/// <summary>
/// What a <see cref="TokenSlots{TSlot}"/> table holds per token: its slot width, how a slot is filled from the
/// vocabulary and how one is moved. A struct type argument, so that each table's copy loop is compiled for its width.
/// </summary>
internal unsafe interface ISlotKind
{
    /// <summary>The bytes of one slot, and the most a slot's contents may take.</summary>
    static abstract int SlotBytes { get; }

    /// <summary>
    /// The base-two logarithm of the bytes in one unit of the text (0 for UTF-8 bytes, 1 for UTF-16 chars): lengths are
    /// kept in units, so that a block's worth of them stays below what a length byte holds.
    /// </summary>
    static abstract int UnitShift { get; }

    /// <summary>
    /// Writes the contents of token <paramref name="id"/>'s slot into <paramref name="slot"/> and returns their length
    /// in bytes; returns -1 for a token that would be whole (its text is the same wherever it stands) but is too long
    /// for a slot, and 0 for one that gets no slot.
    /// </summary>
    static abstract int Fill(TokenizerTables tables, int id, Span<byte> slot);

    /// <summary>The whole contents of a token for which <see cref="Fill"/> returned -1 (too long for a slot).</summary>
    static abstract byte[] LongContents(TokenizerTables tables, int id);

    /// <summary>Moves one whole slot from <paramref name="source"/> to <paramref name="target"/>.</summary>
    static abstract void Move(byte* target, byte* source);
}

/// <summary>
/// Slots of a token's decoded UTF-8 bytes: sixteen bytes, for tokens of one to sixteen bytes. Every token is whole at
/// the byte level; longer ones get no slot.
/// </summary>
internal readonly unsafe struct Utf8Slot : ISlotKind
{
    public static int SlotBytes => 16;

    public static int UnitShift => 0;

    public static int Fill(TokenizerTables tables, int id, Span<byte> slot)
    {
        ReadOnlySpan<byte> token = tables.DecodedBytes(id);
        return token.IsEmpty ? 0 : token.TryCopyTo(slot) ? token.Length : -1;
    }

    public static byte[] LongContents(TokenizerTables tables, int id) => tables.DecodedBytes(id).ToArray();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Move(byte* target, byte* source) =>
        Unsafe.WriteUnaligned(target, Unsafe.ReadUnaligned<Vector128<byte>>(source));
}

/// <summary>
/// Slots of a token's text as UTF-16: thirty-two bytes, for tokens whose decoded bytes are complete, valid UTF-8 of
/// one to sixteen chars. Those tokens decode to the same chars wherever they stand: a valid token begins with a byte
/// that starts a character, which also ends any character the bytes before it left incomplete, and it leaves none
/// incomplete itself. A token that is part of a character (a byte-level piece of a Chinese character, say) gets no
/// slot; a whole token of more than sixteen chars (a run of spaces, say) is kept apart, whole (see
/// <see cref="LongContents"/>).
/// </summary>
internal readonly unsafe struct Utf16Slot : ISlotKind
{
    public static int SlotBytes => 32;

    public static int UnitShift => 1;

    public static int Fill(TokenizerTables tables, int id, Span<byte> slot)
    {
        ReadOnlySpan<byte> token = tables.DecodedBytes(id);
        Span<char> chars = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(slot);
        System.Buffers.OperationStatus status = Utf8.ToUtf16(token, chars, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
        if (status == System.Buffers.OperationStatus.Done && read == token.Length)
        {
            return token.IsEmpty ? 0 : written * sizeof(char);
        }

        return status == System.Buffers.OperationStatus.DestinationTooSmall && Utf8.IsValid(token) ? -1 : 0;
    }

    public static byte[] LongContents(TokenizerTables tables, int id)
    {
        string text = System.Text.Encoding.UTF8.GetString(tables.DecodedBytes(id)); // valid: Fill checked it
        return System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan()).ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Move(byte* target, byte* source) =>
        Unsafe.WriteUnaligned(target, Unsafe.ReadUnaligned<Vector256<byte>>(source));
}
