using System;
using System.Buffers;

namespace TokenizerCompiler.Internal;

/// <summary>Finds special-token text in UTF-8 input: leftmost match, longest at the same position.</summary>
internal sealed class SpecialTokenMatcher
{
    private readonly int[] _ids;
    private readonly byte[][] _texts;
    private readonly SearchValues<byte> _firstBytes;

    /// <summary>Indexes the special tokens of <paramref name="tables"/>.</summary>
    public SpecialTokenMatcher(TokenizerTables tables)
        : this(tables.SpecialTokenIds, TextsOf(tables))
    {
    }

    /// <summary>Indexes the tokens <paramref name="ids"/> whose texts are <paramref name="texts"/> (UTF-8, non-empty).</summary>
    public SpecialTokenMatcher(int[] ids, byte[][] texts)
    {
        _ids = ids;
        _texts = texts;
        var first = new byte[_ids.Length];
        for (int i = 0; i < _ids.Length; i++)
        {
            first[i] = _texts[i][0];
        }

        _firstBytes = SearchValues.Create(first);
    }

    /// <summary>The UTF-8 text of each special token of <paramref name="tables"/>.</summary>
    private static byte[][] TextsOf(TokenizerTables tables)
    {
        int[] ids = tables.SpecialTokenIds;
        var texts = new byte[ids.Length][];
        for (int i = 0; i < ids.Length; i++)
        {
            texts[i] = tables.TokenBytes(ids[i]).ToArray();
        }

        return texts;
    }

    /// <summary>Whether there are any special tokens.</summary>
    public bool IsEmpty => _ids.Length == 0;

    /// <summary>Finds the next special token at or after <paramref name="from"/>; returns its start or -1.</summary>
    public int FindNext(ReadOnlySpan<byte> text, int from, out int id, out int length)
    {
        id = -1;
        length = 0;
        if (_ids.Length == 0)
        {
            return -1;
        }

        int position = from;
        while (position < text.Length)
        {
            int found = text.Slice(position).IndexOfAny(_firstBytes);
            if (found < 0)
            {
                return -1;
            }

            position += found;
            ReadOnlySpan<byte> rest = text.Slice(position);
            for (int i = 0; i < _texts.Length; i++)
            {
                if (_texts[i].Length > length && rest.StartsWith(_texts[i]))
                {
                    id = _ids[i];
                    length = _texts[i].Length;
                }
            }

            if (id >= 0)
            {
                return position;
            }

            position++;
        }

        return -1;
    }
}
