using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TokenizerCompiler.Internal.Backtracking;

/// <summary>
/// A byte trie of token spellings that answers one question fast: the longest token that starts at a text
/// position. Edges live in one open-addressing table keyed by (node, byte), so a step is one hash and usually one
/// cache line, whatever the fan-out; the root's 256 edges are a plain array because every walk starts there.
/// </summary>
internal sealed class ByteTrie
{
    /// <summary>Nodes are numbered below this so that (node + 1, byte) packs into the 32-bit key.</summary>
    public const int MaxNodes = (1 << 24) - 2;

    private readonly ulong[] _edges;      // (key << 32) | child, 0 when empty; key = ((node + 1) << 8) | byte
    private readonly int _shift;
    private int[] _tokenAt;               // the token spelled by the path to a node, or -1
    private readonly int[] _rootChildren = new int[256];
    private int _nodes = 1;               // node 0 is the root

    /// <summary>Creates a trie with room for <paramref name="maxNodes"/> nodes besides the root.</summary>
    public ByteTrie(int maxNodes)
    {
        if ((uint)maxNodes > MaxNodes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNodes));
        }

        // At most three quarters full: o200k's 1.4 M nodes take 2 M edges (16 MB) rather than 4 M at half full.
        int bits = 4;
        while ((3L << bits) < 4L * (maxNodes + 1))
        {
            bits++;
        }

        _edges = new ulong[1 << bits];
        _shift = 64 - bits;
        _tokenAt = new int[maxNodes + 1];
        _tokenAt.AsSpan().Fill(-1);
        _rootChildren.AsSpan().Fill(-1);
    }

    /// <summary>Adds <paramref name="spelling"/> (not empty) as token <paramref name="token"/>.</summary>
    public void Add(ReadOnlySpan<byte> spelling, int token)
    {
        int node = 0;
        foreach (byte value in spelling)
        {
            int child = Child(node, value);
            if (child < 0)
            {
                child = _nodes++;
                Insert(node, value, child);
            }

            node = child;
        }

        _tokenAt[node] = token;
    }

    /// <summary>Gives back the node slots that the added spellings' shared prefixes left unused.</summary>
    public void Trim() => Array.Resize(ref _tokenAt, _nodes);

    /// <summary>The longest token that is a proper prefix of <paramref name="spelling"/>, or -1.</summary>
    public int LongestProperPrefix(ReadOnlySpan<byte> spelling) => Longest(spelling[..^1], 0);

    /// <summary>The longest token that <paramref name="text"/> has at <paramref name="start"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Longest(ReadOnlySpan<byte> text, int start) => Longest(text, start, out _);

    /// <summary>The longest token that <paramref name="text"/> has at <paramref name="start"/> and its byte length, or -1 and 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Longest(ReadOnlySpan<byte> text, int start, out int length)
    {
        length = 0;
        if (start >= text.Length)
        {
            return -1;
        }

        ref int tokenAt = ref MemoryMarshal.GetArrayDataReference(_tokenAt);
        int node = _rootChildren[text[start]];
        int best = -1;
        for (int i = start + 1; node >= 0; i++)
        {
            int token = Unsafe.Add(ref tokenAt, node);
            if (token >= 0)
            {
                best = token;
                length = i - start;
            }

            if (i == text.Length)
            {
                break;
            }

            node = Child(node, text[i]);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Child(int node, byte value)
    {
        if (node == 0)
        {
            return _rootChildren[value];
        }

        uint key = ((uint)(node + 1) << 8) | value;
        ref ulong edges = ref MemoryMarshal.GetArrayDataReference(_edges);
        int mask = _edges.Length - 1;
        int slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
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
        if (node == 0)
        {
            _rootChildren[value] = child;
            return;
        }

        uint key = ((uint)(node + 1) << 8) | value;
        int mask = _edges.Length - 1;
        int slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
        while (_edges[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _edges[slot] = ((ulong)key << 32) | (uint)child;
    }
}
