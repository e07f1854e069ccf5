using System;

namespace TokenizerCompiler.Internal;

/// <summary>
/// A binary min-heap of candidate merges ordered by (rank, left position), so the pop order is exactly
/// "lowest rank, leftmost on ties". It lives in storage the caller provides (the stack for short pieces, the
/// array pool for long ones): a merge of n symbols pushes at most n - 1 initial pairs and two per merge, so
/// <see cref="CapacityFor"/> is enough and the heap never grows.
/// </summary>
internal ref struct MergeHeap
{
    private readonly Span<long> _keys;
    private readonly Span<int> _rightEnds;
    private int _count;

    /// <summary>Creates an empty heap over <paramref name="keys"/> and <paramref name="rightEnds"/> (each at least <see cref="CapacityFor"/> long).</summary>
    public MergeHeap(Span<long> keys, Span<int> rightEnds)
    {
        _keys = keys;
        _rightEnds = rightEnds;
        _count = 0;
    }

    /// <summary>The most entries a merge of <paramref name="symbols"/> symbols can push.</summary>
    public static int CapacityFor(int symbols) => Math.Max(4, symbols * 3);

    /// <summary>Adds the merge of the parts spanning [<paramref name="left"/>, <paramref name="rightEnd"/>).</summary>
    public void Push(int rank, int left, int rightEnd)
    {
        long key = ((long)rank << 32) | (uint)left;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_keys[parent] <= key)
            {
                break;
            }

            _keys[i] = _keys[parent];
            _rightEnds[i] = _rightEnds[parent];
            i = parent;
        }

        _keys[i] = key;
        _rightEnds[i] = rightEnd;
    }

    /// <summary>Removes the best merge.</summary>
    public bool TryPop(out int rank, out int left, out int rightEnd)
    {
        if (_count == 0)
        {
            rank = left = rightEnd = 0;
            return false;
        }

        long top = _keys[0];
        rank = (int)(top >> 32);
        left = (int)(uint)top;
        rightEnd = _rightEnds[0];
        _count--;
        long key = _keys[_count];
        int value = _rightEnds[_count];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _keys[child + 1] < _keys[child])
            {
                child++;
            }

            if (key <= _keys[child])
            {
                break;
            }

            _keys[i] = _keys[child];
            _rightEnds[i] = _rightEnds[child];
            i = child;
        }

        _keys[i] = key;
        _rightEnds[i] = value;
        return true;
    }
}
