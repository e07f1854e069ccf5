using System;
using System.Buffers;

namespace TokenizerCompiler.Internal;

/// <summary>
/// A binary min-heap of candidate merges ordered by (rank, left position), so the pop order is exactly
/// "lowest rank, leftmost on ties". Storage comes from the array pool.
/// </summary>
internal struct MergeHeap : IDisposable
{
    private long[] _keys;
    private int[] _rightEnds;
    private int _count;

    /// <summary>Creates a heap sized for a piece of <paramref name="pieceLength"/> bytes.</summary>
    public MergeHeap(int pieceLength)
    {
        int capacity = Math.Max(16, pieceLength * 2);
        _keys = ArrayPool<long>.Shared.Rent(capacity);
        _rightEnds = ArrayPool<int>.Shared.Rent(capacity);
        _count = 0;
    }

    /// <summary>Adds the merge of the parts spanning [<paramref name="left"/>, <paramref name="rightEnd"/>).</summary>
    public void Push(int rank, int left, int rightEnd)
    {
        if (_count == _keys.Length)
        {
            Grow();
        }

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

    /// <summary>Returns the storage to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<long>.Shared.Return(_keys);
        ArrayPool<int>.Shared.Return(_rightEnds);
        _keys = Array.Empty<long>();
        _rightEnds = Array.Empty<int>();
    }

    private void Grow()
    {
        long[] keys = ArrayPool<long>.Shared.Rent(_keys.Length * 2);
        int[] ends = ArrayPool<int>.Shared.Rent(_keys.Length * 2);
        _keys.AsSpan(0, _count).CopyTo(keys);
        _rightEnds.AsSpan(0, _count).CopyTo(ends);
        ArrayPool<long>.Shared.Return(_keys);
        ArrayPool<int>.Shared.Return(_rightEnds);
        _keys = keys;
        _rightEnds = ends;
    }
}
