using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TokenizerCompiler.Internal;

/// <summary>
/// A decode table built from a vocabulary's decoded tokens (<see cref="TokenizerTables.DecodedBytes"/>): every token
/// that <typeparamref name="TSlot"/> gives a slot gets one at <see cref="ISlotKind.SlotBytes"/> times its id (its
/// contents, then zeros), and a one-byte length in bytes (<see cref="NoSlot"/> for an unused id, or a token without a
/// slot), in a table and, for UTF-8, in the slot's last byte as well (<see cref="LengthInSlot"/>). Both have an entry
/// for every id below the next power of two of the vocabulary's size (those past it without a slot), so that one OR
/// checks a block's ids (<see cref="CopyBlocks"/>). A token too long for a slot keeps there where its contents are.
/// </summary>
/// <remarks>
/// <para>
/// Decoding with the image's offsets costs two dependent loads per token (the offset pair, then the bytes) and a
/// subtraction; a slot is one load at an address the id alone gives, and its length one byte from a small table. With
/// the checks batched over eight tokens (one test of the ids' range, one of the block's length), a probe on
/// o200k's legal-text ids moved from 0.82-0.88 to 1.44-1.46 billion tokens a second (UTF-8 slots).
/// </para>
/// <para>
/// The price is a slot per token (UTF-8: 4 MB for o200k, 2 MB for cl100k, see <see cref="LengthInSlot"/>; UTF-16 6.4
/// and 3.2 MB written, of 8 and 4 MB allocated: see <see cref="Build"/>), so a table is built only after a call decodes
/// enough ids to gain from it
/// (<see cref="TokenizerTables.SlotTableMinimumIds"/>), on the thread pool, once per vocabulary, and kept.
/// </para>
/// </remarks>
internal sealed unsafe class TokenSlots<TSlot>
    where TSlot : struct, ISlotKind
{
    /// <summary>How many ids one checked block holds.</summary>
    public const int BlockIds = 8;

    /// <summary>
    /// Whether a slot keeps its token's length in its last byte (UTF-8's sixteen-byte slots, so tokens of up to fifteen
    /// bytes): the block copy then reads no length table (<see cref="CopyPackedBlock"/>) and takes long tokens in its
    /// blocks (<see cref="PlaceLongTokens"/>). UTF-16 slots keep the table: their last byte holds a sixteenth char.
    /// </summary>
    private static bool LengthInSlot => TSlot.SlotBytes == 16;

    /// <summary>The most units (bytes or chars) a slot's contents take.</summary>
    private static int SlotUnits => (TSlot.SlotBytes - (LengthInSlot ? 1 : 0)) >> TSlot.UnitShift;

    /// <summary>
    /// The length in bytes of an id without a slot: with the seven shortest tokens (a unit each) more than a whole block
    /// of full slots (UTF-16: 255 + 14 &gt; 256), so that a block's advance exceeds <see cref="BlockAdvance"/> exactly
    /// when one of its tokens has no slot, or is a long token the block cannot take (see <see cref="LongToken"/>). One
    /// test of the block's advance finds it, with no per-token flag to gather.
    /// </summary>
    private const int NoSlot = 255;

    /// <summary>
    /// The length kept for a whole token too long for a slot (see <see cref="ISlotKind.Fill"/>): for UTF-16 every such
    /// token, for UTF-8 one of this many bytes or more (a shorter one keeps its length, so that a block can take it: see
    /// <see cref="PlaceLongTokens"/>). Like <see cref="NoSlot"/>, more than a block of full slots with any seven others,
    /// so blocks stop at it and <see cref="CopySingles"/> copies it.
    /// </summary>
    private const int LongToken = 254;

    /// <summary>
    /// The bits of a UTF-8 slot's length byte of which one is set exactly when the length is a long token's (or
    /// <see cref="NoSlot"/>): a slot's contents are shorter than the slot, so their length lies below sixteen, and a long
    /// token's does not.
    /// </summary>
    private const byte LongLengthBits = 0xF0;

    /// <summary>Whether <paramref name="length"/> (from the table or a slot) is a long token's.</summary>
    private static bool IsLong(int length) => length > SlotContentBytes && length != NoSlot;

    /// <summary>The most bytes a slot's contents take (<see cref="SlotUnits"/> units).</summary>
    private static int SlotContentBytes => SlotUnits << TSlot.UnitShift;

    /// <summary>
    /// The most bytes a block of tokens that all have slots advances the output: eight full slots' contents. A block
    /// with a token without a slot advances more (<see cref="NoSlot"/> or <see cref="LongToken"/> with any seven
    /// others), so this is the test.
    /// </summary>
    private static int BlockAdvance => BlockIds * SlotContentBytes;

    /// <summary>
    /// The furthest a copied block's stores reach past its start: a slot stores all <see cref="ISlotKind.SlotBytes"/>
    /// from where the tokens before it end, at most the block's advance less its own length. For UTF-8, whose blocks take
    /// long tokens (see <see cref="PlaceLongTokens"/>), that is a one-byte token at the end of a block that advances the
    /// most; for UTF-16, the last of eight full slots.
    /// </summary>
    private static int BlockReach => LengthInSlot
        ? BlockAdvance - 1 + TSlot.SlotBytes
        : BlockAdvance - SlotContentBytes + TSlot.SlotBytes;

    /// <summary>
    /// How many whole blocks of <see cref="BlockIds"/> ids <see cref="CopyBlocks"/> may be given for
    /// <paramref name="idCount"/> ids and <paramref name="roomBytes"/> bytes of room: each block's stores end within
    /// <see cref="BlockReach"/> bytes of its start; a block that stops the copy stores nothing.
    /// </summary>
    private static int BlocksThatFit(int idCount, int roomBytes) => Math.Min(idCount / BlockIds, roomBytes / BlockReach);

    private readonly byte[] _slots;   // pinned: the hot loop reads it through a pointer
    private readonly int _first;      // where the slots begin in _slots: at a 64-byte boundary (see Build)
    private readonly byte[] _lengths; // pinned, one byte per id
    private readonly byte[] _long;    // pinned: the contents of the long tokens, one after another

    private TokenSlots(byte[] slots, int first, byte[] lengths, byte[] longContents)
    {
        _slots = slots;
        _first = first;
        _lengths = lengths;
        _long = longContents;
    }

    /// <summary>Builds the slots of every id of <paramref name="tables"/>.</summary>
    public static TokenSlots<TSlot> Build(TokenizerTables tables)
    {
        int count = tables.VocabularySize;
        int width = TSlot.SlotBytes;
        if (width is not (16 or 32))
        {
            throw new InvalidOperationException("a slot is moved as one 16- or 32-byte vector"); // see CopyBlock
        }

        int ids = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count);
        // The slots begin at a cache line's start, so that no slot straddles two lines: the array's data sits wherever
        // the pinned heap put it (an 8-byte boundary), and where that was 16 bytes past a 32-byte one half of the
        // UTF-16 slots straddled two lines (decode to chars 7 % slower when a change moved the table).
        // Zeroed: a slot's store writes its padding past its token, and after the last token of a call what stays past
        // the bytes written should be zeros (and, for UTF-8, the token's length byte) rather than another token's bytes.
        // UTF-16 slots past the vocabulary are only ever loaded by a block that their ids' lengths then turn down, so
        // they are left as the allocator gives them (not written, so the 2 MB of o200k's that no id reaches need not
        // take memory: the process's working set read the same with and without them); UTF-8 ones hold their length
        // byte.
        byte[] slotsArray = LengthInSlot
            ? GC.AllocateArray<byte>(checked((ids * width) + 64), pinned: true)
            : GC.AllocateUninitializedArray<byte>(checked((ids * width) + 64), pinned: true);
        int first = (int)((64 - ((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slotsArray)) & 63)) & 63);
        Span<byte> slots = slotsArray.AsSpan(first, ids * width);
        slotsArray.AsSpan(0, first + (count * width)).Clear();
        byte[] lengths = GC.AllocateArray<byte>(ids, pinned: true);
        lengths.AsSpan().Fill((byte)NoSlot);
        var longContents = new System.Collections.Generic.List<byte>();
        for (int id = 0; id < count; id++)
        {
            if (tables.IsTokenId(id))
            {
                Span<byte> slot = slots.Slice(id * width, width);
                int length = TSlot.Fill(tables, id, slot[..SlotContentBytes]);
                if (length < 0)
                {
                    // A long token's slot says where its contents are, which the copies move themselves (see CopyExactly).
                    byte[] contents = TSlot.LongContents(tables, id);
                    slot.Clear();
                    MemoryMarshal.Write(slot, longContents.Count);
                    MemoryMarshal.Write(slot[sizeof(int)..], contents.Length);
                    longContents.AddRange(contents);
                    lengths[id] = (byte)(LengthInSlot ? Math.Min(contents.Length, LongToken) : LongToken);
                }
                else if (length == 0)
                {
                    slot.Clear(); // a failed fill may have written part of the slot
                }
                else
                {
                    lengths[id] = (byte)length; // in bytes: the block copy adds them as they are
                }
            }
        }

        for (int id = 0; LengthInSlot && id < ids; id++)
        {
            slots[(id * width) + width - 1] = lengths[id]; // NoSlot past the vocabulary, too
        }

        byte[] longArray = GC.AllocateArray<byte>(longContents.Count, pinned: true);
        longContents.CopyTo(longArray);
        return new TokenSlots<TSlot>(slotsArray, first, lengths, longArray);
    }

    /// <summary>The first slot (pinned, at a 64-byte boundary).</summary>
    private byte* SlotsStart => (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), _first));

    /// <summary>
    /// Whether <paramref name="id"/> is a token id that is whole in this table's sense (see
    /// <see cref="ISlotKind.Fill"/>): one with a slot, or one too long for a slot.
    /// </summary>
    public bool IsWhole(int id) => (uint)id < (uint)_lengths.Length && _lengths[id] != NoSlot;

    /// <summary>
    /// The contents of whole token <paramref name="id"/> (its exact length, from its slot or the long tokens' contents),
    /// or false for an id that is not whole (an id out of range, an unused id, a token that is not whole).
    /// </summary>
    public bool TryGetContents(int id, out ReadOnlySpan<byte> contents)
    {
        int length = (uint)id < (uint)_lengths.Length ? _lengths[id] : NoSlot;
        if (IsLong(length))
        {
            ReadOnlySpan<byte> slot = new(_slots, _first + (id * TSlot.SlotBytes), 2 * sizeof(int));
            contents = new ReadOnlySpan<byte>(_long, MemoryMarshal.Read<int>(slot), MemoryMarshal.Read<int>(slot[sizeof(int)..]));
            return true;
        }

        if (length > SlotContentBytes)
        {
            contents = default;
            return false;
        }

        contents = new ReadOnlySpan<byte>(_slots, _first + (id * TSlot.SlotBytes), length);
        return true;
    }

    /// <summary>
    /// Copies tokens from <paramref name="ids"/> (at most <paramref name="count"/>) to <paramref name="output"/> +
    /// <paramref name="position"/> (in bytes) while they are whole: whole blocks while ids and room for a block's
    /// stores remain, then single tokens (long ones from their contents) up to one that is not whole or the last store
    /// that ends within <paramref name="limit"/> bytes of <paramref name="output"/>. Returns how many ids it copied.
    /// </summary>
    /// <remarks>
    /// A block that stops at a long token goes one token at a time up to it and back to blocks right after it, here,
    /// rather than returning to the caller, whose next call would set the blocks up again: alternating probes on
    /// cl100k's legal-text ids (376 tokens over sixteen bytes, and more of exactly sixteen now that a UTF-8 slot holds
    /// fifteen) read 96 → 92-93 µs to UTF-8, to chars no change; resuming right after the long token rather than after
    /// its block, see <see cref="CopyExactly"/>.
    /// </remarks>
    public int Copy(int* ids, int count, byte* output, ref int position, int limit)
    {
        int copied = 0;
        LongBlock* longBlocks = stackalloc LongBlock[LongBlocksPerRound]; // here: in CopyBlocks it would keep that loop from tiering up
        while (true)
        {
            int fit = BlocksThatFit(count - copied, limit - position);
            // UTF-8 blocks record those with long tokens: no more than the stack has records for.
            int blocks = LengthInSlot ? Math.Min(fit, LongBlocksPerRound) : fit;
            int fromBlocks = blocks <= 0 ? 0
                : BlockIds * CopyBlocks(ids + copied, blocks, output, ref position, longBlocks);
            copied += fromBlocks;
            if (blocks < fit && fromBlocks == blocks * BlockIds)
            {
                continue;
            }

            int want = Math.Min(count - copied, BlockIds);
            int singles = CopySingles(ids + copied, want, output, ref position, limit, out bool afterLong);
            copied += singles;

            // Back to blocks right after a long token, or when a block stopped and its tokens all went one at a time.
            if (!(afterLong && copied < count) && (singles < want || fromBlocks == blocks * BlockIds))
            {
                return copied;
            }
        }
    }

    /// <summary>
    /// Copies whole blocks of <see cref="BlockIds"/> ids from <paramref name="ids"/> to <paramref name="output"/> +
    /// <paramref name="position"/> (in bytes), at most <paramref name="blocks"/> of them (no more than
    /// <see cref="BlocksThatFit"/> allows). Stops before a block with an id out of range, an unused id or a token without
    /// a slot, leaving <paramref name="position"/> where that block began, and returns the number of blocks copied.
    /// </summary>
    /// <remarks>
    /// A block's ids are read as four pairs, all in range when none has a bit set above the tables' size (a power of
    /// two): per block that spares two vector loads and a compare, and with UTF-8's lengths read from the slots about a
    /// third of the loop's loads (alternating probes on legal-text ids: 103-106 to 96-101 µs, cl100k and o200k). For
    /// UTF-16, with the lengths kept in bytes so that none is shifted: 112-115 to 107-108 µs (cl100k), 116 to 111-112
    /// (o200k).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own frame: the caller's slow path would crowd its registers
    private int CopyBlocks(int* ids, int blocks, byte* output, ref int position, LongBlock* longBlocks)
    {
        // Locals: the stores below could alias fields, so the JIT would reload them. Both arrays are pinned.
        byte* slots = SlotsStart;
        byte* lengths = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_lengths));
        uint last = (uint)_lengths.Length - 1;
        ulong outOfRange = ~(((ulong)last << 32) | last);
        int* first = ids;
        int* end = ids + ((nint)blocks * BlockIds); // a pointer bound: one register fewer than a block count
        LongBlock* nextLong = longBlocks;

        // The output as a pointer rather than an offset: the loop needs every general register it can get.
        byte* target = output + position;
        for (; ids < end; ids += BlockIds)
        {
            ulong p01 = Unsafe.ReadUnaligned<ulong>(ids), p23 = Unsafe.ReadUnaligned<ulong>(ids + 2);
            ulong p45 = Unsafe.ReadUnaligned<ulong>(ids + 4), p67 = Unsafe.ReadUnaligned<ulong>(ids + 6);
            if ((((p01 | p23) | (p45 | p67)) & outOfRange) != 0)
            {
                break;
            }

            bool copied = LengthInSlot // a constant for each slot kind: the JIT keeps one of the two
                ? CopyPackedBlock(p01, p23, p45, p67, slots, ref target, ids, ref nextLong)
                : CopyBlock(p01, p23, p45, p67, slots, lengths, ref target);
            if (!copied)
            {
                break;
            }
        }

        position = (int)(target - output);
        if (nextLong != longBlocks)
        {
            PlaceLongTokens(longBlocks, nextLong, slots);
        }

        return (int)((ids - first) / BlockIds);
    }

    /// <summary>A copied block with a long token in it: its ids, and where its output begins (see <see cref="PlaceLongTokens"/>).</summary>
    private struct LongBlock
    {
        public int* Ids;
        public byte* Start;
    }

    /// <summary>
    /// How many blocks <see cref="CopyBlocks"/> copies before it places the long tokens among them: at most that many
    /// are recorded, on the stack.
    /// </summary>
    private const int LongBlocksPerRound = 64;

    /// <summary>
    /// Puts the contents of the long tokens of the blocks recorded from <paramref name="blocks"/> up to
    /// <paramref name="end"/> in the gaps their blocks left for them: exactly their bytes, so that the tokens stored
    /// after them stay as they are.
    /// </summary>
    /// <remarks>
    /// A long token's length is in the table and its slot like any other's, so a block that holds one copies it as a
    /// slot (where its contents are, then zeros) and goes on past its whole length; the contents go in afterwards, here,
    /// for the blocks that <see cref="CopyBlocks"/> found a long token in. Code has many long tokens (a line break and
    /// its indentation: 370 of cl100k's 19.7 K ids on Python's argparse.py), and a block that stopped at each, went one
    /// token at a time up to it and set the blocks up again after it cost about 11 ns a long token.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)] // out of CopyBlocks' loop, whose registers it would take
    private void PlaceLongTokens(LongBlock* blocks, LongBlock* end, byte* slots)
    {
        for (; blocks < end; blocks++)
        {
            int* ids = blocks->Ids;
            byte* target = blocks->Start;
            for (int i = 0; i < BlockIds; i++)
            {
                byte* slot = slots + ((nuint)(uint)ids[i] * (nuint)TSlot.SlotBytes);
                int length = slot[TSlot.SlotBytes - 1];
                if (length > SlotContentBytes)
                {
                    int start = Unsafe.ReadUnaligned<int>(slot);
                    int bytes = Unsafe.ReadUnaligned<int>(slot + sizeof(int));
                    CopyExactly(start, bytes, target);
                }

                target += length;
            }
        }
    }

    /// <summary>
    /// Copies a long token's <paramref name="bytes"/> contents (sixteen or more) from <paramref name="start"/> of the
    /// long contents to <paramref name="target"/>, storing nothing past them: two overlapping moves of the widest
    /// vector that fits, or a memmove past 64 bytes.
    /// </summary>
    /// <remarks>
    /// Indented code has many such tokens (a line break and its indentation: 370 of cl100k's 19.7 K ids on Python's
    /// argparse.py are over fifteen bytes), and the copy used to call memmove for each, then finish the block one token
    /// at a time before the blocks resumed. With vector moves, and blocks resuming right after the long token, decoding
    /// that file ran 1.08-1.12 times as fast (probes; decode ÷ encode 7.9 → 8.5-8.9). Since the twentieth session the
    /// same exact copy serves the blocks' long tokens (<see cref="PlaceLongTokens"/>) and the single-token loop, which
    /// used to move whole 32-byte vectors, zeros past the token included, from contents padded to match.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CopyExactly(int start, int bytes, byte* target)
    {
        byte* source = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_long), start));
        if (bytes <= 32)
        {
            Vector128<byte> head = Unsafe.ReadUnaligned<Vector128<byte>>(source);
            Vector128<byte> tail = Unsafe.ReadUnaligned<Vector128<byte>>(source + bytes - 16);
            Unsafe.WriteUnaligned(target, head);
            Unsafe.WriteUnaligned(target + bytes - 16, tail);
        }
        else if (bytes <= 64)
        {
            Vector256<byte> head = Unsafe.ReadUnaligned<Vector256<byte>>(source);
            Vector256<byte> tail = Unsafe.ReadUnaligned<Vector256<byte>>(source + bytes - 32);
            Unsafe.WriteUnaligned(target, head);
            Unsafe.WriteUnaligned(target + bytes - 32, tail);
        }
        else
        {
            new ReadOnlySpan<byte>(source, bytes).CopyTo(new Span<byte>(target, bytes));
        }
    }

    /// <summary>
    /// <see cref="CopyBlock"/> for slots that keep their length: each from its slot's last byte, already in a register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CopyPackedBlock(
        ulong p01, ulong p23, ulong p45, ulong p67, byte* slots, ref byte* target, int* ids, ref LongBlock* nextLong)
    {
        // Each pair shifted once gives both slots' offsets: the low id times sixteen stays within the low half.
        ulong o01 = p01 << 4, o23 = p23 << 4, o45 = p45 << 4, o67 = p67 << 4;
        Vector128<byte> s0 = SlotAtOffset(slots, (uint)o01), s1 = SlotAtOffset(slots, (nuint)(o01 >> 32));
        Vector128<byte> s2 = SlotAtOffset(slots, (uint)o23), s3 = SlotAtOffset(slots, (nuint)(o23 >> 32));
        Vector128<byte> s4 = SlotAtOffset(slots, (uint)o45), s5 = SlotAtOffset(slots, (nuint)(o45 >> 32));
        Vector128<byte> s6 = SlotAtOffset(slots, (uint)o67), s7 = SlotAtOffset(slots, (nuint)(o67 >> 32));
        const int LengthByte = 15;
        nint l0 = s0.GetElement(LengthByte), l2 = s2.GetElement(LengthByte), l4 = s4.GetElement(LengthByte), l6 = s6.GetElement(LengthByte);
        nint s01 = l0 + s1.GetElement(LengthByte), s23 = l2 + s3.GetElement(LengthByte);
        nint s45 = l4 + s5.GetElement(LengthByte), s67 = l6 + s7.GetElement(LengthByte);
        nint s03 = s01 + s23, advance = s03 + s45 + s67;
        if (advance > BlockAdvance)
        {
            return false; // a token without a slot (a length byte past the vocabulary's is one)
        }

        // A long token's length byte has a bit of LongLengthBits set: tested on the slots as vectors, which spares the
        // general registers the loop needs. (Recording every block and keeping it only when one is long, without the
        // branch, made a block two stores more, and the loop 20 % slower on blocks without.)
        Vector128<byte> any = ((s0 | s1) | (s2 | s3)) | ((s4 | s5) | (s6 | s7));
        if ((any & Vector128.Create(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, LongLengthBits)) != Vector128<byte>.Zero)
        {
            RecordLong(ref nextLong, ids, target);
        }

        byte* block = target;
        StoreEight(block, block + s03, s0, s1, s2, s3, s4, s5, s6, s7, l0, s01, l2, l4, s45, l6);
        target = block + advance;
        return true;
    }

    /// <summary>
    /// Stores a block's eight slots one after another from <paramref name="block"/>, the fifth at
    /// <paramref name="fifth"/>: each at the sum of the lengths before it, taken from the pair sums (<paramref name="s01"/>,
    /// <paramref name="s45"/>) and the single lengths they need.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreEight<TVector>(
        byte* block, byte* fifth, TVector s0, TVector s1, TVector s2, TVector s3, TVector s4, TVector s5, TVector s6, TVector s7,
        nint l0, nint s01, nint l2, nint l4, nint s45, nint l6)
        where TVector : unmanaged
    {
        Unsafe.WriteUnaligned(block, s0);
        Unsafe.WriteUnaligned(block + l0, s1);
        Unsafe.WriteUnaligned(block + s01, s2);
        Unsafe.WriteUnaligned(block + s01 + l2, s3);
        Unsafe.WriteUnaligned(fifth, s4);
        Unsafe.WriteUnaligned(fifth + l4, s5);
        Unsafe.WriteUnaligned(fifth + s45, s6);
        Unsafe.WriteUnaligned(fifth + s45 + l6, s7);
    }

    /// <summary>The thirty-two-byte slot of <paramref name="id"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> WideSlotAt(byte* slots, nuint id) => Unsafe.ReadUnaligned<Vector256<byte>>(slots + (id * (nuint)TSlot.SlotBytes));

    /// <summary>The sixteen-byte slot at <paramref name="offset"/> bytes into the slots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> SlotAtOffset(byte* slots, nuint offset) => Unsafe.ReadUnaligned<Vector128<byte>>(slots + offset);

    /// <summary>
    /// Copies the block of <see cref="BlockIds"/> ids given as four pairs (<paramref name="p01"/> to <paramref name="p67"/>,
    /// low half first, all in range) to <paramref name="target"/> and advances it, or returns false, storing nothing,
    /// when one of its tokens has no slot or is long: its advance is then more than a block of full slots. A slot is
    /// moved as one 32-byte vector (UTF-16's).
    /// </summary>
    /// <remarks>
    /// All eight slots are loaded, and the block's length found, before the first store. With each store after its own
    /// load and length (the loop before), the loads of the next tokens waited on stores whose addresses came from
    /// lengths still being read: a probe over o200k's legal-text ids ran 1.14 times as fast this way for UTF-8 slots and
    /// 1.09 times for UTF-16.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CopyBlock(ulong p01, ulong p23, ulong p45, ulong p67, byte* slots, byte* lengths, ref byte* target)
    {
        nuint i0 = (uint)p01, i1 = (nuint)(p01 >> 32), i2 = (uint)p23, i3 = (nuint)(p23 >> 32);
        nuint i4 = (uint)p45, i5 = (nuint)(p45 >> 32), i6 = (uint)p67, i7 = (nuint)(p67 >> 32);
        Vector256<byte> s0 = WideSlotAt(slots, i0), s1 = WideSlotAt(slots, i1), s2 = WideSlotAt(slots, i2), s3 = WideSlotAt(slots, i3);
        Vector256<byte> s4 = WideSlotAt(slots, i4), s5 = WideSlotAt(slots, i5), s6 = WideSlotAt(slots, i6), s7 = WideSlotAt(slots, i7);
        nint l0 = lengths[i0], l2 = lengths[i2], l4 = lengths[i4], l6 = lengths[i6];

        // Summed as a tree, not one after another: the position carried from block to block then waits on one add per
        // block instead of eight, and each store's address is at most two adds from it. (Fewer locals than a name per
        // length and position: with more, the JIT stopped inlining this method.)
        nint s01 = l0 + lengths[i1], s23 = l2 + lengths[i3];
        nint s45 = l4 + lengths[i5], s67 = l6 + lengths[i7];
        nint s03 = s01 + s23, advance = s03 + s45 + s67;
        if (advance > BlockAdvance)
        {
            return false;
        }

        byte* block = target;
        StoreEight(block, block + s03, s0, s1, s2, s3, s4, s5, s6, s7, l0, s01, l2, l4, s45, l6);
        target = block + advance;
        return true;
    }

    /// <summary>Records a block with a long token, its ids and where its output begins (see <see cref="PlaceLongTokens"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RecordLong(ref LongBlock* nextLong, int* ids, byte* start)
    {
        nextLong->Ids = ids;
        nextLong->Start = start;
        nextLong++;
    }

    /// <summary>
    /// Copies tokens one at a time from <paramref name="ids"/> (at most <paramref name="count"/>) to
    /// <paramref name="output"/> + <paramref name="position"/> (in bytes) while they are whole and a whole slot's store
    /// (a long token: its contents) ends within <paramref name="limit"/> bytes of <paramref name="output"/>, and returns
    /// how many it copied. This takes the block a <see cref="CopyBlocks"/> call stopped at up to the token that stopped
    /// it, at the cost of one test per token. It stops right after a long token (<paramref name="afterLong"/>), so that
    /// the blocks resume from the next id.
    /// </summary>
    private int CopySingles(int* ids, int count, byte* output, ref int position, int limit, out bool afterLong)
    {
        byte* slots = SlotsStart;
        byte* lengths = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_lengths));
        nint at = position;
        int copied = 0;
        afterLong = false;
        for (; copied < count; copied++)
        {
            uint id = (uint)ids[copied];
            if (id >= (uint)_lengths.Length)
            {
                break;
            }

            byte* slot = slots + ((nuint)id * (nuint)TSlot.SlotBytes);
            if (IsLong(lengths[id]))
            {
                // Copied here rather than by the decode loop that called Copy, and Copy goes back to blocks right
                // after it: a block with a run of spaces in it costs no return to that loop.
                int start = Unsafe.ReadUnaligned<int>(slot);
                int bytes = Unsafe.ReadUnaligned<int>(slot + sizeof(int));
                if (at > limit - bytes)
                {
                    break;
                }

                CopyExactly(start, bytes, output + at);
                at += bytes;
                copied++;
                afterLong = true;
                break;
            }

            if (lengths[id] > SlotContentBytes || at > limit - TSlot.SlotBytes)
            {
                break;
            }

            TSlot.Move(output + at, slot);
            at += lengths[id];
        }

        position = (int)at;
        return copied;
    }
}
