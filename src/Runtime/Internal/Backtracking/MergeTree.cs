using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TokenizerCompiler.Core.Tables;
using TokenizerCompiler.Text;

namespace TokenizerCompiler.Internal.Backtracking;

/// <summary>
/// The merge history of every token of a BPE vocabulary (byte- or character-level), which lets an encoder check whether two
/// adjacent tokens are what BPE itself would leave there without running the merges.
/// <para>
/// Facts it rests on. A token that a merge run produces is always produced by the same last merge: the run on the
/// token's own bytes (its canonical merge), because nothing outside a token's bytes can change the order of the
/// merges inside them without consuming one of those bytes. Two tokens <c>a</c>, <c>b</c> are a valid pair when
/// BPE of their bytes together ends as exactly <c>a</c>, <c>b</c>; that holds unless, at some moment of the two
/// independent merge histories, the token at the end of <c>a</c>'s history and the one at the start of
/// <c>b</c>'s could merge before either is merged into its parent. The BPE result is the only encoding whose
/// adjacent pairs are all valid, so a search over token sequences finds it (see <see cref="BacktrackingEncoder"/>).
/// </para>
/// <para>
/// The check compares ranks as times, which is right only when every token's canonical merge has a higher rank
/// than the merges that made its two parts. <see cref="TryBuild"/> verifies that for the whole vocabulary; pieces
/// that contain the spelling of a token made out of that order are left to the plain merge loop
/// (<see cref="Covers"/>), and a vocabulary with many such tokens is refused.
/// </para>
/// </summary>
internal sealed class MergeTree
{
    /// <summary>The rank of a token no merge run can produce.</summary>
    private const int Unreachable = int.MaxValue;

    /// <summary>The rank of a single byte, there before any merge.</summary>
    private const int Base = -1;

    private readonly TokenizerTables _tables;
    private readonly bool _tiktoken;
    private readonly bool _byteLevel;
    private readonly Node[] _nodes;     // per token: what the pair check reads, one cache line per step
    private readonly Prefix[] _shorter; // per token: its longest producible proper prefix and that prefix's length
    private ByteTrie? _trie;
    private ByteTrie? _outOfOrder;
    private bool _walksLatin1;
    private MergePairFilter? _listedPairs; // merge lists: the tables' filter of every listed merge's (left, right)
    private readonly ulong[] _spelledPairs = new ulong[(1 << 16) / 64]; // a bit per pair of units some producible token spells

    /// <summary>Most out-of-order tokens a vocabulary may have (see <see cref="CheckUnreachable"/>).</summary>
    private const int MaxOutOfOrder = 512;

    private MergeTree(TokenizerTables tables)
    {
        _tables = tables;
        _tiktoken = tables.Pipeline == null;
        _byteLevel = tables.Pipeline is not { } pipeline || pipeline.Model.ByteLevel;
        int size = tables.VocabularySize;
        _nodes = new Node[size];
        _shorter = new Prefix[size];
        for (int id = 0; id < size; id++)
        {
            _nodes[id] = new Node { Rank = Unreachable, Length = tables.TokenLength(id) };
        }
    }

    /// <summary>Whether the vocabulary follows tiktoken's rule (any two parts spelling a token merge, at that token's id).</summary>
    public bool IsTiktoken => _tiktoken;

    /// <summary>The length of token <paramref name="id"/> in the units the search reads: bytes, or characters for a tree spelled in Latin-1 (<see cref="WalksLatin1"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Length(int id) => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_nodes), id).Length;

    /// <summary>
    /// The longest producible token that is a proper prefix of token <paramref name="id"/> and its length (as
    /// <see cref="Length"/> counts it), or -1 (and 0). The length comes with the id, from the same entry: the search needs both for every candidate, and a
    /// load of the length from the node array waited on the id's own load (a random access into 512 KB for Binary BPE).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Shorter(int id, out int length)
    {
        Prefix prefix = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_shorter), id);
        length = prefix.Length;
        return prefix.Id;
    }

    /// <summary>The longest producible token at <paramref name="start"/> of <paramref name="text"/> and its length there (as <see cref="Length"/> counts it), or -1 (and 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Longest(ReadOnlySpan<byte> text, int start, out int length) =>
        _trie!.Longest(text, start, out length);

    /// <summary>How many bytes of one value the walk needs ahead to answer from its run table (0: no table; see <see cref="ByteTrie.RunWindow"/>).</summary>
    public int RunWindow => _trie!.RunWindow;

    /// <summary>
    /// Whether the trie is spelled in Latin-1 characters (Binary BPE), so that the search is given Latin-1 text, a byte
    /// per character, and every length it reads is in characters.
    /// </summary>
    public bool WalksLatin1 => _walksLatin1;

    /// <summary>How many producible tokens are made out of rank order (pieces with their spellings take the merge loop).</summary>
    public int OutOfOrderCount { get; private set; }

    /// <summary>Whether the search may encode <paramref name="piece"/>: it holds no spelling of an out-of-order token.</summary>
    public bool Covers(ReadOnlySpan<byte> piece)
    {
        if (_outOfOrder is not { } excluded)
        {
            return true;
        }

        for (int start = 0; start < piece.Length; start++)
        {
            if (excluded.Longest(piece, start) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether some producible token spells <paramref name="before"/> right before <paramref name="after"/> (bytes, or
    /// Latin-1 characters for a tree that walks them). Where none does, no merge can join across the two, so BPE leaves
    /// a token boundary between them whatever text surrounds them, and a token that ends there forms a valid pair with
    /// any token that starts there: BPE of the two tokens' units is the run on each token's own units, side by side,
    /// and each of those gives the token itself (see the class remarks). Binary BPE spells 24.6 K of the 65 K pairs of
    /// characters, and about 30 % of the token boundaries in executables fall between two it does not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsSpelledBySomeToken(byte before, byte after)
    {
        int pair = (before << 8) | after;
        return (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_spelledPairs), pair >> 6) & (1UL << pair)) != 0;
    }

    /// <summary>
    /// The boundaries of <paramref name="text"/> from <paramref name="start"/> (a multiple of 64) to 63 past it where
    /// no producible token spells the unit before the boundary right before the unit after it
    /// (<see cref="IsSpelledBySomeToken"/>), as bits (bit i for the boundary before unit <paramref name="start"/> + i;
    /// never the one before the first unit; every bit from the end of the text on is set). BPE of the text is BPE of
    /// the part before such a boundary followed by BPE of the part after it.
    /// </summary>
    /// <remarks>Without a branch per unit: a boundary comes every eight to ten bytes of an executable, and a loop that
    /// stopped at each was 13 % of the search's time.</remarks>
    public ulong UnspelledBoundaries(ReadOnlySpan<byte> text, int start)
    {
        ref ulong spelled = ref MemoryMarshal.GetArrayDataReference(_spelledPairs);
        ref byte units = ref MemoryMarshal.GetReference(text);
        int count = Math.Min(64, text.Length - start);
        ulong boundaries = count < 64 ? ~0UL << count : 0;
        for (int i = start == 0 ? 1 : 0; i < count; i++)
        {
            int pair = (Unsafe.Add(ref units, start + i - 1) << 8) | Unsafe.Add(ref units, start + i);
            ulong unspelled = ~(Unsafe.Add(ref spelled, pair >> 6) >> pair) & 1;
            boundaries |= unspelled << i;
        }

        return boundaries;
    }

    /// <summary>Whether a merge run can produce token <paramref name="id"/>.</summary>
    public bool IsProducible(int id) => (uint)id < (uint)_nodes.Length && _nodes[id].Rank != Unreachable;

    /// <summary>
    /// Builds the tree, or returns <see langword="null"/> when the vocabulary lacks a single-byte token or its
    /// merges are not ordered as the pair check needs.
    /// </summary>
    public static MergeTree? TryBuild(TokenizerTables tables)
    {
        var tree = new MergeTree(tables);
        return tree.Build() ? tree : null;
    }

    /// <summary>
    /// Whether <paramref name="left"/> then <paramref name="right"/>, meeting at <paramref name="boundary"/> of
    /// <paramref name="text"/>, is what BPE leaves for their bytes. With <paramref name="checkTop"/> false the merge
    /// of the two tokens themselves is not considered (used while building: they are a token's two parts).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValidPair<TRanks>(ref TRanks ranks, int left, int right, ReadOnlySpan<byte> text, int boundary, bool checkTop)
        where TRanks : struct, IPairRanks
    {
        ref Node nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref Node nodeX = ref Unsafe.Add(ref nodes, left);
        ref Node nodeY = ref Unsafe.Add(ref nodes, right);
        int x = left, y = right;

        // limit: the first rank at which the current pair can no longer merge, because one side is merged into
        // its parent by then. A merge on the left wins a tie (BPE takes the leftmost of equal ranks), so the left
        // side's own rank is the limit, the right side's rank plus one.
        int limit = int.MaxValue;
        bool check = checkTop;
        while (true)
        {
            if (check && MayMerge(x, y) && ranks.Rank(x, y, text.Slice(boundary - nodeX.Length, nodeX.Length + nodeY.Length)) < limit)
            {
                return false;
            }

            check = true;

            // Step back in time: undo whichever of the two was made later.
            if (nodeX.Rank > nodeY.Rank)
            {
                limit = nodeX.Rank;
                x = nodeX.Right;
                nodeX = ref Unsafe.Add(ref nodes, x);
            }
            else if (nodeY.Rank != Base)
            {
                limit = nodeY.Rank + 1;
                y = nodeY.Left;
                nodeY = ref Unsafe.Add(ref nodes, y);
            }
            else
            {
                return true;
            }
        }
    }

    private bool Build()
    {
        if (!(_byteLevel ? FindByteTokens() : FindCharacterTokens()))
        {
            return false;
        }

        (int Left, int Right, int Rank, int Result)[] merges = _tiktoken ? [] : _tables.MergeList();
        _listedPairs = _tiktoken ? null : _tables.WaitForMergePairs(merges);

        var ranks = new TableRanks(_tables, _tiktoken);
        bool ordered = _tiktoken ? FindTiktokenMerges(ref ranks) : FindListedMerges(ref ranks, merges);
        return ordered && CheckUnreachable(ref ranks) && BuildTrie();
    }

    /// <summary>
    /// Whether the merge list may hold (<paramref name="left"/>, <paramref name="right"/>): false means it surely does
    /// not, and the pair check skips the lookup (on the four test executables, 1.19 M merge-table lookups fell to
    /// 0.33 M, and the search ran 1.6 times as fast). Always true for tiktoken, whose pairs are every split of every token.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayMerge(int left, int right) => _listedPairs is not { } filter || filter.MayMerge(left, right);

    /// <summary>Byte-level vocabularies: merges start from bytes, so every byte must be a token.</summary>
    private bool FindByteTokens()
    {
        Span<byte> one = stackalloc byte[1];
        for (int b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            int id = _tables.Lookup(one);
            if (id < 0)
            {
                return false; // a byte without a token: the merge run would drop or replace it, which the search cannot express
            }

            SetMerge(id, id, id, Base);
        }

        return true;
    }

    /// <summary>
    /// Character-level vocabularies (Binary BPE's Latin-1 characters, SentencePiece models): merges start from
    /// characters, so the one-character tokens are the base. A piece with a character outside them is left to the
    /// merge loop (its unknown or byte-fallback handling): the search returns -1 there.
    /// </summary>
    private bool FindCharacterTokens()
    {
        if (_tables.Pipeline is not { } pipeline || pipeline.Model.ContinuingSubwordPrefix.Length + pipeline.Model.EndOfWordSuffix.Length > 0)
        {
            return false; // affixes spell a symbol differently by position
        }

        for (int id = 0; id < _nodes.Length; id++)
        {
            ReadOnlySpan<byte> spelling = _tables.TokenBytes(id);
            if (spelling.Length > 0 && CharacterLength(spelling, 0) == spelling.Length && _tables.Lookup(spelling) == id)
            {
                SetMerge(id, id, id, Base);
            }
        }

        return true;
    }

    /// <summary>The byte length of the UTF-8 character at <paramref name="at"/> (1 for a byte that does not start one).</summary>
    private static int CharacterLength(ReadOnlySpan<byte> text, int at)
    {
        int length = System.Text.Rune.DecodeFromUtf8(text[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done ? consumed : 1;
        return Math.Max(1, length);
    }

    /// <summary>tiktoken: ranks are ids, so tokens in id order find their canonical merge among their split points.</summary>
    private bool FindTiktokenMerges(ref TableRanks ranks)
    {
        for (int id = 0; id < _nodes.Length; id++)
        {
            ReadOnlySpan<byte> spelling = _tables.TokenBytes(id);
            if (_nodes[id].Rank != Unreachable || _tables.Lookup(spelling) != id)
            {
                continue;
            }

            for (int split = 1; split < spelling.Length; split++)
            {
                int left = _tables.Lookup(spelling[..split]);
                int right = _tables.Lookup(spelling[split..]);
                if (left >= 0 && right >= 0 && _nodes[left].Rank < id && _nodes[right].Rank < id
                    && IsValidPair(ref ranks, left, right, spelling, split, checkTop: false))
                {
                    SetMerge(id, left, right, id);
                    break;
                }
            }
        }

        return true;
    }

    /// <summary>Hugging Face: merges in rank order; the first valid merge that makes a token is its canonical merge.</summary>
    private bool FindListedMerges(ref TableRanks ranks, (int Left, int Right, int Rank, int Result)[] merges)
    {
        Array.Sort(merges, static (a, b) => a.Rank.CompareTo(b.Rank));
        foreach ((int left, int right, int rank, int result) in merges)
        {
            if (_nodes[result].Rank != Unreachable || _nodes[left].Rank == Unreachable || _nodes[right].Rank == Unreachable)
            {
                continue;
            }

            if (_nodes[result].Length != _nodes[left].Length + _nodes[right].Length || rank <= _nodes[left].Rank || rank <= _nodes[right].Rank)
            {
                return false; // a merge whose result is not its parts' spelling, or one listed before its parts' merges
            }

            ReadOnlySpan<byte> spelling = _tables.TokenBytes(result);
            if (_tables.Lookup(spelling) == result && IsValidPair(ref ranks, left, right, spelling, _nodes[left].Length, checkTop: false))
            {
                SetMerge(result, left, right, rank);
            }
        }

        return true;
    }

    private void SetMerge(int id, int left, int right, int rank)
    {
        ref Node node = ref _nodes[id];
        (node.Rank, node.Left, node.Right) = (rank, left, right);
    }

    /// <summary>
    /// The ordered search above can only miss a producible token when a token's canonical merge ranks below the
    /// merge of one of its parts. Running the plain merge loop on every token it did not place finds those (Llama 3
    /// has 107, among the tokens it adds to cl100k). The pair check would misjudge merge histories through them,
    /// so a piece that contains one of their spellings is left to the merge loop (<see cref="Covers"/>); pieces
    /// without one never meet them, nor any token built on them. More than a few hundred, and the vocabulary is
    /// refused.
    /// </summary>
    private bool CheckUnreachable(ref TableRanks ranks)
    {
        Span<int> symbols = stackalloc int[Math.Min(_tables.MaxTokenLength, 1024)];
        Span<int> starts = stackalloc int[symbols.Length + 1];
        var outOfOrder = new System.Collections.Generic.List<int>();
        for (int id = 0; id < _nodes.Length; id++)
        {
            ReadOnlySpan<byte> spelling = _tables.TokenBytes(id);
            if (_nodes[id].Rank != Unreachable || spelling.Length < 2 || _tables.Lookup(spelling) != id)
            {
                continue;
            }

            if (spelling.Length > symbols.Length || MergesToOneToken(ref ranks, spelling, symbols, starts) == id)
            {
                outOfOrder.Add(id);
                if (outOfOrder.Count > MaxOutOfOrder)
                {
                    return false;
                }
            }
        }

        if (outOfOrder.Count > 0)
        {
            var excluded = new ByteTrie(_nodes.Length, outOfOrder.Sum(id => _nodes[id].Length));
            foreach (int id in ShortestFirst(outOfOrder, id => _nodes[id].Length))
            {
                excluded.Add(_tables.TokenBytes(id), id);
            }

            _outOfOrder = excluded;
            OutOfOrderCount = outOfOrder.Count;
        }

        return true;
    }

    /// <summary>The plain merge loop on <paramref name="spelling"/>: the single token it ends as, or -1.</summary>
    private int MergesToOneToken(ref TableRanks ranks, ReadOnlySpan<byte> spelling, Span<int> symbols, Span<int> starts)
    {
        int count = 0;
        for (int at = 0; at < spelling.Length; count++)
        {
            int length = _byteLevel ? 1 : CharacterLength(spelling, at);
            symbols[count] = _tables.Lookup(spelling.Slice(at, length));
            if (symbols[count] < 0)
            {
                return -1; // a character that is no token: merges never reach this spelling
            }

            starts[count] = at;
            at += length;
        }

        starts[count] = spelling.Length;
        while (count > 1)
        {
            int best = -1, bestRank = int.MaxValue, bestResult = -1;
            for (int i = 0; i < count - 1; i++)
            {
                int result = ranks.Merge(symbols[i], symbols[i + 1], spelling[starts[i]..starts[i + 2]], out int rank);
                if (result >= 0 && rank < bestRank)
                {
                    best = i;
                    bestRank = rank;
                    bestResult = result;
                }
            }

            if (best < 0)
            {
                return -1;
            }

            symbols[best] = bestResult;
            symbols[(best + 2)..count].CopyTo(symbols[(best + 1)..]);
            starts[(best + 2)..(count + 1)].CopyTo(starts[(best + 1)..]);
            count--;
        }

        return symbols[0];
    }

    private bool BuildTrie()
    {
        var ids = new System.Collections.Generic.List<int>();
        long bytes = 0;
        for (int id = 0; id < _nodes.Length; id++)
        {
            if (_nodes[id].Rank != Unreachable)
            {
                ids.Add(id);
                bytes += _nodes[id].Length;
            }
        }

        if (_nodes.Length + bytes > ByteTrie.MaxNodes)
        {
            return false;
        }

        // The trie's alphabet: Latin-1 characters where every token is spelled in them (Binary BPE), else bytes.
        byte[][]? latin1 = _byteLevel ? null : Latin1Spellings(ids);
        _walksLatin1 = latin1 is not null;
        ReadOnlySpan<byte> Spelling(int id) => latin1 is null ? _tables.TokenBytes(id) : latin1[id];

        foreach (int id in ids)
        {
            ReadOnlySpan<byte> spelling = Spelling(id);
            for (int i = 1; i < spelling.Length; i++)
            {
                int pair = (spelling[i - 1] << 8) | spelling[i];
                _spelledPairs[pair >> 6] |= 1UL << pair;
            }
        }

        var trie = new ByteTrie(_nodes.Length, (int)bytes);
        foreach (int id in ShortestFirst(ids, id => latin1 is null ? _nodes[id].Length : latin1[id].Length))
        {
            trie.Add(Spelling(id), id);
        }

        trie.AddPairTable();
        if (latin1 is not null)
        {
            // A tree spelled in Latin-1 searches Latin-1 text (see WalksLatin1): lengths in characters from here on.
            foreach (int id in ids)
            {
                _nodes[id].Length = latin1[id].Length;
            }
        }

        for (int id = 0; id < _nodes.Length; id++)
        {
            int prefix = _nodes[id].Rank != Unreachable && _nodes[id].Rank != Base ? trie.LongestProperPrefix(Spelling(id)) : -1;
            _shorter[id] = new Prefix(prefix, prefix < 0 ? 0 : _nodes[prefix].Length);
        }

        _trie = trie;
        return true;
    }

    /// <summary>The Latin-1 spellings of <paramref name="ids"/> (by id), or null when one of them has a character above U+00FF.</summary>
    private byte[][]? Latin1Spellings(System.Collections.Generic.List<int> ids)
    {
        var spellings = new byte[_nodes.Length][];
        foreach (int id in ids)
        {
            if (!Latin1.TryGetSpelling(_tables.TokenBytes(id), out spellings[id]))
            {
                return null;
            }
        }

        return spellings;
    }

    /// <summary>
    /// Token ids ordered by the length of the spelling the trie takes (<paramref name="length"/>, in the trie's alphabet),
    /// then id: the order <see cref="ByteTrie.Add"/> takes them in.
    /// </summary>
    private static int[] ShortestFirst(System.Collections.Generic.IEnumerable<int> ids, Func<int, int> length)
    {
        int[] sorted = ids.ToArray();
        Array.Sort(sorted, (a, b) => length(a) != length(b) ? length(a).CompareTo(length(b)) : a.CompareTo(b));
        return sorted;
    }

    /// <summary>Pair ranks straight from the tables (the build runs once, on a pool thread: no cache for it).</summary>
    private readonly struct TableRanks(TokenizerTables tables, bool tiktoken) : IPairRanks
    {
        public int Rank(int left, int right, ReadOnlySpan<byte> joined) => Merge(left, right, joined, out int rank) >= 0 ? rank : int.MaxValue;

        /// <summary>The token <paramref name="left"/> and <paramref name="right"/> merge into, or -1; <paramref name="rank"/> is the merge's rank.</summary>
        public int Merge(int left, int right, ReadOnlySpan<byte> joined, out int rank)
        {
            if (tiktoken)
            {
                int id = tables.Lookup(joined);
                rank = id >= 0 ? id : int.MaxValue;
                return id;
            }

            return tables.LookupMerge(left, right, out rank);
        }
    }

    /// <summary>A token's merge: its rank (when it is made), its two parts, and its byte length.</summary>
    private struct Node
    {
        public int Rank;
        public int Left;
        public int Right;
        public int Length;
    }

    /// <summary>A token and its length, read together (see <see cref="Shorter"/>).</summary>
    private readonly record struct Prefix(int Id, int Length);
}
