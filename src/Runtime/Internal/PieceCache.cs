using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TokenizerCompiler.Core.Tables;

namespace TokenizerCompiler.Internal;

/// <summary>
/// The per-thread caches of one tokenizer's tables. Two tiers:
/// <list type="bullet">
/// <item>A hot tier for byte strings of up to <see cref="HotKeyLength"/> bytes (almost every piece of prose and
/// almost every string a merge step looks up): the key lives inline, so a hit is one load of one entry, against
/// two or three dependent loads from the megabytes of the perfect hash for a plain lookup. Strings of up to
/// eight bytes (most pieces) have 16-byte entries in a 128 K-entry table (2 MB; at 32 K entries o200k encoded a
/// megabyte of code 10 % slower and one of prose 6 %, legal text and mixed scripts the same: pieces that recur past
/// 32 K distinct ones kept being evicted and merged again); 9 to 16 bytes, 32-byte entries
/// in a 16 K-entry table (512 KB; half that measured 2-7 % slower on Llama 2's and Gemma's legal text, whose
/// ▁-prefixed words are often nine bytes or more). An entry remembers whether the bytes are a token, and for a piece that is
/// not, its ids when there are two (up to two in the long table).</item>
/// <item>A tier for merge results of pieces up to <see cref="MaxKeyLength"/> bytes.</item>
/// </list>
/// Text is repetitive (the same words recur), and merging is most of the cost of a piece that misses the
/// vocabulary. Per thread, so there are no locks and no sharing; allocated once per thread and tokenizer, so
/// encoding stays allocation-free after warm-up. The full key is compared, so a hit is always exact.
/// </summary>
internal sealed class PieceCache
{
    /// <summary>
    /// Longest piece whose merge result is cached. Pieces over <see cref="MergeResultCache.LongKeyLength"/> bytes
    /// (a line of minified code is one SentencePiece word) are cached only into free room while the table can still
    /// grow: they never trigger a grow or an emptying themselves, so a stream of long pieces seen once cannot push out
    /// the words that recur.
    /// </summary>
    public const int MaxKeyLength = 4096;

    /// <summary>Longest byte string the hot tier holds.</summary>
    public const int HotKeyLength = 16;

    /// <summary>Most ids of a piece's merge result the hot tier holds.</summary>
    public const int HotIds = 2;

    /// <summary>Longest byte string the short hot table holds (16-byte entries: the key fits one word).</summary>
    private const int ShortKeyLength = 8;

    private const int ShortBits = 17;
    private const int ShortWays = 4; // entries per bucket: one cache line
    private const int HotWays = 2;
    private const int HotBits = 14;
    private const int PairBits = 14;
    private const int ValidPairBits = 14;
    private const int FirstValidBits = 13;
    private const int FirstValidIdBits = 20; // ids below 2^20 are remembered by FirstValid (every vocabulary here)
    // With the merge-result tier (384 KB to 3 MB, see MergeResultCache), the hot tables (2.5 MB) and the pair
    // table (256 KB): 3.1 to 5.8 MB per thread and tokenizer, and 256 KB more once the backtracking search runs (its
    // two answer tables, 128 KB each).
    private const int CachesPerThread = 4;

    [ThreadStatic]
    private static PieceCache? t_caches;

    private readonly TokenizerTables _tables;
    private readonly MergeResultCache _results = new();
    private readonly ShortEntry[] _short = GC.AllocateArray<ShortEntry>((1 << ShortBits) + ShortWays, pinned: true);
    private readonly int _shortBase; // the first entry of a 64-byte-aligned bucket (the array never moves: pinned)
    private readonly HotEntry[] _hot = GC.AllocateArray<HotEntry>((1 << HotBits) + HotWays, pinned: true);
    private readonly int _hotBase; // as _shortBase
    private readonly PairEntry[] _pairs = new PairEntry[1 << PairBits];
    private readonly int[] _byteIds = new int[256];
    private readonly int[] _twoIds = new int[2]; // the view TryKnownIds gives for a hot entry's two ids
    private ulong[]? _validPairs; // the backtracking encoder's answers, allocated when it first runs
    private FirstValidEntry[]? _firstValid; // the same, a candidate chain at a time (see FirstValid)
    private PieceCache? _next;
    private MergePairFilter? _mergePairs; // the tables' filter of merges, once built (see LookupMerge)
    private Backtracking.PartCache? _latin1Parts; // see Latin1Parts
    private MergeResultCache? _latin1LongParts; // see Latin1LongParts

    /// <summary>A remembered <see cref="FirstValid"/> answer: the two ids (bit 63 marks a used entry), the id found and its length.</summary>
    private struct FirstValidEntry
    {
        public ulong Key;
        public int Id;
        public int Length;
    }

    private PieceCache(TokenizerTables tables)
    {
        _tables = tables;
        _shortBase = FirstAlignedEntry(_short);
        _hotBase = FirstAlignedEntry(_hot);
        Span<byte> one = stackalloc byte[1];
        for (int b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            _byteIds[b] = tables.Lookup(one);
        }
    }

    /// <summary>The index of the first entry of a pinned array that starts a 64-byte line (entry sizes divide 64).</summary>
    private static unsafe int FirstAlignedEntry<T>(T[] pinned)
        where T : struct
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((64 - (address & 63)) & 63) / Unsafe.SizeOf<T>();
    }

    /// <summary>The id of the one-byte token <paramref name="value"/> (-1 when the vocabulary lacks it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ByteTokenId(byte value) => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_byteIds), value);

    /// <summary>
    /// The id of the token spelled by token <paramref name="left"/> followed by token <paramref name="right"/>
    /// (<paramref name="bytes"/>, their concatenation), or -1: a merge step's question, cached by the id pair.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PairToken(int left, int right, ReadOnlySpan<byte> bytes)
    {
        // +1 keeps every real key non-zero (ids are below 2^31), so a zeroed entry is empty.
        ulong key = (((ulong)(uint)left << 32) | (uint)right) + 1;
        ref PairEntry entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_pairs), (nint)((key * 0x9E3779B97F4A7C15UL) >> (64 - PairBits)));
        if (entry.Key == key)
        {
            return entry.Id;
        }

        int id = _tables.Lookup(bytes);
        entry.Key = key;
        entry.Id = id;
        return id;
    }

    /// <summary>
    /// <see cref="TokenizerTables.LookupMerge"/> of a merge-list model, cached by the id pair in the same table as
    /// <see cref="PairToken"/> (a tokenizer's tables use one or the other, never both).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LookupMerge(int left, int right, out int rank)
    {
        if ((left | right) < 0)
        {
            return _tables.LookupMerge(left, right, out rank); // not ids: keep them out of the keyed table
        }

        ulong key = (((ulong)(uint)left << 32) | (uint)right) + 1;
        ref PairEntry entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_pairs), (nint)((key * 0x9E3779B97F4A7C15UL) >> (64 - PairBits)));
        if (entry.Key != key)
        {
            // Most pairs a merge loop asks about never merge, and the merge table is large (Llama 3: 8 MB): the
            // filter answers those from 512 KB (words never seen through Llama 3: 52-64 -> 42-48 ms a mebibyte, probes).
            if ((_mergePairs ??= _tables.MergePairs) is { } filter && !filter.MayMerge(left, right))
            {
                entry.Id = -1;
                entry.Rank = int.MaxValue;
            }
            else
            {
                entry.Id = _tables.LookupMerge(left, right, out entry.Rank);
            }

            entry.Key = key;
        }

        rank = entry.Rank;
        return entry.Id;
    }

    /// <summary>
    /// Whether token <paramref name="left"/> followed by <paramref name="right"/> is a valid pair
    /// (<see cref="Backtracking.MergeTree.IsValidPair"/>), remembered per thread: in real text the same pairs recur,
    /// and the check walks two merge histories through memory the text does not otherwise touch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValidPair<TRanks>(Backtracking.MergeTree tree, ref TRanks ranks, int left, int right, ReadOnlySpan<byte> text, int boundary)
        where TRanks : struct, Backtracking.IPairRanks
    {
        // Bit 63 marks a used entry (ids are below 2^31), bit 31 holds the answer.
        const ulong Answer = 1UL << 31;
        ulong key = (1UL << 63) | ((ulong)(uint)left << 32) | (uint)right;
        ulong[] table = _validPairs ??= new ulong[1 << ValidPairBits];
        ref ulong entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(table), (nint)((key * 0x9E3779B97F4A7C15UL) >> (64 - ValidPairBits)));
        if ((entry & ~Answer) == key)
        {
            return (entry & Answer) != 0;
        }

        bool valid = tree.IsValidPair(ref ranks, left, right, text, boundary, checkTop: true);
        entry = key | (valid ? Answer : 0);
        return valid;
    }

    /// <summary>
    /// The first of <paramref name="candidate"/> and the shorter candidates after it (<see cref="Backtracking.MergeTree.Shorter"/>)
    /// that forms a valid pair after <paramref name="left"/>, its length in <paramref name="length"/> (given for
    /// <paramref name="candidate"/>), or -1 (and 0) when none does; remembered per thread by the two ids.
    /// </summary>
    /// <remarks>
    /// Which candidates a position has follows from the longest one (each shorter one is the longest token that is a
    /// proper prefix of the one before), and whether one forms a valid pair from the two ids, so the answer is the
    /// same wherever the pair meets. The search asks this once the longest candidate did not fit; where none fits it
    /// steps back, and on a run of one byte (a megabyte of zeros, Binary BPE: tokens of one to fifteen zeros, of
    /// which only the eight-byte one follows itself) it stepped back seven times for every token, each time trying
    /// all fifteen candidates one pair check at a time: 113 pair checks a token, 75 ms for the megabyte (with the
    /// walks of such runs answered by the trie, 9.7 ms).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int FirstValid<TRanks>(Backtracking.MergeTree tree, ref TRanks ranks, int left, int candidate, ref int length, ReadOnlySpan<byte> text, int boundary)
        where TRanks : struct, Backtracking.IPairRanks
    {
        if ((uint)(left | candidate) >= 1u << FirstValidIdBits)
        {
            return FirstValidChecked(tree, ref ranks, left, candidate, ref length, text, boundary);
        }

        ulong key = (1UL << 63) | ((ulong)(uint)left << FirstValidIdBits) | (uint)candidate;
        FirstValidEntry[] table = _firstValid ??= new FirstValidEntry[1 << FirstValidBits];
        ref FirstValidEntry entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(table), (nint)((key * 0x9E3779B97F4A7C15UL) >> (64 - FirstValidBits)));
        if (entry.Key == key)
        {
            length = entry.Length;
            return entry.Id;
        }

        int found = FirstValidChecked(tree, ref ranks, left, candidate, ref length, text, boundary);
        entry.Key = key;
        entry.Id = found;
        entry.Length = length;
        return found;
    }

    /// <summary><see cref="FirstValid"/> by a pair check per candidate.</summary>
    private int FirstValidChecked<TRanks>(Backtracking.MergeTree tree, ref TRanks ranks, int left, int candidate, ref int length, ReadOnlySpan<byte> text, int boundary)
        where TRanks : struct, Backtracking.IPairRanks
    {
        while (candidate >= 0 && !IsValidPair(tree, ref ranks, left, candidate, text, boundary))
        {
            candidate = tree.Shorter(candidate, out length);
        }

        if (candidate < 0)
        {
            length = 0;
        }

        return candidate;
    }

    /// <summary>The tables this cache serves.</summary>
    public TokenizerTables Tables => _tables;

    /// <summary>The id of the token whose bytes are exactly <paramref name="bytes"/>, or -1 (a cached <see cref="TokenizerTables.Lookup"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LookupToken(ReadOnlySpan<byte> bytes)
    {
        if ((uint)(bytes.Length - 1) < ShortKeyLength)
        {
            ref ShortEntry entry = ref ShortEntryFor(bytes, out ulong key, out bool hit);
            if (!hit)
            {
                FillShort(ref entry, bytes, key);
            }

            return (entry.Word1 & StateMask) == TokenState ? entry.Word0 : -1;
        }

        if (bytes.Length > HotKeyLength)
        {
            return _tables.Lookup(bytes);
        }

        ref HotEntry hot = ref HotEntryFor(bytes, out ulong a, out ulong b, out bool found);
        return found ? hot.TokenId : Fill(ref hot, bytes, a, b);
    }

    /// <summary>
    /// Writes the ids of a piece of 1 to <see cref="HotKeyLength"/> bytes when the hot tables know them (one id when
    /// the piece is a token, two when its merge result was remembered) and returns how many; 0 when the piece is
    /// not a token and its merge result is not known (then merge it and call <see cref="RememberMerge"/>).
    /// </summary>
    /// <param name="piece">The piece.</param>
    /// <param name="output">Receives the ids.</param>
    /// <param name="tokenIsResult">Whether a piece that is a token always encodes to that token (tiktoken, and Hugging
    /// Face BPE with ignore_merges); otherwise only a merge result this model remembered is returned.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int EncodeHot(ReadOnlySpan<byte> piece, Span<int> output, bool tokenIsResult = true)
    {
        if (piece.Length <= ShortKeyLength)
        {
            ref ShortEntry entry = ref ShortEntryFor(piece, out ulong key, out bool hit);
            if (!hit)
            {
                FillShort(ref entry, piece, key);
            }

            int state = entry.Word1 & StateMask;
            if (state == TokenState && (tokenIsResult || (entry.Word1 & MergeVerified) != 0))
            {
                output[0] = entry.Word0;
                return 1;
            }

            if (state == TwoIdsState)
            {
                output[0] = entry.Word0;
                output[1] = entry.SecondId;
                return 2;
            }

            return 0;
        }

        ref HotEntry hot = ref HotEntryFor(piece, out ulong a, out ulong b, out bool found);
        if (!found)
        {
            Fill(ref hot, piece, a, b);
        }

        if (tokenIsResult && hot.TokenId >= 0)
        {
            output[0] = hot.TokenId;
            return 1;
        }

        int ids = hot.IdCount;
        if (ids > 0)
        {
            output[0] = hot.Id0;
            if (ids > 1)
            {
                output[1] = hot.Id1;
            }
        }

        return ids;
    }

    /// <summary>Remembers the merge result of a hot piece that is not a token, when it has at most <see cref="HotIds"/> ids.</summary>
    public void RememberMerge(ReadOnlySpan<byte> piece, ReadOnlySpan<int> ids)
    {
        if (ids.IsEmpty || ids.Length > HotIds)
        {
            // A model without an unknown token drops what it cannot encode: nothing to remember. More ids than an
            // entry holds: nothing to change, so no lookup (the merge-result tier has them).
            return;
        }

        if (piece.Length <= ShortKeyLength)
        {
            ref ShortEntry entry = ref ShortEntryFor(piece, out _, out bool hit);
            int state = entry.Word1 & StateMask;
            if (hit && ids.Length == 2 && state == NotTokenState && (uint)ids[1] < (1u << 24))
            {
                entry.Word0 = ids[0];
                entry.Word1 = (entry.Word1 & LengthMask) | TwoIdsState | (ids[1] << 8);
            }
            else if (hit && ids.Length == 1 && state == TokenState && ids[0] == entry.Word0)
            {
                entry.Word1 |= MergeVerified; // merging the token's own bytes gives the token
            }

            return;
        }

        ref HotEntry hot = ref HotEntryFor(piece, out _, out _, out bool found);
        if (found && ids.Length <= HotIds)
        {
            hot.Id0 = ids[0];
            hot.Id1 = ids.Length > 1 ? ids[1] : 0;
            hot.Meta = (hot.Meta & 0xFF) | (ids.Length << 8);
        }
    }

    // A short entry's second word: the key's length in the low nibble, its state in the next two bits, whether a
    // token's own merge gives that token in the next, the second merge id above.
    private const int LengthMask = 0xF;
    private const int StateMask = 0x30;
    private const int TokenState = 0x10;
    private const int NotTokenState = 0x20;
    private const int TwoIdsState = 0x30;
    private const int MergeVerified = 0x40;

    /// <summary>
    /// The entry of 1-8 bytes: the one holding them (<paramref name="hit"/>), or the one to fill. A bucket of
    /// <see cref="ShortWays"/> entries is one cache line, so a word whose slot a colliding word took is still found
    /// with no further miss: prose has tens of thousands of distinct short pieces, and in a direct-mapped table of
    /// 32 K entries a quarter of them kept evicting each other, each eviction a perfect-hash lookup to refill.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref ShortEntry ShortEntryFor(ReadOnlySpan<byte> bytes, out ulong key, out bool hit) =>
        ref ShortEntryFor(ref MemoryMarshal.GetReference(bytes), bytes.Length, eightReadable: false, out key, out hit);

    /// <summary>
    /// The encode loops' shortcut: when the hot tables already know the piece
    /// <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>] of 1-16 bytes to encode to one id,
    /// gives that id (as <see cref="EncodeHot"/> would). Otherwise false, and the caller takes the full path, which
    /// fills the tables. Most pieces of real text pass, so the loops take them without a call. A piece of up to eight
    /// bytes is keyed by one 8-byte load with the bytes after it masked off, with no branch on its length (which
    /// changes from piece to piece), so it passes only when eight bytes are readable from its start; 9-16 bytes are
    /// keyed by two overlapping loads inside the piece. (Returning the two-id entries here too measured slower on
    /// cl100k legal text: 399-403 against 421-433 MB/s.)
    /// </summary>
    /// <param name="text">The text the piece lies in (bytes after a short piece may be loaded, never used).</param>
    /// <param name="start">The piece's first byte in <paramref name="text"/>.</param>
    /// <param name="end">The end of the piece.</param>
    /// <param name="tokenIsResult">As for <see cref="EncodeHot"/>.</param>
    /// <param name="id">The piece's one id, when true.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryKnownToken(ReadOnlySpan<byte> text, int start, int end, bool tokenIsResult, out int id)
    {
        int length = end - start;
        if (length > ShortKeyLength)
        {
            // 9-16 bytes: the long hot table, keyed by two overlapping loads inside the piece.
            if (length > HotKeyLength)
            {
                id = -1;
                return false;
            }

            ref HotEntry hot = ref HotEntryFor(text.Slice(start, length), out _, out _, out bool found);
            bool isToken = tokenIsResult && hot.TokenId >= 0;
            id = isToken ? hot.TokenId : hot.Id0;
            return found && (isToken || hot.IdCount == 1);
        }

        if (start > text.Length - 8)
        {
            id = -1;
            return false;
        }

        ref ShortEntry entry = ref ShortEntryFor(ref Unsafe.Add(ref MemoryMarshal.GetReference(text), start), length, eightReadable: true, out _, out bool hit);
        id = entry.Word0;
        return hit && (entry.Word1 & StateMask) == TokenState && (tokenIsResult || (entry.Word1 & MergeVerified) != 0);
    }

    /// <summary>
    /// The encode loops' second shortcut, for a piece <see cref="TryKnownToken"/> turned down: its ids when the caches
    /// already hold its merge result (two ids in a hot entry, or any number in the merge-result tier), as a view that
    /// is valid until the caches change. Otherwise false, and the caller takes the full path. A word of a small
    /// vocabulary is often two or three tokens (KL3M-001: one piece in seven on legal text), and the full path's
    /// buffer, second hot lookup and copies cost about as much as the rest of the piece.
    /// </summary>
    public bool TryKnownIds(ReadOnlySpan<byte> piece, out ReadOnlySpan<int> ids)
    {
        if (piece.Length <= ShortKeyLength)
        {
            ref ShortEntry entry = ref ShortEntryFor(piece, out _, out bool hit);
            if (hit && (entry.Word1 & StateMask) == TwoIdsState)
            {
                _twoIds[0] = entry.Word0;
                _twoIds[1] = entry.SecondId;
                ids = _twoIds;
                return true;
            }
        }
        else if (piece.Length <= HotKeyLength)
        {
            ref HotEntry hot = ref HotEntryFor(piece, out _, out _, out bool found);
            if (found && hot.IdCount == 2)
            {
                _twoIds[0] = hot.Id0;
                _twoIds[1] = hot.Id1;
                ids = _twoIds;
                return true;
            }
        }

        if (piece.Length <= MaxKeyLength)
        {
            return _results.TryView(piece, HashOf(piece), out ids);
        }

        ids = default;
        return false;
    }

    /// <summary>The short table's key of 1-8 bytes: the bytes little-endian, zero above them (with the length, exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShortKey(ref byte start, int length, bool eightReadable)
    {
        if (eightReadable)
        {
            return Unsafe.ReadUnaligned<ulong>(ref start) & (ulong.MaxValue >> (64 - 8 * length));
        }

        if (length >= 4)
        {
            // The last four bytes, shifted down past the ones the first four already hold.
            ulong last = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4));
            return Unsafe.ReadUnaligned<uint>(ref start) | ((last >> (8 * (8 - length))) << 32);
        }

        ulong key = start;
        for (int i = 1; i < length; i++)
        {
            key |= (ulong)Unsafe.Add(ref start, i) << (8 * i);
        }

        return key;
    }

    /// <summary>
    /// <see cref="ShortEntryFor(ReadOnlySpan{byte}, out ulong, out bool)"/> of the <paramref name="length"/> bytes at
    /// <paramref name="start"/>; with <paramref name="eightReadable"/>, eight bytes may be loaded from there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref ShortEntry ShortEntryFor(ref byte start, int length, bool eightReadable, out ulong key, out bool hit)
    {
        key = ShortKey(ref start, length, eightReadable);
        ulong mixed = (key ^ (ulong)length) * 0x9E3779B97F4A7C15UL;
        int bucket = _shortBase + ((int)(mixed >> (64 - ShortBits)) & ~(ShortWays - 1));
        ref ShortEntry first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_short), bucket);
        int victim = (int)(mixed >> 8) & (ShortWays - 1); // on a miss: an empty way (length 0) if any, else this one
        bool foundEmpty = false;
        for (int way = 0; way < ShortWays; way++)
        {
            ref ShortEntry entry = ref Unsafe.Add(ref first, way);
            if (entry.Key == key && (entry.Word1 & LengthMask) == length)
            {
                hit = true;
                return ref entry;
            }

            if (!foundEmpty && (entry.Word1 & LengthMask) == 0)
            {
                victim = way;
                foundEmpty = true;
            }
        }

        hit = false;
        return ref Unsafe.Add(ref first, victim);
    }

    private void FillShort(ref ShortEntry entry, ReadOnlySpan<byte> bytes, ulong key)
    {
        int id = _tables.Lookup(bytes);
        entry.Key = key;
        entry.Word0 = id;
        entry.Word1 = bytes.Length | (id >= 0 ? TokenState : NotTokenState);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref HotEntry HotEntryFor(ReadOnlySpan<byte> bytes, out ulong a, out ulong b, out bool hit)
    {
        // Two ways per bucket (one cache line), as the short table has four: see ShortEntryFor.
        int length = bytes.Length;
        nint slot = HotSlot(bytes, out a, out b);
        ref HotEntry first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_hot), _hotBase + (slot & ~(nint)(HotWays - 1)));
        ref HotEntry second = ref Unsafe.Add(ref first, 1);
        if (first.A == a && first.B == b && (first.Meta & 0xFF) == length)
        {
            hit = true;
            return ref first;
        }

        hit = second.A == a && second.B == b && (second.Meta & 0xFF) == length;
        if (hit || (first.Meta & 0xFF) != 0 && ((second.Meta & 0xFF) == 0 || (slot & 1) != 0))
        {
            return ref second;
        }

        return ref first;
    }

    /// <summary>The hot slot of 1-16 bytes, and their key: two words that, with the length, identify the bytes exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint HotSlot(ReadOnlySpan<byte> bytes, out ulong a, out ulong b)
    {
        // Overlapping loads, as TokenizerTables.Prefix does.
        int length = bytes.Length;
        ref byte start = ref MemoryMarshal.GetReference(bytes);
        if (length >= 8)
        {
            a = Unsafe.ReadUnaligned<ulong>(ref start);
            b = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, length - 8));
        }
        else if (length >= 4)
        {
            a = Unsafe.ReadUnaligned<uint>(ref start) | ((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4)) << 32);
            b = 0;
        }
        else
        {
            a = start | ((ulong)Unsafe.Add(ref start, length >> 1) << 8) | ((ulong)Unsafe.Add(ref start, length - 1) << 16);
            b = 0;
        }

        ulong mixed = (a ^ (b * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)length) * 0x9E3779B97F4A7C15UL;
        return (nint)(mixed >> (64 - HotBits));
    }

    private int Fill(ref HotEntry entry, ReadOnlySpan<byte> bytes, ulong a, ulong b)
    {
        int id = _tables.Lookup(bytes);
        entry.A = a;
        entry.B = b;
        entry.Meta = bytes.Length;
        entry.TokenId = id;
        return id;
    }

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

    /// <summary>
    /// The ids of the parts of whole Latin-1 words (Binary BPE's files) that <see cref="Backtracking.SegmentedSearch"/>
    /// searched before, keyed by their Latin-1 bytes: apart from <see cref="TryGet"/>'s pieces, which are UTF-8.
    /// Created on first use (16 MB).
    /// </summary>
    public Backtracking.PartCache Latin1Parts => _latin1Parts ??= new Backtracking.PartCache();

    /// <summary>
    /// The ids of the longer parts (over <see cref="Backtracking.PartCache.MaxLength"/> bytes, up to
    /// <see cref="MergeResultCache.LongKeyLength"/>) that <see cref="Backtracking.SegmentedSearch"/> searched before,
    /// keyed by their Latin-1 bytes. Created on first use.
    /// </summary>
    public MergeResultCache Latin1LongParts => _latin1LongParts ??= new MergeResultCache();

    /// <summary>Copies the cached ids of <paramref name="piece"/> into <paramref name="output"/>; returns their count, or 0 on a miss.</summary>
    public int TryGet(ReadOnlySpan<byte> piece, ulong hash, Span<int> output) => _results.TryGet(piece, hash, output);

    /// <summary>Remembers the ids of <paramref name="piece"/> (at most <see cref="MaxKeyLength"/> bytes).</summary>
    public void Add(ReadOnlySpan<byte> piece, ulong hash, ReadOnlySpan<int> ids) => _results.Add(piece, hash, ids);

    /// <summary>The cache key hash of a piece (never 0, which marks empty slots).</summary>
    public static ulong HashOf(ReadOnlySpan<byte> piece) => TokenHash.Hash(piece, 0x9E37) | 1;

    /// <summary>
    /// One hot-tier entry: the key (the two words <see cref="HotEntryFor"/> loads), the key's length and the number
    /// of cached merge ids (<see cref="Meta"/>: length in the low byte, id count above), the token id (or -1) and
    /// up to <see cref="HotIds"/> merge ids. 32 bytes, so two entries share a cache line.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 32)]
    internal struct HotEntry
    {
        public ulong A;
        public ulong B;
        public int Meta;
        public int TokenId;
        public int Id0;
        public int Id1;

        /// <summary>How many merge ids the entry holds (0 until a merge result is remembered).</summary>
        public readonly int IdCount => Meta >> 8;
    }

    /// <summary>One short hot entry: the key (up to eight bytes), the token id or first merge id, and a word holding the
    /// key's length, the entry's state and the second merge id. 16 bytes, four to a cache line.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    private struct ShortEntry
    {
        public ulong Key;
        public int Word0;
        public int Word1;

        /// <summary>The second merge id of an entry in the two-id state.</summary>
        public readonly int SecondId => (int)((uint)Word1 >> 8);
    }

    /// <summary>One pair-table entry: the id pair (plus one), the id of their merge (or -1) and its rank.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    private struct PairEntry
    {
        public ulong Key;
        public int Id;
        public int Rank;
    }
}
