using System;
using System.Buffers;
using System.Collections.Generic;
using TokenizerCompiler.Core.HuggingFace;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Finds added tokens in text the way Hugging Face does: leftmost match, longest at the same position, then
/// single_word / lstrip / rstrip applied to the match. A character trie keeps the cost per position at the
/// length of the longest candidate, however many added tokens there are (Gemma has thousands).
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<long, int> _children = new();
    private readonly List<int> _terminal = new() { -1 };
    private readonly List<AddedToken> _tokens = new();
    private readonly SearchValues<char> _firstChars;

    /// <summary>Indexes <paramref name="tokens"/> by the text they are matched with.</summary>
    public AddedTokenMatcher(IEnumerable<(AddedToken Token, string Text)> tokens)
    {
        var first = new HashSet<char>();
        foreach ((AddedToken token, string text) in tokens)
        {
            if (text.Length == 0)
            {
                continue;
            }

            int node = 0;
            foreach (char c in text)
            {
                long key = ((long)node << 16) | c;
                if (!_children.TryGetValue(key, out int child))
                {
                    child = _terminal.Count;
                    _terminal.Add(-1);
                    _children[key] = child;
                }

                node = child;
            }

            if (_terminal[node] < 0)
            {
                _terminal[node] = _tokens.Count;
                _tokens.Add(token);
            }

            first.Add(text[0]);
        }

        var firstChars = new char[first.Count];
        first.CopyTo(firstChars);
        _firstChars = SearchValues.Create(firstChars);
        IsEmpty = _tokens.Count == 0;
    }

    /// <summary>Whether there is nothing to match.</summary>
    public bool IsEmpty { get; }

    /// <summary>
    /// Finds the next added token at or after <paramref name="from"/> in <paramref name="text"/> that
    /// <paramref name="allowSpecial"/> admits. Returns false when there is none; otherwise
    /// [<paramref name="start"/>, <paramref name="end"/>) is the text it replaces (strip included).
    /// </summary>
    public bool FindNext(ReadOnlySpan<char> text, int from, bool allowSpecial, out int start, out int end, out int id)
    {
        int position = from;
        while (position < text.Length)
        {
            int skip = text.Slice(position).IndexOfAny(_firstChars);
            if (skip < 0)
            {
                break;
            }

            position += skip;
            int best = -1, bestEnd = -1, node = 0;
            for (int i = position; i < text.Length; i++)
            {
                if (!_children.TryGetValue(((long)node << 16) | text[i], out node))
                {
                    break;
                }

                int candidate = _terminal[node];
                if (candidate >= 0 && (allowSpecial || !_tokens[candidate].Special))
                {
                    best = candidate;
                    bestEnd = i + 1;
                }
            }

            if (best >= 0 && Accepts(_tokens[best], text, position, bestEnd))
            {
                AddedToken token = _tokens[best];
                start = position;
                end = bestEnd;
                if (token.LStrip)
                {
                    while (start > from && char.IsWhiteSpace(text[start - 1]))
                    {
                        start--;
                    }
                }

                if (token.RStrip)
                {
                    while (end < text.Length && char.IsWhiteSpace(text[end]))
                    {
                        end++;
                    }
                }

                id = token.Id;
                return true;
            }

            position++;
        }

        start = end = id = -1;
        return false;
    }

    private static bool Accepts(AddedToken token, ReadOnlySpan<char> text, int start, int end)
    {
        if (!token.SingleWord)
        {
            return true;
        }

        bool wordBefore = start > 0 && char.IsLetterOrDigit(text[start - 1]);
        bool wordAfter = end < text.Length && char.IsLetterOrDigit(text[end]);
        return !wordBefore && !wordAfter;
    }
}
