using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Internal.Backtracking;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Finds added tokens in UTF-8 text, leftmost and then longest, with a byte trie: the fast path's counterpart of
/// <see cref="AddedTokenMatcher"/> for pipelines whose added tokens have no lstrip/rstrip/single_word rules.
/// </summary>
internal sealed class AddedTokenByteMatcher
{
    private readonly ByteTrie _trie;
    private readonly SearchValues<byte> _firstBytes;

    // Which two-byte starts exist: with many added tokens (KL3M-001 has 1,629, starting with common letters) nearly
    // every position is a candidate, and most fail within two bytes.
    private readonly ulong[] _secondBytes = new ulong[65536 / 64];
    private readonly ulong[] _singleBytes = new ulong[4]; // tokens of one byte
    private readonly bool _manyFirstBytes;

    public AddedTokenByteMatcher(IEnumerable<AddedToken> tokens)
    {
        var first = new HashSet<byte>();
        var spellings = new List<(byte[] Text, int Id)>();
        foreach (AddedToken token in tokens)
        {
            byte[] text = Encoding.UTF8.GetBytes(token.Content);
            if (text.Length == 0)
            {
                continue;
            }

            if (text.Length > 1)
            {
                int pair = (text[0] << 8) | text[1];
                _secondBytes[pair >> 6] |= 1UL << (pair & 63);
            }
            else
            {
                _singleBytes[text[0] >> 6] |= 1UL << (text[0] & 63);
            }

            spellings.Add((text, token.Id));
            first.Add(text[0]);
        }

        // The first token with a spelling wins (the order Hugging Face adds them in).
        _trie = new ByteTrie(spellings.Sum(s => s.Text.Length));
        for (int i = spellings.Count - 1; i >= 0; i--)
        {
            _trie.Add(spellings[i].Text, spellings[i].Id);
        }

        var firstBytes = new byte[first.Count];
        first.CopyTo(firstBytes);
        _firstBytes = SearchValues.Create(firstBytes);
        IsEmpty = first.Count == 0;
        _manyFirstBytes = first.Count > 8;
    }

    /// <summary>Whether there is nothing to match.</summary>
    public bool IsEmpty { get; }

    /// <summary>The next added token at or after <paramref name="from"/>: its start (or -1), length and id.</summary>
    public int FindNext(ReadOnlySpan<byte> text, int from, out int length, out int id)
    {
        int position = IsEmpty ? text.Length : from;
        while (position < text.Length)
        {
            if (_manyFirstBytes)
            {
                // Spaces, capitals, digits...: a vectorized search would stop every few bytes, so test each byte
                // against the two-byte starts instead (one bit in an 8 KB table).
                position = NextCandidate(text, position);
                if (position < 0)
                {
                    break;
                }
            }
            else
            {
                int skip = text[position..].IndexOfAny(_firstBytes);
                if (skip < 0)
                {
                    break;
                }

                position += skip;
            }

            int second = position + 1 < text.Length ? (text[position] << 8) | text[position + 1] : -1;
            int best = second >= 0 && (_secondBytes[second >> 6] & (1UL << (second & 63))) != 0
                ? _trie.Longest(text, position, out int bestLength)
                : _trie.Longest(text[..(position + 1)], position, out bestLength);
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

    /// <summary>The first position at or after <paramref name="from"/> where a token of one byte, or a token's first two bytes, start; or -1.</summary>
    private int NextCandidate(ReadOnlySpan<byte> text, int from)
    {
        int last = text.Length - 1;
        for (int i = from; i < last; i++)
        {
            int pair = (text[i] << 8) | text[i + 1];
            if (((_secondBytes[pair >> 6] >> (pair & 63)) & 1) != 0 || ((_singleBytes[text[i] >> 6] >> (text[i] & 63)) & 1) != 0)
            {
                return i;
            }
        }

        return last >= from && ((_singleBytes[text[last] >> 6] >> (text[last] & 63)) & 1) != 0 ? last : -1;
    }
}
