using System;
using System.Buffers;
using System.Text;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Internal;
using TokenizerCompiler.Internal.Backtracking;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Hugging Face's BPE model over one pre-tokenized piece: the piece becomes symbols (bytes of a byte-level
/// model, characters otherwise, with continuing-subword prefix, end-of-word suffix, byte fallback and unknown
/// handling as configured), then the adjacent pair with the lowest merge rank is merged, leftmost on ties,
/// until no pair has a merge. Short words use arrays on the stack; long ones (a whole executable is one word
/// in Binary BPE) a heap over a linked list, O(n log n).
/// </summary>
internal sealed class MergeListModel : IWordModel
{
    private const int SmallWordLimit = 64;

    /// <summary>SentencePiece's word-start mark, ▁ (U+2581), in UTF-8.</summary>
    internal static ReadOnlySpan<byte> WordMarker => "\u2581"u8;
    private readonly TokenizerTables _tables;
    private readonly BpeOptions _options;
    private readonly int[] _byteIds = new int[256];
    private readonly int[] _fallbackIds = new int[256];
    private readonly bool _hasAffixes;
    private readonly byte[] _prefix;
    private readonly byte[] _suffix;
    private readonly Lazy<WordStarts?> _wordStarts;

    public MergeListModel(TokenizerTables tables, BpeOptions options)
    {
        _tables = tables;
        _options = options;
        _prefix = Encoding.UTF8.GetBytes(options.ContinuingSubwordPrefix);
        _suffix = Encoding.UTF8.GetBytes(options.EndOfWordSuffix);
        _hasAffixes = _prefix.Length + _suffix.Length > 0;
        _wordStarts = new Lazy<WordStarts?>(FindCharactersBeforeWordStarts);
        Span<byte> one = stackalloc byte[1];
        for (int b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            _byteIds[b] = tables.Lookup(one);
            _fallbackIds[b] = tables.Lookup(Encoding.ASCII.GetBytes($"<0x{b:X2}>"));
        }
    }

    /// <summary>Encodes one piece (UTF-8) into <paramref name="output"/>, which holds at least one id per byte.</summary>
    public int Encode(ReadOnlySpan<byte> piece, Span<int> output) => Encode(PieceCache.For(_tables), piece, output);

    /// <summary>Where a SentencePiece-style word may be cut before a ▁, or null when this model has no such cuts.</summary>
    public WordStarts? WordStarts => _wordStarts.Value;

    /// <summary>
    /// Whether a model with <paramref name="options"/> merges the text's own characters: not byte-level (which needs
    /// the ByteLevel pre-tokenizer's mapping) and without affixes (which mark a word's first and last symbols).
    /// </summary>
    public static bool MergesPlainCharacters(BpeOptions options) =>
        !options.ByteLevel && options.ContinuingSubwordPrefix.Length == 0 && options.EndOfWordSuffix.Length == 0;

    /// <summary>
    /// Whether a piece that is a token always encodes to that token (ignore_merges); otherwise only a merge that was
    /// run and remembered says so (see <see cref="PieceCache.EncodeHot"/>).
    /// </summary>
    public bool TokenIsResult => _options.IgnoreMerges;

    /// <summary>This thread's caches for the model's tables (a loop over many pieces looks them up once).</summary>
    public PieceCache ThreadCache() => PieceCache.For(_tables);

    /// <summary>
    /// <see cref="Encode(PieceCache, ReadOnlySpan{byte}, Span{int})"/> into a buffer of its own, then hands the ids to the sink as one piece starting at
    /// <paramref name="start"/>; returns whether the sink took them. One slot per byte is room enough: the model writes
    /// at most one id per character of the piece's own bytes, or per byte with byte fallback. The buffer is on the
    /// stack up to <see cref="StackIds"/> slots and pooled above. The encode loops call this for the pieces the caches
    /// do not answer and hold no stackalloc themselves: a method with a loop and a stackalloc is compiled fully
    /// optimized at once, without the profile tiered compilation gives.
    /// </summary>
    public bool EncodeToSink<TSink>(PieceCache cache, ReadOnlySpan<byte> piece, int start, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        int[]? rented = piece.Length > StackIds ? ArrayPool<int>.Shared.Rent(piece.Length) : null;
        Span<int> ids = rented ?? stackalloc int[StackIds];
        int count = Encode(cache, piece, ids);
        bool accepted = sink.Accept(ids[..count], start, start + piece.Length);
        if (rented is not null)
        {
            ArrayPool<int>.Shared.Return(rented); // no finally: an exception only leaves the array to the collector
        }

        return accepted;
    }

    /// <summary>Most ids <see cref="EncodeToSink"/> keeps on the stack.</summary>
    private const int StackIds = 256;

    /// <summary>Encodes one piece with this thread's caches (<see cref="ThreadCache"/>).</summary>
    public int Encode(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        // SentencePiece-style models see whole lines as one piece: split them into words first, so that the words
        // (which recur) are what the caches hold, not the lines (which do not, and would crowd the words out).
        if (piece.Length > WordMarker.Length && _wordStarts.Value is { } starts)
        {
            int split = SplitAtWordStarts(cache, piece, output, starts);
            if (split >= 0)
            {
                return split;
            }
        }

        return EncodeWord(cache, piece, output);
    }

    /// <summary>
    /// Encodes a piece without looking for word starts to cut it at (a word, or a piece of a model without ▁ words);
    /// any such cut gives the same ids, so a caller that already cut its text into words can skip the search.
    /// </summary>
    public int EncodeWord(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        if ((uint)(piece.Length - 1) < PieceCache.HotKeyLength)
        {
            // Short words through the hot tables: with ignore_merges a word that is a token is that token; without,
            // only results this model's merges produced (and remembered) are returned.
            int known = cache.EncodeHot(piece, output, TokenIsResult);
            if (known > 0)
            {
                return known;
            }

            int merged = EncodeCached(cache, piece, output);
            cache.RememberMerge(piece, output[..merged]);
            return merged;
        }

        if (_options.IgnoreMerges)
        {
            int whole = _tables.Lookup(piece);
            if (whole >= 0)
            {
                output[0] = whole;
                return 1;
            }
        }

        return EncodeCached(cache, piece, output);
    }

    /// <summary>Encodes a piece through the merge-result tier of this thread's cache.</summary>
    private int EncodeCached(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        if (piece.Length <= PieceCache.MaxKeyLength)
        {
            ulong hash = PieceCache.HashOf(piece);
            int cached = cache.TryGet(piece, hash, output);
            if (cached > 0)
            {
                return cached;
            }

            int count = EncodeUncached(cache, piece, output);
            if (count > 0)
            {
                cache.Add(piece, hash, output[..count]);
            }

            return count;
        }

        return EncodeUncached(cache, piece, output);
    }

    private int EncodeUncached(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        if (!_hasAffixes && piece.Length > BytePairMerger.SmallPieceLimit && _tables.MergeTreeFor(piece.Length) is { } tree && tree.Covers(piece))
        {
            // Long words: the backtracking search instead of a merge per symbol (see BacktrackingEncoder).
            var ranks = new MergeListPairRanks(cache);
            int found = tree.WalksLatin1
                ? EncodeLatin1(tree, cache, ref ranks, piece, output)
                : BacktrackingEncoder.Encode(tree, cache, ref ranks, piece, output);
            if (found >= 0)
            {
                return found;
            }
        }

        return EncodeByMergeLoop(cache, piece, output);
    }

    /// <summary>
    /// Searches a piece through a tree spelled in Latin-1 (Binary BPE): the piece's characters, all at most U+00FF, as a
    /// byte each, so that the trie walk reads a byte per step and every length is in characters. -1 when a character
    /// is above U+00FF (the merge loop handles it).
    /// </summary>
    private static int EncodeLatin1(MergeTree tree, PieceCache cache, ref MergeListPairRanks ranks, ReadOnlySpan<byte> piece, Span<int> output)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(piece.Length);
        try
        {
            int length = Text.Latin1.Narrow(piece, rented);
            return length < 0 ? -1 : SegmentedSearch.Encode(tree, cache, ref ranks, rented.AsSpan(0, length), output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The tree that searches a whole word of <paramref name="length"/> Latin-1 bytes (a byte per character, as Binary
    /// BPE reads a file) into <paramref name="room"/> ids straight from those bytes (<see cref="EncodeLatin1Word"/>),
    /// without the UTF-8 copy that the text path makes and the search would narrow again; null when that path does not
    /// apply: no tree spelled in Latin-1 (yet), a word short enough for the caches, tokens out of merge order, affixes,
    /// or less than a slot per byte.
    /// </summary>
    public MergeTree? Latin1TreeFor(int length, int room) =>
        !_hasAffixes && length > PieceCache.MaxKeyLength && room >= length
            && _tables.MergeTreeFor(length) is { WalksLatin1: true, OutOfOrderCount: 0 } tree
            ? tree
            : null;

    /// <summary>
    /// Encodes a whole word of Latin-1 bytes through <paramref name="tree"/> (from <see cref="Latin1TreeFor"/>) into
    /// <paramref name="output"/>; -1, having written nothing useful, at a byte that is no token (then encode the word's
    /// UTF-8).
    /// </summary>
    public static int EncodeLatin1Word(MergeTree tree, PieceCache cache, ReadOnlySpan<byte> latin1, Span<int> output)
    {
        var ranks = new MergeListPairRanks(cache);
        return SegmentedSearch.Encode(tree, cache, ref ranks, latin1, output);
    }

    /// <summary>The piece's symbols merged by the merge loop itself (the backtracking search's reference in tests).</summary>
    internal int EncodeByMergeLoop(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output)
    {
        int count = Symbols(cache, piece, output);
        return count <= SmallWordLimit ? MergeSmall(cache, output, count) : MergeLarge(cache, output, count);
    }

    /// <summary>The symbols the merges of <paramref name="piece"/> start from (bytes, or characters with byte fallback), and how many.</summary>
    internal int Symbols(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output) =>
        _options.ByteLevel ? ByteSymbols(piece, output) : CharacterSymbols(cache, piece, output);

    /// <summary>
    /// SentencePiece-style models (Llama 2, Gemma) have no pre-tokenizer: a whole text is one word, with ▁ for spaces.
    /// A merge can only join symbols into a token of the vocabulary, so where no token contains the character before
    /// a ▁ followed by that ▁, no merge crosses that point, and the word can be encoded in parts there with the same
    /// result (and the parts hit the piece cache). Returns -1 when there is no such point.
    /// </summary>
    private int SplitAtWordStarts(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> output, WordStarts starts)
    {
        ReadOnlySpan<byte> marker = WordMarker;
        int start = 0, count = 0, searchFrom = 1;
        while (searchFrom < piece.Length)
        {
            int found = piece[searchFrom..].IndexOf(marker);
            if (found < 0)
            {
                break;
            }

            int at = searchFrom + found;
            searchFrom = at + marker.Length;
            if (starts.CanSplitBefore(piece, at))
            {
                count += EncodeWord(cache, piece[start..at], output[count..]);
                start = at;
            }
        }

        return start == 0 ? -1 : count + EncodeWord(cache, piece[start..], output[count..]);
    }

    /// <summary>The characters some token has right before a ▁ (null when words cannot be split: see <see cref="SplitAtWordStarts"/>).</summary>
    private WordStarts? FindCharactersBeforeWordStarts()
    {
        if (_options.ByteLevel || _options.IgnoreMerges || _hasAffixes)
        {
            return null;
        }

        var found = new System.Collections.Generic.HashSet<int>();
        ReadOnlySpan<byte> marker = WordMarker;
        for (int id = 0; id < _tables.VocabularySize; id++)
        {
            ReadOnlySpan<byte> token = _tables.TokenBytes(id);
            for (int at = token.IndexOf(marker); at > 0; at = NextMarker(token, at + marker.Length, marker))
            {
                if (WordStarts.CharacterBefore(token, at) is int previous)
                {
                    found.Add(previous);
                }
            }
        }

        return new WordStarts(found);
    }

    private static int NextMarker(ReadOnlySpan<byte> token, int from, ReadOnlySpan<byte> marker)
    {
        int next = from < token.Length ? token[from..].IndexOf(marker) : -1;
        return next < 0 ? -1 : from + next;
    }

    private int ByteSymbols(ReadOnlySpan<byte> piece, Span<int> symbols)
    {
        var unknown = new UnknownRun(_options);
        int count = 0;
        foreach (byte b in piece)
        {
            int id = _byteIds[b];
            if (id >= 0)
            {
                unknown.Flush(symbols, ref count);
                symbols[count++] = id;
            }
            else
            {
                unknown.Add(symbols, ref count);
            }
        }

        unknown.Flush(symbols, ref count);
        return count;
    }

    private int CharacterSymbols(PieceCache cache, ReadOnlySpan<byte> piece, Span<int> symbols)
    {
        var unknown = new UnknownRun(_options);
        Span<byte> key = stackalloc byte[64];
        int count = 0;
        for (int i = 0; i < piece.Length;)
        {
            int length = Utf8Length(piece[i]);
            length = Math.Min(length, piece.Length - i);
            ReadOnlySpan<byte> character = piece.Slice(i, length);
            bool last = i + length == piece.Length;
            scoped ReadOnlySpan<byte> lookup = character;
            if (_hasAffixes && (i > 0 || last) && _prefix.Length + length + _suffix.Length <= key.Length)
            {
                int k = 0;
                if (i > 0)
                {
                    _prefix.CopyTo(key);
                    k = _prefix.Length;
                }

                character.CopyTo(key.Slice(k));
                k += length;
                if (last)
                {
                    _suffix.CopyTo(key.Slice(k));
                    k += _suffix.Length;
                }

                lookup = key[..k];
            }

            int id = cache.LookupToken(lookup);
            if (id >= 0)
            {
                unknown.Flush(symbols, ref count);
                symbols[count++] = id;
            }
            else if (!(_options.ByteFallback && TryByteFallback(lookup, symbols, ref count)))
            {
                unknown.Add(symbols, ref count);
            }

            i += length;
        }

        unknown.Flush(symbols, ref count);
        return count;
    }

    private bool TryByteFallback(ReadOnlySpan<byte> character, Span<int> symbols, ref int count)
    {
        foreach (byte b in character)
        {
            if (_fallbackIds[b] < 0)
            {
                return false;
            }
        }

        foreach (byte b in character)
        {
            symbols[count++] = _fallbackIds[b];
        }

        return true;
    }

    private static int Utf8Length(byte lead) => lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;

    /// <summary>
    /// The merge loop for up to <see cref="SmallWordLimit"/> symbols: up to a row's width with the parts linked by
    /// position (<see cref="LinkedMerge"/>), longer ones moving the parts after each merge.
    /// </summary>
    internal static int MergeSmall(PieceCache cache, Span<int> symbols, int count)
    {
        if (count > RankRow.Width)
        {
            return MergeShifting(cache, symbols, count);
        }

        var rules = new ListedRules(cache);
        return LinkedMerge.Merge(ref rules, symbols, count);
    }

    /// <summary>A merge list's rule: two parts merge when the list has the pair, at its position in the list.</summary>
    private readonly struct ListedRules(PieceCache cache) : IMergeRules
    {
        public int Merge(int left, int right, int start, int end, out int rank) => cache.LookupMerge(left, right, out rank);
    }

    /// <summary>The merge loop that moves the parts after each merge (the tests' reference for <see cref="LinkedMerge"/>).</summary>
    internal static int MergeShifting(PieceCache cache, Span<int> symbols, int count)
    {
        Span<int> ranks = stackalloc int[SmallWordLimit];
        Span<int> results = stackalloc int[SmallWordLimit];
        for (int i = 0; i < count - 1; i++)
        {
            results[i] = cache.LookupMerge(symbols[i], symbols[i + 1], out ranks[i]);
        }

        while (count > 1)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i < count - 1; i++)
            {
                if (ranks[i] < bestRank)
                {
                    bestRank = ranks[i];
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            symbols[best] = results[best];
            symbols.Slice(best + 2, count - best - 2).CopyTo(symbols.Slice(best + 1));
            ranks.Slice(best + 1, count - best - 2).CopyTo(ranks.Slice(best));
            results.Slice(best + 1, count - best - 2).CopyTo(results.Slice(best));
            count--;
            if (best < count - 1)
            {
                results[best] = cache.LookupMerge(symbols[best], symbols[best + 1], out ranks[best]);
            }

            if (best > 0)
            {
                results[best - 1] = cache.LookupMerge(symbols[best - 1], symbols[best], out ranks[best - 1]);
            }
        }

        return count;
    }

    private static int MergeLarge(PieceCache cache, Span<int> symbols, int count)
    {
        int[] nextArray = ArrayPool<int>.Shared.Rent(count);
        int[] previousArray = ArrayPool<int>.Shared.Rent(count);
        long[] heapKeys = ArrayPool<long>.Shared.Rent(MergeHeap.CapacityFor(count));
        int[] heapRights = ArrayPool<int>.Shared.Rent(MergeHeap.CapacityFor(count));
        var heap = new MergeHeap(heapKeys, heapRights);
        try
        {
            Span<int> next = nextArray.AsSpan(0, count);       // index of the following live symbol, count at the end, -1 once merged away
            Span<int> previous = previousArray.AsSpan(0, count);
            for (int i = 0; i < count; i++)
            {
                next[i] = i + 1;
                previous[i] = i - 1;
            }

            for (int i = 0; i < count - 1; i++)
            {
                if (cache.LookupMerge(symbols[i], symbols[i + 1], out int rank) >= 0)
                {
                    heap.Push(rank, i, i + 1);
                }
            }

            while (heap.TryPop(out int rank, out int left, out int right))
            {
                // Stale entries: a side was merged away or changed since the pair was pushed.
                if (next[left] != right || right >= count)
                {
                    continue;
                }

                int result = cache.LookupMerge(symbols[left], symbols[right], out int current);
                if (result < 0 || current != rank)
                {
                    continue;
                }

                symbols[left] = result;
                int after = next[right];
                next[left] = after;
                next[right] = -1;
                if (after < count)
                {
                    previous[after] = left;
                    if (cache.LookupMerge(result, symbols[after], out int nextRank) >= 0)
                    {
                        heap.Push(nextRank, left, after);
                    }
                }

                if (previous[left] >= 0 && cache.LookupMerge(symbols[previous[left]], result, out int priorRank) >= 0)
                {
                    heap.Push(priorRank, previous[left], left);
                }
            }

            int written = 0;
            for (int i = 0; i < count; i = next[i])
            {
                symbols[written++] = symbols[i];
            }

            return written;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(heapKeys);
            ArrayPool<int>.Shared.Return(heapRights);
            ArrayPool<int>.Shared.Return(nextArray);
            ArrayPool<int>.Shared.Return(previousArray);
        }
    }

    /// <summary>Consecutive symbols outside the vocabulary: one unknown token each, or one for the run when fused; dropped without an unknown token.</summary>
    private struct UnknownRun(BpeOptions options)
    {
        private bool _pending;

        public void Add(Span<int> symbols, ref int count)
        {
            if (options.UnknownId < 0)
            {
                return;
            }

            if (_pending && !options.FuseUnknown)
            {
                symbols[count++] = options.UnknownId;
            }

            _pending = true;
        }

        public void Flush(Span<int> symbols, ref int count)
        {
            if (_pending)
            {
                symbols[count++] = options.UnknownId;
                _pending = false;
            }
        }
    }
}
