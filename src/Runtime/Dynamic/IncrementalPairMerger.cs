using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace TokenizerCompiler.Dynamic;

/// <summary>
/// The batch as doubly linked lists of token positions (a merge absorbs the right position into the left one,
/// so a position's index never changes and positions stay in text order), with a pair index: per valid pair,
/// its live count and a list of positions where it occurred (entries go stale as merges change neighbours and
/// are checked when used), plus a max-priority queue of (count, pair) with lazy deletion. A merge touches only
/// the neighbours of the positions it merges. All per-position arrays come from the array pool.
/// </summary>
internal sealed class IncrementalPairMerger : IDisposable
{
    private readonly Tokenizer _base;
    private readonly DynamicTokenizationOptions _options;
    private readonly int _baseSize;
    private readonly int _sequenceCount;
    private int[] _tokens;
    private int[] _next;
    private int[] _prev;
    private int[] _sequenceStarts;
    private int[] _occurrencePosition;
    private int[] _occurrenceNext;
    private int _occurrenceCount;
    private long _liveCount;
    private readonly long _baseCount;
    private readonly Dictionary<long, PairEntry> _pairs = new();
    private readonly Dictionary<long, bool> _validity = new();
    private readonly PriorityQueue<long, Priority> _queue = new(PriorityComparer.Instance);
    private readonly List<int> _mergeLeft = new(), _mergeRight = new(), _mergeFrequency = new();
    private readonly List<int> _decompositionIds = new(), _decompositionOffsets = new() { 0 };
    private byte[] _newBytes = ArrayPool<byte>.Shared.Rent(4096);
    private readonly List<int> _newOffsets = new() { 0 };
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(256);

    public IncrementalPairMerger(Tokenizer baseTokenizer, IReadOnlyList<int[]> sequences, DynamicTokenizationOptions options)
    {
        _base = baseTokenizer;
        _options = options;
        _baseSize = baseTokenizer.VocabularySize;
        _sequenceCount = sequences.Count;
        long total = 0;
        foreach (int[] sequence in sequences)
        {
            total += (sequence ?? throw new ArgumentException("a sequence is null", nameof(sequences))).Length;
        }

        if (total > Array.MaxLength / 2)
        {
            throw new ArgumentException($"the batch holds {total} tokens, more than one merger can index", nameof(sequences));
        }

        int length = (int)total;
        _tokens = ArrayPool<int>.Shared.Rent(Math.Max(1, length));
        _next = ArrayPool<int>.Shared.Rent(Math.Max(1, length));
        _prev = ArrayPool<int>.Shared.Rent(Math.Max(1, length));
        _sequenceStarts = ArrayPool<int>.Shared.Rent(_sequenceCount + 1);
        _occurrencePosition = ArrayPool<int>.Shared.Rent(Math.Max(16, length));
        _occurrenceNext = ArrayPool<int>.Shared.Rent(Math.Max(16, length));
        int position = 0;
        for (int s = 0; s < _sequenceCount; s++)
        {
            _sequenceStarts[s] = position;
            int[] sequence = sequences[s];
            for (int i = 0; i < sequence.Length; i++, position++)
            {
                int id = sequence[i];
                if ((uint)id >= (uint)_baseSize || !_base.IsValidId(id))
                {
                    throw new ArgumentException($"sequence {s} holds {id}, which is not a token id of {_base.Name}", nameof(sequences));
                }

                _tokens[position] = id;
                _prev[position] = i == 0 ? -1 : position - 1;
                _next[position] = i == sequence.Length - 1 ? -1 : position + 1;
            }
        }

        _sequenceStarts[_sequenceCount] = position;
        _baseCount = _liveCount = total;
        for (int i = 0; i < length; i++)
        {
            if (_next[i] >= 0)
            {
                AddOccurrence(_tokens[i], _tokens[i + 1], i, enqueue: false);
            }
        }

        foreach (KeyValuePair<long, PairEntry> pair in _pairs)
        {
            _queue.Enqueue(pair.Key, new Priority(pair.Value.Count, pair.Key));
        }
    }

    public DynamicBatch Run()
    {
        while (_mergeLeft.Count < _options.MaxMerges)
        {
            if (_options.TargetTokenCount > 0 && _liveCount <= _options.TargetTokenCount)
            {
                break;
            }

            if (!TryTakeBest(out long key, out int count) || count < _options.MinimumFrequency)
            {
                break;
            }

            MergeEverywhere(key, count);
        }

        return BuildResult();
    }

    /// <summary>Pops the pair with the highest live count (ties: smallest key), skipping stale queue entries.</summary>
    private bool TryTakeBest(out long key, out int count)
    {
        while (_queue.TryDequeue(out key, out Priority priority))
        {
            if (!_pairs.TryGetValue(key, out PairEntry entry) || entry.Count <= 0)
            {
                continue;
            }

            if (entry.Count == priority.Count)
            {
                count = entry.Count;
                return true;
            }

            // Counts only grow through Enqueue below, so a higher live count has its own entry; a lower one needs a new entry.
            if (entry.Count < priority.Count)
            {
                _queue.Enqueue(key, new Priority(entry.Count, key));
            }
        }

        count = 0;
        return false;
    }

    private void MergeEverywhere(long key, int count)
    {
        int left = (int)(key >> 32), right = (int)key;
        int newId = _baseSize + _mergeLeft.Count;
        RecordNewToken(left, right, count);
        PairEntry entry = _pairs[key];
        _pairs.Remove(key);

        int[] positions = ArrayPool<int>.Shared.Rent(Math.Max(16, count * 2));
        int found = 0;
        for (int o = entry.Head; o >= 0; o = _occurrenceNext[o])
        {
            if (found == positions.Length)
            {
                positions = Grow(positions, found);
            }

            positions[found++] = _occurrencePosition[o];
        }

        // Positions are in text order, so sorting them merges each sequence left to right; an occurrence that a
        // merge just before it consumed (a a a) no longer matches and is skipped: non-overlapping.
        Span<int> sorted = positions.AsSpan(0, found);
        sorted.Sort();
        foreach (int position in sorted)
        {
            int after = _next[position];
            if (_tokens[position] != left || after < 0 || _tokens[after] != right)
            {
                continue;
            }

            int before = _prev[position];
            int beyond = _next[after];
            if (before >= 0)
            {
                RemoveOccurrence(_tokens[before], left);
            }

            if (beyond >= 0)
            {
                RemoveOccurrence(right, _tokens[beyond]);
            }

            _tokens[position] = newId;
            _tokens[after] = -1;
            _next[position] = beyond;
            if (beyond >= 0)
            {
                _prev[beyond] = position;
            }

            _liveCount--;
            if (before >= 0)
            {
                AddOccurrence(_tokens[before], newId, before, enqueue: true);
            }

            if (beyond >= 0)
            {
                AddOccurrence(newId, _tokens[beyond], position, enqueue: true);
            }
        }

        ArrayPool<int>.Shared.Return(positions);
    }

    private void AddOccurrence(int left, int right, int position, bool enqueue)
    {
        long key = Key(left, right);
        if (!IsValid(key, left, right))
        {
            return;
        }

        if (_occurrenceCount == _occurrencePosition.Length)
        {
            _occurrencePosition = Grow(_occurrencePosition, _occurrenceCount);
            _occurrenceNext = Grow(_occurrenceNext, _occurrenceCount);
        }

        ref PairEntry entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_pairs, key, out bool existed);
        if (!existed)
        {
            entry.Head = -1;
        }

        _occurrencePosition[_occurrenceCount] = position;
        _occurrenceNext[_occurrenceCount] = entry.Head;
        entry.Head = _occurrenceCount++;
        entry.Count++;
        if (enqueue)
        {
            _queue.Enqueue(key, new Priority(entry.Count, key));
        }
    }

    /// <summary>Decrements a pair's count; its position entry goes stale and is skipped when the pair is merged.</summary>
    private void RemoveOccurrence(int left, int right)
    {
        ref PairEntry entry = ref CollectionsMarshal.GetValueRefOrNullRef(_pairs, Key(left, right));
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry))
        {
            entry.Count--;
        }
    }

    private bool IsValid(long key, int left, int right)
    {
        ref bool valid = ref CollectionsMarshal.GetValueRefOrAddDefault(_validity, key, out bool known);
        if (!known && (IsSpecial(left) || IsSpecial(right)))
        {
            // A special token is a control symbol, not text: it never merges.
            valid = false;
            return false;
        }

        if (!known)
        {
            ReadOnlySpan<byte> a = TokenBytes(left), b = TokenBytes(right);
            if (_scratch.Length < a.Length + b.Length)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = ArrayPool<byte>.Shared.Rent(a.Length + b.Length);
            }

            a.CopyTo(_scratch);
            b.CopyTo(_scratch.AsSpan(a.Length));
            valid = DynamicMergeRules.IsValidMerge(_base, _scratch.AsSpan(0, a.Length + b.Length), _options.Boundary);
        }

        return valid;
    }

    private bool IsSpecial(int id) => id < _baseSize && _base.SpecialTokenIds.Contains(id);

    private ReadOnlySpan<byte> TokenBytes(int id)
    {
        int newIndex = id - _baseSize;
        return newIndex < 0 ? _base.GetTokenBytes(id) : _newBytes.AsSpan(_newOffsets[newIndex], _newOffsets[newIndex + 1] - _newOffsets[newIndex]);
    }

    private void RecordNewToken(int left, int right, int count)
    {
        _mergeLeft.Add(left);
        _mergeRight.Add(right);
        _mergeFrequency.Add(count);
        AppendDecomposition(left);
        AppendDecomposition(right);
        _decompositionOffsets.Add(_decompositionIds.Count);

        int leftLength = TokenBytes(left).Length, rightLength = TokenBytes(right).Length;
        int start = _newOffsets[^1];
        if (_newBytes.Length < start + leftLength + rightLength)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_newBytes.Length * 2, start + leftLength + rightLength));
            _newBytes.AsSpan(0, start).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_newBytes);
            _newBytes = larger;
        }

        TokenBytes(left).CopyTo(_newBytes.AsSpan(start));
        TokenBytes(right).CopyTo(_newBytes.AsSpan(start + leftLength));
        _newOffsets.Add(start + leftLength + rightLength);
    }

    private void AppendDecomposition(int id)
    {
        int newIndex = id - _baseSize;
        if (newIndex < 0)
        {
            _decompositionIds.Add(id);
            return;
        }

        for (int i = _decompositionOffsets[newIndex]; i < _decompositionOffsets[newIndex + 1]; i++)
        {
            _decompositionIds.Add(_decompositionIds[i]);
        }
    }

    private DynamicBatch BuildResult()
    {
        var ids = new int[_liveCount];
        var offsets = new int[_sequenceCount + 1];
        int written = 0;
        for (int s = 0; s < _sequenceCount; s++)
        {
            offsets[s] = written;
            if (_sequenceStarts[s] == _sequenceStarts[s + 1])
            {
                continue;
            }

            for (int position = _sequenceStarts[s]; position >= 0; position = _next[position])
            {
                ids[written++] = _tokens[position];
            }
        }

        offsets[_sequenceCount] = written;
        return new DynamicBatch(_base, _baseCount, _mergeLeft.ToArray(), _mergeRight.ToArray(), _mergeFrequency.ToArray(),
            _decompositionIds.ToArray(), _decompositionOffsets.ToArray(), _newBytes.AsSpan(0, _newOffsets[^1]).ToArray(),
            _newOffsets.ToArray(), ids, offsets);
    }

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_tokens);
        ArrayPool<int>.Shared.Return(_next);
        ArrayPool<int>.Shared.Return(_prev);
        ArrayPool<int>.Shared.Return(_sequenceStarts);
        ArrayPool<int>.Shared.Return(_occurrencePosition);
        ArrayPool<int>.Shared.Return(_occurrenceNext);
        ArrayPool<byte>.Shared.Return(_newBytes);
        ArrayPool<byte>.Shared.Return(_scratch);
        _tokens = _next = _prev = _sequenceStarts = _occurrencePosition = _occurrenceNext = Array.Empty<int>();
        _newBytes = _scratch = Array.Empty<byte>();
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private static int[] Grow(int[] array, int used)
    {
        int[] larger = ArrayPool<int>.Shared.Rent(array.Length * 2);
        array.AsSpan(0, used).CopyTo(larger);
        ArrayPool<int>.Shared.Return(array);
        return larger;
    }

    private struct PairEntry
    {
        public int Count;
        public int Head;
    }

    private readonly record struct Priority(int Count, long Key);

    /// <summary>Highest count first; among equal counts the smallest key (left id, then right id).</summary>
    private sealed class PriorityComparer : IComparer<Priority>
    {
        public static readonly PriorityComparer Instance = new();

        public int Compare(Priority x, Priority y) => x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Key.CompareTo(y.Key);
    }
}
