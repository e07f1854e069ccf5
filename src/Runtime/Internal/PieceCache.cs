using System;
using TokenizerCompiler.Core.Tables;

namespace TokenizerCompiler.Internal;

/// <summary>
/// A per-thread, direct-mapped cache of the merge results of short pieces that are not tokens themselves.
/// Text is repetitive (the same words recur), and merging is most of the cost of a piece that misses the
/// vocabulary; a hit costs one hash, one key comparison and a copy. Per thread, so there are no locks and no
/// sharing; allocated once per thread and tokenizer, so encoding stays allocation-free after warm-up. A
/// collision only evicts: the full key is compared, so a hit is always exact.
/// </summary>
internal sealed class PieceCache
{
    /// <summary>Longest piece that is cached.</summary>
    public const int MaxKeyLength = 32;

    private const int MaxIds = 16;
    private const int SlotCount = 2048;
    private const int CachesPerThread = 4;

    [ThreadStatic]
    private static PieceCache? t_caches;

    private readonly TokenizerTables _tables;
    private readonly ulong[] _hashes = new ulong[SlotCount]; // 0 marks an empty slot
    private readonly byte[] _keys = new byte[SlotCount * MaxKeyLength];
    private readonly byte[] _keyLengths = new byte[SlotCount];
    private readonly int[] _ids = new int[SlotCount * MaxIds];
    private readonly byte[] _counts = new byte[SlotCount];
    private PieceCache? _next;

    private PieceCache(TokenizerTables tables) => _tables = tables;

    /// <summary>This thread's cache for <paramref name="tables"/> (the few most recently used tokenizers keep theirs).</summary>
    public static PieceCache For(TokenizerTables tables)
    {
        PieceCache? first = t_caches;
        if (first is not null && first._tables == tables)
        {
            return first;
        }

        PieceCache? previous = first;
        int depth = 1;
        for (PieceCache? cache = first?._next; cache is not null; previous = cache, cache = cache._next, depth++)
        {
            if (cache._tables == tables)
            {
                previous!._next = cache._next; // move to the front
                cache._next = first;
                t_caches = cache;
                return cache;
            }

            if (depth == CachesPerThread - 1)
            {
                cache._next = null; // forget the least recently used tokenizer's cache
                break;
            }
        }

        var created = new PieceCache(tables) { _next = first };
        t_caches = created;
        return created;
    }

    /// <summary>Copies the cached ids of <paramref name="piece"/> into <paramref name="output"/>; returns their count, or 0 on a miss.</summary>
    public int TryGet(ReadOnlySpan<byte> piece, ulong hash, Span<int> output)
    {
        int slot = (int)(hash & (SlotCount - 1));
        if (_hashes[slot] != hash || _keyLengths[slot] != piece.Length
            || !piece.SequenceEqual(_keys.AsSpan(slot * MaxKeyLength, piece.Length)))
        {
            return 0;
        }

        int count = _counts[slot];
        _ids.AsSpan(slot * MaxIds, count).CopyTo(output);
        return count;
    }

    /// <summary>Remembers the ids of <paramref name="piece"/> (when they fit).</summary>
    public void Add(ReadOnlySpan<byte> piece, ulong hash, ReadOnlySpan<int> ids)
    {
        if (ids.Length > MaxIds)
        {
            return;
        }

        int slot = (int)(hash & (SlotCount - 1));
        _hashes[slot] = hash;
        _keyLengths[slot] = (byte)piece.Length;
        piece.CopyTo(_keys.AsSpan(slot * MaxKeyLength));
        _counts[slot] = (byte)ids.Length;
        ids.CopyTo(_ids.AsSpan(slot * MaxIds));
    }

    /// <summary>The cache key hash of a piece (never 0, which marks empty slots).</summary>
    public static ulong HashOf(ReadOnlySpan<byte> piece) => TokenHash.Hash(piece, 0x9E37) | 1;
}
