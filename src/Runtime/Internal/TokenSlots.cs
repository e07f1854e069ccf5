using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TokenizerCompiler.Internal;

/// <summary>
/// A decode table built from a vocabulary's decoded tokens (<see cref="TokenizerTables.DecodedBytes"/>): every token
/// that <typeparamref name="TSlot"/> gives a slot gets one at <see cref="ISlotKind.SlotBytes"/> times its id (its
/// contents, then zeros), and a one-byte length (zero for an unused id, or a token without a slot).
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

    /// <summary>The room in bytes one block needs: each of its stores ends at most a slot after its token's start.</summary>
    public static int BlockRoom => BlockIds * TSlot.SlotBytes;

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

                lengths[id] = (byte)length;
            }
        }

        return new TokenSlots<TSlot>(slots, lengths);
    }

    /// <summary>Whether <paramref name="id"/> is a token id with a slot.</summary>
    public bool HasSlot(int id) => (uint)id < (uint)_lengths.Length && _lengths[id] != 0;

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
        int block = 0;
        for (; block < blocks; block++, ids += BlockIds)
        {
            // All eight ids are in range before any is looked up: the tables have no entries past the vocabulary.
            Vector128<uint> low = Vector128.Load((uint*)ids), high = Vector128.Load((uint*)ids + 4);
            if (Vector128.GreaterThanAny(Vector128.Max(low, high), limit))
            {
                break;
            }

            // Lengths are checked once per block, after its stores: a zero length (no slot) turns into a huge value
            // minus one, so the OR reaches the slot width exactly when some token is not a slot token.
            // Those stores stay within the block's room (each length is at most a slot) and are redone by the caller.
            nint start = at;
            uint flags = CopyFour(ids, slots, lengths, output, ref at) | CopyFour(ids + 4, slots, lengths, output, ref at);
            if (flags >= (uint)TSlot.SlotBytes)
            {
                at = start;
                break;
            }
        }

        position = (int)at;
        return block;
    }

    /// <summary>
    /// Copies the tokens of four ids to <paramref name="output"/> + <paramref name="at"/>, advancing it, and returns the
    /// OR of their lengths minus one: the slot width or more when some token has no slot (its length is zero).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CopyFour(int* ids, byte* slots, byte* lengths, byte* output, ref nint at)
    {
        uint a = (uint)ids[0], b = (uint)ids[1], c = (uint)ids[2], d = (uint)ids[3];
        uint la = lengths[a], lb = lengths[b], lc = lengths[c], ld = lengths[d];
        TSlot.Move(output + at, slots + ((nint)a * TSlot.SlotBytes));
        at += (nint)la;
        TSlot.Move(output + at, slots + ((nint)b * TSlot.SlotBytes));
        at += (nint)lb;
        TSlot.Move(output + at, slots + ((nint)c * TSlot.SlotBytes));
        at += (nint)lc;
        TSlot.Move(output + at, slots + ((nint)d * TSlot.SlotBytes));
        at += (nint)ld;
        return (la - 1) | (lb - 1) | (lc - 1) | (ld - 1);
    }
}
