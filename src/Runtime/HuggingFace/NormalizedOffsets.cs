using System;
using System.Collections.Generic;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Which positions of a normalized stretch are known in the original text: all of them when nothing was normalized,
/// the starts of the chunks that were normalized one by one otherwise (see <see cref="TextNormalizer.NormalizeInChunks"/>).
/// Queries come in increasing order, so a cursor walks the chunk list once.
/// </summary>
internal sealed class NormalizedOffsets
{
    private readonly List<int> _normalizedStarts = new();
    private readonly List<int> _originalStarts = new();
    private int _cursor;

    /// <summary>Whether the normalized text is the original text.</summary>
    public bool Identity { get; private set; }

    /// <summary>Starts over for a stretch that was not normalized.</summary>
    public void ResetIdentity()
    {
        Identity = true;
        Clear();
    }

    /// <summary>Starts over for a normalized stretch.</summary>
    public void ResetChunks()
    {
        Identity = false;
        Clear();
    }

    /// <summary>Records that normalized position <paramref name="normalized"/> is original position <paramref name="original"/>.</summary>
    public void Add(int normalized, int original)
    {
        _normalizedStarts.Add(normalized);
        _originalStarts.Add(original);
    }

    /// <summary>The original position of normalized position <paramref name="normalized"/>, or -1 when unknown.</summary>
    public int Original(int normalized)
    {
        if (Identity)
        {
            return normalized;
        }

        while (_cursor < _normalizedStarts.Count && _normalizedStarts[_cursor] < normalized)
        {
            _cursor++;
        }

        return _cursor < _normalizedStarts.Count && _normalizedStarts[_cursor] == normalized ? _originalStarts[_cursor] : -1;
    }

    private void Clear()
    {
        _normalizedStarts.Clear();
        _originalStarts.Clear();
        _cursor = 0;
    }
}
