using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using TokenizerCompiler.Core.HuggingFace;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Finds added tokens in UTF-8 text, leftmost and then longest, with a byte trie: the fast path's counterpart of
/// <see cref="AddedTokenMatcher"/> for pipelines whose added tokens have no lstrip/rstrip/single_word rules.
/// </summary>
internal sealed class AddedTokenByteMatcher
{
    private readonly Dictionary<int, int> _children = new();
    private readonly List<int> _terminalId = new() { -1 };
    private readonly SearchValues<byte> _firstBytes;

    // The trie's first level as an array, and which two-byte starts exist: with many added tokens (KL3M-001 has
    // 1,629, starting with common letters) nearly every position is a candidate, and most fail within two bytes.
    private readonly int[] _rootChild = new int[256];
    private readonly ulong[] _secondBytes = new ulong[65536 / 64];

    public AddedTokenByteMatcher(IEnumerable<AddedToken> tokens)
    {
        var first = new HashSet<byte>();
        foreach (AddedToken token in tokens)
        {
            byte[] text = Encoding.UTF8.GetBytes(token.Content);
            if (text.Length > 1)
            {
                int pair = (text[0] << 8) | text[1];
                _secondBytes[pair >> 6] |= 1UL << (pair & 63);
            }

            int node = 0;
            foreach (byte b in text)
            {
                int key = (node << 8) | b;
                if (!_children.TryGetValue(key, out int child))
                {
                    child = _terminalId.Count;
                    _terminalId.Add(-1);
                    _children[key] = child;
                }

                node = child;
            }

            if (_terminalId[node] < 0)
            {
                _terminalId[node] = token.Id;
            }

            first.Add(text[0]);
        }

        for (int b = 0; b < 256; b++)
        {
            _rootChild[b] = _children.TryGetValue(b, out int child) ? child : -1;
        }

        var firstBytes = new byte[first.Count];
        first.CopyTo(firstBytes);
        _firstBytes = SearchValues.Create(firstBytes);
        IsEmpty = first.Count == 0;
    }

    /// <summary>Whether there is nothing to match.</summary>
    public bool IsEmpty { get; }

    /// <summary>The next added token at or after <paramref name="from"/>: its start (or -1), length and id.</summary>
    public int FindNext(ReadOnlySpan<byte> text, int from, out int length, out int id)
    {
        int position = from;
        while (!IsEmpty && position < text.Length)
        {
            int skip = text[position..].IndexOfAny(_firstBytes);
            if (skip < 0)
            {
                break;
            }

            position += skip;
            int node = _rootChild[text[position]], best = _terminalId[node], bestLength = best >= 0 ? 1 : 0;
            int second = position + 1 < text.Length ? (text[position] << 8) | text[position + 1] : -1;
            for (int i = position + 1; second >= 0 && (_secondBytes[second >> 6] & (1UL << (second & 63))) != 0
                && i < text.Length && _children.TryGetValue((node << 8) | text[i], out node); i++)
            {
                if (_terminalId[node] >= 0)
                {
                    best = _terminalId[node];
                    bestLength = i + 1 - position;
                }
            }

            if (best >= 0)
            {
                length = bestLength;
                id = best;
                return position;
            }

            position++;
        }

        length = 0;
        id = -1;
        return -1;
    }
}
