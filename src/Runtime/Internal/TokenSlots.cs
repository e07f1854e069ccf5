using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TokenizerCompiler.Internal;

/// <summary>
/// A decode table built from a vocabulary's decoded tokens (<see cref="TokenizerTables.DecodedBytes"/>): every token
/// that <typeparamref name="TSlot"/> gives a slot gets one at <see cref="ISlotKind.SlotBytes"/> times its id (its
/// contents, then zeros), and a one-byte length (<see cref="NoSlot"/> for an unused id, or a token without a slot).
/// </summary>
/// <remarks>
/// <para>
/// Decoding with the image's offsets costs two dependent loads per token (the offset pair, then the bytes) and a
/// subtraction; a slot is one load at an address the id alone gives, and its length one byte from a small table. With
/// the checks batched over eight tokens (one vector compare for the ids, one OR of the lengths), a probe on o200k's
/// legal-text ids moved from 0.82-0.88 to 1.44-1.46 billion tokens a second (UTF-8 slots).
/// </para>
/// <para>
/// The price is a slot per token (UTF-8: 3.2 MB for o200k, 1.6 MB for cl100k; UTF-16 twice that), so a table is built
/// only after a call decodes enough ids to gain from it (<see cref="TokenizerTables.SlotTableMinimumIds"/>), on the
/// thread pool, once per vocabulary, and kept.
/// </para>
/// </remarks>
internal sealed unsafe class TokenSlots<TSlot>
    where TSlot : struct, ISlotKind
{
    /// <summary>How many ids one checked block holds.</summary>
    public const int BlockIds = 8;

    /// <summary>
    /// The length of an id without a slot: twice the slot width, a bit that no OR of real lengths (one to a slot width,
    /// a power of two) can set, so one test of the block's OR finds it.
    /// </summary>
    private static int NoSlot => 2 * TSlot.SlotBytes;

    /// <summary>
    /// The room in bytes one block needs: its stores advance by at most <see cref="NoSlot"/> per token (before the
    /// block's test finds a token without a slot), and each ends at most a slot after its token's start.
    /// </summary>
    public static int BlockRoom => BlockIds * NoSlot;

    private readonly byte[] _slots;   // pinned: the hot loop reads it through a pointer
    private readonly byte[] _lengths; // pinned, one byte per id

    private TokenSlots(byte[] slots, byte[] lengths)
    {
        _slots = slots;
        _lengths = lengths;
    }

    /// <summary>Builds the slots of every id of <paramref name="tables"/>.</summary>
    public static TokenSlots<TSlot> Build(TokenizerTables tables)
    {
        int count = tables.VocabularySize;
        int width = TSlot.SlotBytes;
        // Zeroed: a block that meets an id without a slot has stored that slot before it is redone, and what stays
        // past the bytes written should be zeros rather than whatever the memory held before.
        byte[] slots = GC.AllocateArray<byte>(checked(count * width), pinned: true);
        byte[] lengths = GC.AllocateArray<byte>(count, pinned: true);
        lengths.AsSpan().Fill((byte)NoSlot);
        for (int id = 0; id < count; id++)
        {
            if (tables.IsTokenId(id))
            {
                Span<byte> slot = slots.AsSpan(id * width, width);
                int length = TSlot.Fill(tables, id, slot);
                if (length == 0)
                {
                    slot.Clear(); // a failed fill may have written part of the slot
                }
                else
                {
                    lengths[id] = (byte)length;
                }
            }
        }

        return new TokenSlots<TSlot>(slots, lengths);
    }

    /// <summary>Whether <paramref name="id"/> is a token id with a slot.</summary>
    public bool HasSlot(int id) => (uint)id < (uint)_lengths.Length && _lengths[id] != NoSlot;

    /// <summary>
    /// Copies whole blocks of <see cref="BlockIds"/> ids from <paramref name="ids"/> to <paramref name="output"/> +
    /// <paramref name="position"/> (in bytes), at most <paramref name="blocks"/> of them (the caller has checked that
    /// ids and <see cref="BlockRoom"/> bytes of room per block are there). Stops before a block with an id out of
    /// range, an unused id or a token without a slot, leaving <paramref name="position"/> where that block began, and
    /// returns the number of blocks copied.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own frame: the caller's slow path would crowd its registers
    public int CopyBlocks(int* ids, int blocks, byte* output, ref int position)
    {
        // Locals: the stores below could alias fields, so the JIT would reload them. Both arrays are pinned.
        byte* slots = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_slots));
        byte* lengths = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_lengths));
        Vector128<uint> limit = Vector128.Create((uint)_lengths.Length - 1);
        nint at = position;
        int* first = ids;
        int* end = ids + ((nint)blocks * BlockIds); // a pointer bound: one register fewer than a block count
        for (; ids < end; ids += BlockIds)
        {
            // All eight ids are in range before any is looked up: the tables have no entries past the vocabulary.
            Vector128<uint> low = Vector128.Load((uint*)ids), high = Vector128.Load((uint*)ids + 4);
            if (Vector128.GreaterThanAny(Vector128.Max(low, high), limit))
            {
                break;
            }

            // Lengths are checked once per block, after its stores: the OR has the NoSlot bit exactly when some token
            // has no slot. Those stores stay within the block's room and are redone by the caller.
            nint start = at;
            uint flags = CopyOne(ids[0], slots, lengths, output, ref at) | CopyOne(ids[1], slots, lengths, output, ref at)
                | CopyOne(ids[2], slots, lengths, output, ref at) | CopyOne(ids[3], slots, lengths, output, ref at)
                | CopyOne(ids[4], slots, lengths, output, ref at) | CopyOne(ids[5], slots, lengths, output, ref at)
                | CopyOne(ids[6], slots, lengths, output, ref at) | CopyOne(ids[7], slots, lengths, output, ref at);
            if ((flags & (uint)NoSlot) != 0)
            {
                at = start;
                break;
            }
        }

        position = (int)at;
        return (int)((ids - first) / BlockIds);
    }

    /// <summary>
    /// Copies the token <paramref name="id"/> to <paramref name="output"/> + <paramref name="at"/>, advances it, and
    /// returns its length, which has the <see cref="NoSlot"/> bit when the token has no slot. One token at a time keeps
    /// few values live, so the JIT keeps the block loop in registers; the processor overlaps the tokens anyway.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CopyOne(int id, byte* slots, byte* lengths, byte* output, ref nint at)
    {
        nuint index = (uint)id;
        nint length = lengths[index];
        TSlot.Move(output + at, slots + (index * (nuint)TSlot.SlotBytes));
        at += length;
        return (uint)length;
    }
}
