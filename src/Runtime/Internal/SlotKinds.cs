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
    /// <summary>
    /// The bytes of one slot, and the most a slot's contents may take: a power of two, so that twice it is a bit no OR
    /// of real lengths sets (<see cref="TokenSlots{TSlot}"/> marks ids without a slot with it).
    /// </summary>
    static abstract int SlotBytes { get; }

    /// <summary>
    /// Writes the contents of token <paramref name="id"/>'s slot into <paramref name="slot"/> and returns their length
    /// in bytes, or 0 where the token gets no slot.
    /// </summary>
    static abstract int Fill(TokenizerTables tables, int id, Span<byte> slot);

    /// <summary>Moves one whole slot from <paramref name="source"/> to <paramref name="target"/>.</summary>
    static abstract void Move(byte* target, byte* source);
}

/// <summary>Slots of a token's decoded UTF-8 bytes: sixteen bytes, for tokens of one to sixteen bytes.</summary>
internal readonly unsafe struct Utf8Slot : ISlotKind
{
    public static int SlotBytes => 16;

    public static int Fill(TokenizerTables tables, int id, Span<byte> slot)
    {
        ReadOnlySpan<byte> token = tables.DecodedBytes(id);
        return token.TryCopyTo(slot) ? token.Length : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Move(byte* target, byte* source) =>
        Unsafe.WriteUnaligned(target, Unsafe.ReadUnaligned<Vector128<byte>>(source));
}

/// <summary>
/// Slots of a token's text as UTF-16: thirty-two bytes, for tokens whose decoded bytes are complete, valid UTF-8 of
/// one to sixteen chars. Those tokens decode to the same chars wherever they stand: a valid token begins with a byte
/// that starts a character, which also ends any character the bytes before it left incomplete, and it leaves none
/// incomplete itself. A token that is part of a character (a byte-level piece of a Chinese character, say) gets no
/// slot.
/// </summary>
internal readonly unsafe struct Utf16Slot : ISlotKind
{
    public static int SlotBytes => 32;

    public static int Fill(TokenizerTables tables, int id, Span<byte> slot)
    {
        ReadOnlySpan<byte> token = tables.DecodedBytes(id);
        Span<char> chars = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(slot);
        bool whole = Utf8.ToUtf16(token, chars, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true)
            == System.Buffers.OperationStatus.Done;
        return whole && read == token.Length ? written * sizeof(char) : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Move(byte* target, byte* source) =>
        Unsafe.WriteUnaligned(target, Unsafe.ReadUnaligned<Vector256<byte>>(source));
}
