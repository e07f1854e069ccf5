using System;
using System.Runtime.InteropServices;

namespace TokenizerCompiler.Internal;

/// <summary>
/// The merge results of pieces that are not tokens (up to <see cref="PieceCache.MaxKeyLength"/> bytes): an
/// open-addressing table of slots over one arena that holds each entry's ids followed by its key bytes, so that a
/// hit reads one slot and one stretch of the arena (usually one cache line each; the slot fields and the key and ids
/// lived in five arrays before, and a hit on KL3M-001's three-token words cost several misses). It starts at 8192
/// slots (at most half full; 16 bytes of slot and 32 of arena per slot: 384 KB) and doubles when it fills, up to
/// 65536 slots (3 MB), then empties itself whenever it fills again. Growing matters for
/// vocabularies whose words are often three tokens or more (Llama 2, Gemma, KL3M; most scripts other than Latin in
/// o200k): a megabyte of prose has over ten thousand such words, and a table that empties itself every few thousand
/// keeps none of them for the next use. A direct-mapped table lost most of them to collisions.
/// </summary>
internal sealed class MergeResultCache
{
    /// <summary>Pieces longer than this are added only when the table has room for them as it is and can still grow.</summary>
    public const int LongKeyLength = 256;

    private const int InitialSlotBits = 13;
    private const int MaxSlotBits = 16;
    private const int ArenaWordsPerSlot = 8; // four ids and sixteen key bytes

    private int _slotBits = InitialSlotBits;
    private Slot[] _slots = new Slot[1 << InitialSlotBits]; // a hash of 0 marks an empty slot
    private int[] _arena = new int[ArenaWordsPerSlot << InitialSlotBits];
    private int _entries;
    private int _arenaUsed;

    /// <summary>Copies the cached ids of <paramref name="piece"/> into <paramref name="output"/>; returns their count, or 0 on a miss.</summary>
    public int TryGet(ReadOnlySpan<byte> piece, ulong hash, Span<int> output)
    {
        if (!TryView(piece, hash, out ReadOnlySpan<int> ids))
        {
            return 0;
        }

        ids.CopyTo(output);
        return ids.Length;
    }

    /// <summary>The cached ids of <paramref name="piece"/> where they are stored (valid until the next <see cref="Add"/>), or false on a miss.</summary>
    public bool TryView(ReadOnlySpan<byte> piece, ulong hash, out ReadOnlySpan<int> ids)
    {
        int mask = _slots.Length - 1;
        for (int index = (int)(hash >> (64 - _slotBits)); ; index = (index + 1) & mask)
        {
            ref Slot slot = ref _slots[index];
            if (slot.Hash == 0)
            {
                ids = default;
                return false;
            }

            if (slot.Hash == hash && slot.KeyLength == piece.Length)
            {
                Span<int> entry = _arena.AsSpan(slot.Start, slot.IdCount + KeyWords(piece.Length));
                if (piece.SequenceEqual(MemoryMarshal.AsBytes(entry[slot.IdCount..])[..piece.Length]))
                {
                    ids = entry[..slot.IdCount];
                    return true;
                }
            }
        }
    }

    /// <summary>Remembers the ids of <paramref name="piece"/> (at most <see cref="PieceCache.MaxKeyLength"/> bytes), growing or emptying the table first when it is full.</summary>
    public void Add(ReadOnlySpan<byte> piece, ulong hash, ReadOnlySpan<int> ids)
    {
        int words = ids.Length + KeyWords(piece.Length);
        bool full = _entries == _slots.Length / 2 || _arenaUsed + words > _arena.Length;
        if (piece.Length > LongKeyLength && (full || _slotBits == MaxSlotBits))
        {
            // Long pieces only take free room while the table can still grow: at its largest, room they took would
            // make the short pieces that recur empty it sooner (see PieceCache.MaxKeyLength).
            return;
        }

        if (full)
        {
            if (_slotBits < MaxSlotBits)
            {
                Grow();
            }
            else
            {
                Array.Clear(_slots);
                _entries = _arenaUsed = 0;
            }
        }

        ref Slot slot = ref _slots[FreeSlot(_slots, _slotBits, hash)];
        slot = new Slot { Hash = hash, Start = _arenaUsed, KeyLength = (short)piece.Length, IdCount = (short)ids.Length };
        Span<int> entry = _arena.AsSpan(_arenaUsed, words);
        ids.CopyTo(entry);
        piece.CopyTo(MemoryMarshal.AsBytes(entry[ids.Length..]));
        _arenaUsed += words;
        _entries++;
    }

    /// <summary>Arena words that hold a key of <paramref name="length"/> bytes.</summary>
    private static int KeyWords(int length) => (length + sizeof(int) - 1) / sizeof(int);

    /// <summary>Doubles the table and the arena, keeping every entry (arena offsets stay valid).</summary>
    private void Grow()
    {
        int bits = _slotBits + 1;
        var slots = new Slot[1 << bits];
        foreach (Slot old in _slots)
        {
            if (old.Hash != 0)
            {
                slots[FreeSlot(slots, bits, old.Hash)] = old;
            }
        }

        Array.Resize(ref _arena, ArenaWordsPerSlot << bits);
        (_slots, _slotBits) = (slots, bits);
    }

    private static int FreeSlot(Slot[] slots, int bits, ulong hash)
    {
        int mask = slots.Length - 1;
        int index = (int)(hash >> (64 - bits));
        while (slots[index].Hash != 0)
        {
            index = (index + 1) & mask;
        }

        return index;
    }

    /// <summary>One entry: its hash (0: empty), where its ids start in the arena (its key follows them), and both lengths.</summary>
    private struct Slot
    {
        public ulong Hash;
        public int Start;
        public short KeyLength;
        public short IdCount;
    }
}
