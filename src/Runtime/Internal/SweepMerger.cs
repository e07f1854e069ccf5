using System;
using System.Buffers;

namespace TokenizerCompiler.Internal;

/// <summary>The merge rules a <see cref="SweepMerger"/> or <see cref="LinkedMerge"/> applies: which token two adjacent parts become, and its priority.</summary>
internal interface IMergeRules
{
    /// <summary>
    /// The token that the part with id <paramref name="left"/> followed by the part with id <paramref name="right"/>
    /// (together spanning symbols [<paramref name="start"/>, <paramref name="end"/>)) merge into, or -1 when they do
    /// not; <paramref name="rank"/> is the merge's priority (lower first).
    /// </summary>
    int Merge(int left, int right, int start, int end, out int rank);
}

/// <summary>
/// Byte-pair merging of one long piece in exactly the order of a global priority queue (lowest rank, leftmost
/// on ties), but with streaming memory access. A binary heap over a megabyte-long piece is a random walk
/// through tens of megabytes for every pop; here the candidates wait in one list per rank, and the ranks are
/// taken in increasing order: all candidates of the current rank are sorted by position and swept left to right.
/// A merge during the sweep can only create candidates at or left of the sweep position, so a new candidate
/// whose rank is not above the current one is the next to apply in the global order; those few go to a small
/// heap that is always drained first. Candidates that went stale (a side merged since) are skipped on sight, as
/// in the heap algorithm.
/// </summary>
internal static class SweepMerger
{
    /// <summary>Merges <paramref name="symbols"/> (ids of the initial symbols) in place and returns how many parts remain.</summary>
    public static int Merge<TRules>(ref TRules rules, Span<int> symbols)
        where TRules : IMergeRules, allows ref struct
    {
        int n = symbols.Length;
        if (n < 2)
        {
            return n;
        }

        var state = new State(n);
        try
        {
            return state.Run(ref rules, symbols);
        }
        finally
        {
            state.Dispose();
        }
    }

    /// <summary>The pooled working storage of one merge.</summary>
    private struct State : IDisposable
    {
        private readonly int _n;
        private int[] _end;       // end of the part starting at i, or -1 when no part starts at i
        private int[] _previous;  // start of the part before the part starting at i
        private CandidateLists _lists;
        private PooledHeap _ranks;  // ranks with a candidate list waiting
        private PooledHeap _urgent; // candidates to apply before the sweep goes on: (rank, start) → (end, merged token)
        private long[] _level;

        public State(int n)
        {
            _n = n;
            _end = ArrayPool<int>.Shared.Rent(n);
            _previous = ArrayPool<int>.Shared.Rent(n);
            _lists = new CandidateLists(n);
            _ranks = new PooledHeap(64);
            _urgent = new PooledHeap(64);
            _level = ArrayPool<long>.Shared.Rent(Math.Max(16, n));
        }

        public int Run<TRules>(ref TRules rules, Span<int> ids)
            where TRules : IMergeRules, allows ref struct
        {
            int n = _n;
            for (int i = 0; i < n; i++)
            {
                _end[i] = i + 1;
                _previous[i] = i - 1;
            }

            int current = -1; // the rank being swept; candidates ranked at or below it are urgent
            for (int i = 0; i < n - 1; i++)
            {
                int result = rules.Merge(ids[i], ids[i + 1], i, i + 2, out int rank);
                if (result >= 0)
                {
                    Add(rank, i, i + 2, result, current);
                }
            }

            int levelCount = 0, cursor = 0;
            while (true)
            {
                int start, end, merged;
                if (_urgent.Count > 0)
                {
                    start = (int)(uint)_urgent.Pop(out long value);
                    end = (int)(value >> 32);
                    merged = (int)value;
                }
                else if (cursor < levelCount)
                {
                    long entry = _level[cursor++];
                    start = (int)(entry >> 32);
                    end = (int)entry;
                    merged = _lists.LevelResult;
                }
                else if (_ranks.Count > 0)
                {
                    current = (int)_ranks.Pop(out _);
                    levelCount = _lists.TakeLevel(current, ref _level);
                    cursor = 0;
                    continue;
                }
                else
                {
                    break;
                }

                int middle = _end[start];
                if (middle < 0 || middle >= n || _end[middle] != end)
                {
                    continue; // stale: one of the two parts has changed since this candidate was made
                }

                ids[start] = merged;
                _end[start] = end;
                _end[middle] = -1;
                if (end < n)
                {
                    _previous[end] = start;
                    int after = _end[end];
                    int result = rules.Merge(merged, ids[end], start, after, out int rank);
                    if (result >= 0)
                    {
                        Add(rank, start, after, result, current);
                    }
                }

                if (start > 0)
                {
                    int before = _previous[start];
                    int result = rules.Merge(ids[before], merged, before, end, out int rank);
                    if (result >= 0)
                    {
                        Add(rank, before, end, result, current);
                    }
                }
            }

            int count = 0;
            for (int start = 0; start < n; start = _end[start])
            {
                ids[count++] = ids[start];
            }

            return count;
        }

        private void Add(int rank, int start, int end, int result, int current)
        {
            if (rank <= current)
            {
                _urgent.Push(((long)rank << 32) | (uint)start, ((long)end << 32) | (uint)result);
            }
            else if (_lists.Append(rank, start, end, result))
            {
                _ranks.Push(rank, 0);
            }
        }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(_end);
            ArrayPool<int>.Shared.Return(_previous);
            ArrayPool<long>.Shared.Return(_level);
            _lists.Dispose();
            _ranks.Dispose();
            _urgent.Dispose();
        }
    }

    /// <summary>
    /// One singly linked list of (start, end) candidates per rank, in one pooled arena, found through an
    /// open-addressing table keyed by rank. The merged token of a candidate is the same for every candidate of a
    /// rank (a rank names one token), so it is stored once per list.
    /// </summary>
    private struct CandidateLists : IDisposable
    {
        private long[] _spans;   // start << 32 | end
        private int[] _links;    // next entry of the same rank, or -1
        private int _used;
        private int[] _keys;     // rank, or -1 for an empty slot
        private int[] _heads;
        private int[] _tails;
        private int[] _results;
        private int _mask;
        private int _occupied;

        public CandidateLists(int symbols)
        {
            _spans = ArrayPool<long>.Shared.Rent(Math.Max(16, symbols));
            _links = ArrayPool<int>.Shared.Rent(_spans.Length);
            _used = 0;
            _keys = _heads = _tails = _results = [];
            _mask = 0;
            AllocateSlots(1024);
            _occupied = 0;
            LevelResult = -1;
        }

        /// <summary>The merged token of the level last taken.</summary>
        public int LevelResult { get; private set; }

        /// <summary>Appends a candidate; true when its rank had no list yet.</summary>
        public bool Append(int rank, int start, int end, int result)
        {
            if (_used == _spans.Length)
            {
                Grow(ref _spans, _used);
                Grow(ref _links, _used);
            }

            int entry = _used++;
            _spans[entry] = ((long)start << 32) | (uint)end;
            _links[entry] = -1;
            int slot = Find(rank);
            if (_keys[slot] == rank)
            {
                _links[_tails[slot]] = entry;
                _tails[slot] = entry;
                return false;
            }

            _keys[slot] = rank;
            _heads[slot] = _tails[slot] = entry;
            _results[slot] = result;
            if (++_occupied * 2 > _mask)
            {
                Rehash();
            }

            return true;
        }

        /// <summary>Copies the candidates of <paramref name="rank"/> into <paramref name="level"/>, sorted by position; returns how many.</summary>
        public int TakeLevel(int rank, ref long[] level)
        {
            int slot = Find(rank);
            LevelResult = _results[slot];
            int count = 0;
            bool sorted = true;
            for (int entry = _heads[slot]; entry >= 0; entry = _links[entry])
            {
                if (count == level.Length)
                {
                    Grow(ref level, count);
                }

                long span = _spans[entry];
                sorted &= count == 0 || level[count - 1] <= span;
                level[count++] = span;
            }

            if (!sorted)
            {
                level.AsSpan(0, count).Sort();
            }

            return count;
        }

        private readonly int Find(int rank)
        {
            int slot = (int)((uint)rank * 0x9E3779B1u >> 7) & _mask;
            while (_keys[slot] != rank && _keys[slot] != -1)
            {
                slot = (slot + 1) & _mask;
            }

            return slot;
        }

        /// <summary>Rents empty rank slots (the previous arrays, if any, are the caller's to return).</summary>
        private void AllocateSlots(int slots)
        {
            _keys = ArrayPool<int>.Shared.Rent(slots);
            _heads = ArrayPool<int>.Shared.Rent(slots);
            _tails = ArrayPool<int>.Shared.Rent(slots);
            _results = ArrayPool<int>.Shared.Rent(slots);
            _keys.AsSpan(0, slots).Fill(-1);
            _mask = slots - 1;
        }

        private void Rehash()
        {
            int[] keys = _keys, heads = _heads, tails = _tails, results = _results;
            int oldSlots = _mask + 1;
            AllocateSlots(oldSlots * 2);
            for (int i = 0; i < oldSlots; i++)
            {
                if (keys[i] >= 0)
                {
                    int slot = Find(keys[i]);
                    _keys[slot] = keys[i];
                    _heads[slot] = heads[i];
                    _tails[slot] = tails[i];
                    _results[slot] = results[i];
                }
            }

            ArrayPool<int>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(heads);
            ArrayPool<int>.Shared.Return(tails);
            ArrayPool<int>.Shared.Return(results);
        }

        public readonly void Dispose()
        {
            ArrayPool<long>.Shared.Return(_spans);
            ArrayPool<int>.Shared.Return(_links);
            ArrayPool<int>.Shared.Return(_keys);
            ArrayPool<int>.Shared.Return(_heads);
            ArrayPool<int>.Shared.Return(_tails);
            ArrayPool<int>.Shared.Return(_results);
        }
    }

    /// <summary>
    /// A min-heap of 64-bit keys, each with a 64-bit value, in pooled arrays that grow: the ranks with a candidate
    /// list waiting (key: the rank), and the urgent candidates (key: rank and start; value: end and merged token).
    /// </summary>
    private struct PooledHeap(int capacity) : IDisposable
    {
        private long[] _keys = ArrayPool<long>.Shared.Rent(capacity);
        private long[] _values = ArrayPool<long>.Shared.Rent(capacity);

        public int Count { get; private set; }

        public void Push(long key, long value)
        {
            if (Count == _keys.Length)
            {
                Grow(ref _keys, Count);
                Grow(ref _values, Count);
            }

            int i = Count++;
            while (i > 0 && _keys[(i - 1) >> 1] > key)
            {
                _keys[i] = _keys[(i - 1) >> 1];
                _values[i] = _values[(i - 1) >> 1];
                i = (i - 1) >> 1;
            }

            _keys[i] = key;
            _values[i] = value;
        }

        public long Pop(out long value)
        {
            long top = _keys[0];
            value = _values[0];
            long key = _keys[--Count], moved = _values[Count];
            int i = 0;
            while (true)
            {
                int child = (2 * i) + 1;
                if (child >= Count)
                {
                    break;
                }

                if (child + 1 < Count && _keys[child + 1] < _keys[child])
                {
                    child++;
                }

                if (key <= _keys[child])
                {
                    break;
                }

                _keys[i] = _keys[child];
                _values[i] = _values[child];
                i = child;
            }

            _keys[i] = key;
            _values[i] = moved;
            return top;
        }

        public readonly void Dispose()
        {
            ArrayPool<long>.Shared.Return(_keys);
            ArrayPool<long>.Shared.Return(_values);
        }
    }

    private static void Grow<T>(ref T[] array, int used)
    {
        T[] bigger = ArrayPool<T>.Shared.Rent(array.Length * 2);
        array.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<T>.Shared.Return(array);
        array = bigger;
    }
}
