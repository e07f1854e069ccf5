using System;

namespace TokenizerCompiler.Internal;

/// <summary>
/// The merge results of pieces that are not tokens (up to <see cref="PieceCache.MaxKeyLength"/> bytes): an
/// open-addressing table over two arenas, one for the keys and one for the ids. It starts at 8192 slots (at most
/// half full, 128 KB of keys, 32 K ids: about 420 KB) and doubles when it fills, up to 65536 slots (about 3.3 MB),
/// then empties itself whenever it fills again. Growing matters for vocabularies whose words are often three
/// tokens or more (Llama 2, Gemma, KL3M; most scripts other than Latin in o200k): a megabyte of prose has over
/// ten thousand such words, and a table that empties itself every few thousand keeps none of them for the next
/// use. A direct-mapped table lost most of them to collisions.
/// </summary>
internal sealed class MergeResultCache
{
    /// <summary>Pieces longer than this are added only when the table has room for them as it is and can still grow.</summary>
    public const int LongKeyLength = 256;

    private const int InitialSlotBits = 13;
    private const int MaxSlotBits = 16;
    private const int KeyBytesPerSlot = 16;
    private const int IdsPerSlot = 4;

    private int _slotBits = InitialSlotBits;
    private ulong[] _hashes = new ulong[1 << InitialSlotBits]; // 0 marks an empty slot
    private int[] _keyStarts = new int[1 << InitialSlotBits];
    private int[] _idStarts = new int[1 << InitialSlotBits];
    private short[] _keyLengths = new short[1 << InitialSlotBits];
    private short[] _idCounts = new short[1 << InitialSlotBits];
    private byte[] _keys = new byte[KeyBytesPerSlot << InitialSlotBits];
    private int[] _ids = new int[IdsPerSlot << InitialSlotBits];
    private int _entries;
    private int _keysUsed;
    private int _idsUsed;

    /// <summary>Copies the cached ids of <paramref name="piece"/> into <paramref name="output"/>; returns their count, or 0 on a miss.</summary>
    public int TryGet(ReadOnlySpan<byte> piece, ulong hash, Span<int> output)
    {
        int mask = _hashes.Length - 1;
        for (int slot = (int)(hash >> (64 - _slotBits)); ; slot = (slot + 1) & mask)
        {
            ulong stored = _hashes[slot];
            if (stored == 0)
            {
                return 0;
            }

            if (stored == hash && _keyLengths[slot] == piece.Length && piece.SequenceEqual(_keys.AsSpan(_keyStarts[slot], piece.Length)))
            {
                int count = _idCounts[slot];
                _ids.AsSpan(_idStarts[slot], count).CopyTo(output);
                return count;
            }
        }
    }

    /// <summary>Remembers the ids of <paramref name="piece"/> (at most <see cref="PieceCache.MaxKeyLength"/> bytes), growing or emptying the table first when it is full.</summary>
    public void Add(ReadOnlySpan<byte> piece, ulong hash, ReadOnlySpan<int> ids)
    {
        bool full = _entries == _hashes.Length / 2 || _keysUsed + piece.Length > _keys.Length || _idsUsed + ids.Length > _ids.Length;
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
                Array.Clear(_hashes);
                _entries = _keysUsed = _idsUsed = 0;
            }
        }

        int slot = FreeSlot(_hashes, _slotBits, hash);
        _hashes[slot] = hash;
        _keyStarts[slot] = _keysUsed;
        _keyLengths[slot] = (short)piece.Length;
        piece.CopyTo(_keys.AsSpan(_keysUsed, piece.Length));
        _keysUsed += piece.Length;
        _idStarts[slot] = _idsUsed;
        _idCounts[slot] = (short)ids.Length;
        ids.CopyTo(_ids.AsSpan(_idsUsed, ids.Length));
        _idsUsed += ids.Length;
        _entries++;
    }

    /// <summary>Doubles the table and both arenas, keeping every entry (arena offsets stay valid).</summary>
    private void Grow()
    {
        int bits = _slotBits + 1;
        var hashes = new ulong[1 << bits];
        var keyStarts = new int[1 << bits];
        var idStarts = new int[1 << bits];
        var keyLengths = new short[1 << bits];
        var idCounts = new short[1 << bits];
        for (int old = 0; old < _hashes.Length; old++)
        {
            if (_hashes[old] != 0)
            {
                int slot = FreeSlot(hashes, bits, _hashes[old]);
                hashes[slot] = _hashes[old];
                keyStarts[slot] = _keyStarts[old];
                idStarts[slot] = _idStarts[old];
                keyLengths[slot] = _keyLengths[old];
                idCounts[slot] = _idCounts[old];
            }
        }

        Array.Resize(ref _keys, KeyBytesPerSlot << bits);
        Array.Resize(ref _ids, IdsPerSlot << bits);
        (_hashes, _keyStarts, _idStarts, _keyLengths, _idCounts, _slotBits) = (hashes, keyStarts, idStarts, keyLengths, idCounts, bits);
    }

    private static int FreeSlot(ulong[] hashes, int bits, ulong hash)
    {
        int mask = hashes.Length - 1;
        int slot = (int)(hash >> (64 - bits));
        while (hashes[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        return slot;
    }
}
