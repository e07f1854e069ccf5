using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TokenizerCompiler.Internal.Backtracking;

/// <summary>
/// A byte trie of token spellings that answers one question fast: the longest token that starts at a text
/// position. Edges live in one open-addressing table keyed by (node, byte), so a step is one hash and usually one
/// cache line, whatever the fan-out; the root's 256 edges are a plain array because every walk starts there.
/// A node that spells a token is numbered by that token's id (the other nodes are numbered above every id), so a
/// walk learns whether it has reached a token from the node number alone, without a second lookup: on text whose
/// tokens are not in the CPU caches (executables through Binary BPE) each step costs one miss, not two.
/// </summary>
internal sealed class ByteTrie
{
    /// <summary>Nodes are numbered below this so that (node + 1, byte) packs into the 32-bit key.</summary>
    public const int MaxNodes = (1 << 24) - 2;

    private const int Root = -1;
    private ulong[] _edges;               // (key << 32) | child, 0 when empty; key = ((node + 1) << 8) | byte
    private int _shift;
    private readonly int _tokenLimit;     // nodes below this spell the token of their own number
    private readonly int[] _rootChildren = new int[256];
    private int[]? _pairChildren;          // optional: the node after each two-byte start, -1 where none
    private ulong[]? _edgeFilter;          // with the pair table: a bit per hashed (node, byte), set for every edge (see EdgeFilterBits)
    private int _nextInnerNode;           // the next number for a node that spells no token
    private bool _sealed;                 // the edge table was rebuilt or the pair table built: no more spellings
    private int _lastLength;
    private (int Id, int Length)[]? _runs; // with the pair table, for tries of tokens up to 128 bytes: see BuildRuns
    private int _runWindow;               // the window _runs answers for (see RunWindow), 0 without them

    /// <summary>
    /// Creates a trie for tokens numbered below <paramref name="tokenLimit"/> whose spellings total at most
    /// <paramref name="maxBytes"/> bytes.
    /// </summary>
    public ByteTrie(int tokenLimit, int maxBytes)
    {
        if (tokenLimit < 0 || maxBytes < 0 || (long)tokenLimit + maxBytes > MaxNodes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), "too many tokens or spelling bytes for one trie");
        }

        (_edges, _shift) = EmptyEdges(maxBytes);
        _tokenLimit = tokenLimit;
        _nextInnerNode = tokenLimit;
        _rootChildren.AsSpan().Fill(-1);
    }

    /// <summary>
    /// Adds <paramref name="spelling"/> (not empty) as token <paramref name="token"/>. Spellings come shortest first,
    /// so that the node a spelling ends at is new and can take the token's number; of equal spellings the first
    /// added wins.
    /// </summary>
    public void Add(ReadOnlySpan<byte> spelling, int token)
    {
        if (spelling.IsEmpty || spelling.Length < _lastLength || (uint)token >= (uint)_tokenLimit)
        {
            throw new ArgumentException("spellings must be added shortest first, with ids below the trie's limit", nameof(spelling));
        }

        if (_sealed)
        {
            throw new InvalidOperationException("the trie is sealed (its tables are built): no spelling may be added after that");
        }

        _lastLength = spelling.Length;
        int node = Root;
        for (int i = 0; i < spelling.Length - 1; i++)
        {
            int child = Child(node, spelling[i]);
            if (child < 0)
            {
                child = _nextInnerNode++;
                Insert(node, spelling[i], child);
            }

            node = child;
        }

        if (Child(node, spelling[^1]) < 0)
        {
            Insert(node, spelling[^1], token);
        }
    }

    /// <summary>
    /// Adds a table of the nodes two bytes below the root (256 KB), so that a walk takes its first two steps with
    /// one load. For tries walked at every position of long texts (the backtracking search), not for small ones;
    /// call it after the last <see cref="Add"/>. On executables through Binary BPE it made the search 1.2 times as
    /// fast: the walk's hashed steps are its most expensive loads, and every walk takes this one.
    /// </summary>
    public void AddPairTable()
    {
        var pairs = new int[256 * 256];
        for (int first = 0; first < 256; first++)
        {
            int node = _rootChildren[first];
            for (int second = 0; second < 256; second++)
            {
                pairs[(first << 8) | second] = node < 0 ? -1 : Child(node, (byte)second);
            }
        }

        _pairChildren = pairs;
        RebuildSparse(dropFirstLevel: true);
        BuildEdgeFilter();
        BuildRuns();
    }

    /// <summary>
    /// How many bytes of one value the walk needs ahead to answer from the run table (see <see cref="BuildRuns"/>), 0
    /// when the trie keeps none.
    /// </summary>
    public int RunWindow => _runWindow;

    /// <summary>
    /// Keeps, for every byte value, what the walk finds where a run of that value fills a whole window: the walk reads no
    /// further than the longest token, so a run that long gives the same token wherever it is. A run of one byte asks
    /// the walk the same question at every position (a megabyte of zeros through Binary BPE: fifteen hashed steps
    /// down the zeros, eight walks a token, as the search steps back); with the answer kept, that is one compare.
    /// </summary>
    private void BuildRuns()
    {
        // The walk compares the window at once: at least the longest token, so that a walk over it cannot read past it
        // (16 or a multiple of 32); none for tokens longer than 128 bytes (tiktoken's are up to 128).
        int window = _lastLength <= 16 ? 16 : _lastLength <= 128 ? (_lastLength + 31) & ~31 : 0;
        if (window == 0)
        {
            return;
        }

        var runs = new (int Id, int Length)[256];
        byte[] run = new byte[window];
        for (int value = 0; value < 256; value++)
        {
            run.AsSpan().Fill((byte)value);
            int id = Walk(run, 0, out int length);
            runs[value] = (id, length);
        }

        (_runs, _runWindow) = (runs, window);
    }

    /// <summary>Whether <paramref name="text"/> holds a whole <see cref="RunWindow"/> of <paramref name="value"/> from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsRun(ReadOnlySpan<byte> text, int start, byte value)
    {
        int window = _runWindow;
        if (text.Length - start < window)
        {
            return false;
        }

        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetReference(text), start);
        if (window == 16)
        {
            return Vector128.EqualsAll(Vector128.LoadUnsafe(ref at), Vector128.Create(value));
        }

        Vector256<byte> run = Vector256.Create(value);
        for (int offset = 0; offset < window; offset += 32)
        {
            if (!Vector256.EqualsAll(Vector256.LoadUnsafe(ref at, (nuint)offset), run))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sets the edge filter's bit of every edge, or leaves the trie without one when it has too many edges to filter (o200k's 1.4 M).</summary>
    private void BuildEdgeFilter()
    {
        var filter = new ulong[EdgeFilterBits / 64];
        int edges = 0;
        foreach (ulong edge in _edges)
        {
            if (edge != 0)
            {
                int bit = EdgeFilterBit((uint)(edge >> 32));
                filter[bit >> 6] |= 1UL << bit;
                edges++;
            }
        }

        _edgeFilter = edges <= EdgeFilterBits / 16 ? filter : null;
    }

    /// <summary>
    /// Bits of the edge filter (64 KB), built with the pair table for tries of up to a sixteenth as many edges. Every
    /// walk ends with a step that finds no edge, and on executables most walks are two or three characters long, so
    /// that failed step was a hashed load into the 512 KB edge table for every token; the filter answers most of them
    /// from a table an eighth that size (Binary BPE's 12 K edges past the pair table set 2 % of its bits). Executables
    /// through Binary BPE: 2-12 % faster (probes).
    /// </summary>
    private const int EdgeFilterBits = 1 << EdgeFilterLog;

    private const int EdgeFilterLog = 19;

    /// <summary>The filter's bit for an edge key (another multiplier than the edge table's, so that edges that share a slot run do not share bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EdgeFilterBit(uint key) => (int)((key * 0xD6E8FEB86659FD93UL) >> (64 - EdgeFilterLog));

    /// <summary>
    /// Ends the additions and, for a small trie, rebuilds its edge table for the edges it has (see
    /// <see cref="RebuildSparse"/>). For tries that are walked often without the pair table (the added-token matcher):
    /// the table is sized by spelling bytes, and runs of spaces or line breaks as added tokens share nearly all of
    /// theirs (KL3M-003: 646 K bytes, 10.4 K nodes, an 8 MB table that every step of a walk missed in).
    /// </summary>
    public void Seal()
    {
        if (!_sealed)
        {
            RebuildSparse(dropFirstLevel: false);
        }
    }

    /// <summary>
    /// For a small trie, rebuilds the edge table at about a fifth full, for the edges it has, and seals the trie. With
    /// <paramref name="dropFirstLevel"/> (the pair table is built) it leaves out the edges of the nodes one byte below
    /// the root, which the pair table covers. The table was sized at three quarters of one edge per spelling byte, and
    /// most spelling bytes share prefixes: Binary BPE's 2 MB table holds 39.5 K edges of 114 K bytes, 12 K of them past
    /// the second character once walked in Latin-1. A hashed step is the walk's most expensive load, and on executables
    /// each one found its edge at the first slot less often at three quarters full (the search took 1.3 times as long)
    /// and missed the L2 cache more often at a tenth (1.2-1.6 times). Large tries (o200k's) keep their table: it would
    /// not fit the cache at any load.
    /// </summary>
    private void RebuildSparse(bool dropFirstLevel)
    {
        _sealed = true;
        var firstLevel = new System.Collections.Generic.HashSet<int>();
        if (dropFirstLevel)
        {
            foreach (int node in _rootChildren)
            {
                if (node >= 0)
                {
                    firstLevel.Add(node);
                }
            }
        }

        ulong[] old = _edges;
        int kept = 0;
        foreach (ulong edge in old)
        {
            kept += edge != 0 && !firstLevel.Contains(ParentOf(edge)) ? 1 : 0;
        }

        if (kept > SparseEdgeLimit)
        {
            return;
        }

        (_edges, _shift) = EmptyEdges(kept * 4);
        foreach (ulong edge in old)
        {
            if (edge != 0 && !firstLevel.Contains(ParentOf(edge)))
            {
                Insert(ParentOf(edge), (byte)(edge >> 32), (int)(uint)edge);
            }
        }
    }

    /// <summary>The size of the edge table in bytes (tests: the sparse rebuild).</summary>
    internal int EdgeTableBytes => _edges.Length * sizeof(ulong);

    /// <summary>Most edges for which the table is rebuilt sparse (at most 1 MB of slots).</summary>
    private const int SparseEdgeLimit = 24_576;

    /// <summary>The node an edge leaves (see the key's layout at <see cref="_edges"/>).</summary>
    private static int ParentOf(ulong edge) => (int)(edge >> 40) - 1;

    /// <summary>An empty edge table for <paramref name="edges"/> edges, and the shift that turns a hash into a slot.</summary>
    private static (ulong[] Edges, int Shift) EmptyEdges(int edges)
    {
        // At most three quarters full: o200k's 1.4 M nodes take 2 M edges (16 MB) rather than 4 M at half full.
        int bits = 4;
        while ((3L << bits) < 4L * (edges + 1))
        {
            bits++;
        }

        return (new ulong[1 << bits], 64 - bits);
    }

    /// <summary>The longest token that is a proper prefix of <paramref name="spelling"/>, or -1.</summary>
    public int LongestProperPrefix(ReadOnlySpan<byte> spelling) => Longest(spelling[..^1], 0);

    /// <summary>The longest token that <paramref name="text"/> has at <paramref name="start"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Longest(ReadOnlySpan<byte> text, int start) => Longest(text, start, out _);

    /// <summary>The longest token that <paramref name="text"/> has at <paramref name="start"/> and its byte length, or -1 and 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Longest(ReadOnlySpan<byte> text, int start, out int length) => Walk(text, start, out length);

    /// <summary>
    /// The walk behind <see cref="Longest(ReadOnlySpan{byte}, int, out int)"/>: from the root, a byte per step, the
    /// first two from the pair table when it is built (one load, independent of the first: the step every walk takes,
    /// without its hash), remembering the last node that spells a token.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Walk(ReadOnlySpan<byte> text, int start, out int length)
    {
        length = 0;
        int i = start;
        int first = Next(text, ref i);
        if (first < 0)
        {
            return -1;
        }

        int node = _rootChildren[first];
        int best = -1;
        int afterFirst = i;
        if (_pairChildren is { } pairs && node >= 0)
        {
            int second = Next(text, ref i);
            if (second == first && _runs is { } runs && IsRun(text, start, (byte)first))
            {
                (int id, length) = runs[first];
                return id;
            }

            if (second >= 0)
            {
                if (node < _tokenLimit)
                {
                    best = node;
                    length = afterFirst - start;
                }

                node = pairs[(first << 8) | second];
            }
        }

        while (node >= 0)
        {
            if (node < _tokenLimit)
            {
                best = node;
                length = i - start;
            }

            int next = Next(text, ref i);
            if (next < 0)
            {
                break;
            }

            if (_edgeFilter is { } filter)
            {
                int bit = EdgeFilterBit(EdgeKey(node, (byte)next));
                if ((Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(filter), bit >> 6) & (1UL << bit)) == 0)
                {
                    break;
                }
            }

            node = Child(node, (byte)next);
        }

        return best;
    }

    /// <summary>The byte at <paramref name="at"/>, advancing past it, or -1 at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Next(ReadOnlySpan<byte> text, ref int at) => (uint)at < (uint)text.Length ? text[at++] : -1;

    /// <summary>The key of the edge from <paramref name="node"/> (not the root) by <paramref name="value"/>, in the edge table and the filter (see <see cref="_edges"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint EdgeKey(int node, byte value) => ((uint)(node + 1) << 8) | value;

    /// <summary>The slot where the search for an edge key starts (linear probing from there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FirstSlot(uint key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    /// <summary>The child of <paramref name="node"/> by <paramref name="value"/>, or -1; once the pair table is built, not for nodes one byte below the root (see <see cref="RebuildSparse"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Child(int node, byte value)
    {
        if (node == Root)
        {
            return _rootChildren[value];
        }

        uint key = EdgeKey(node, value);
        ref ulong edges = ref MemoryMarshal.GetArrayDataReference(_edges);
        int mask = _edges.Length - 1;
        int slot = FirstSlot(key);
        while (true)
        {
            ulong edge = Unsafe.Add(ref edges, slot);
            if ((uint)(edge >> 32) == key)
            {
                return (int)(uint)edge;
            }

            if (edge == 0)
            {
                return -1;
            }

            slot = (slot + 1) & mask;
        }
    }

    private void Insert(int node, byte value, int child)
    {
        if (node == Root)
        {
            _rootChildren[value] = child;
            return;
        }

        uint key = EdgeKey(node, value);
        int mask = _edges.Length - 1;
        int slot = FirstSlot(key);
        while (_edges[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _edges[slot] = ((ulong)key << 32) | (uint)child;
    }
}
