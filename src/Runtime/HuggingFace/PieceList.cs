using System;
using System.Buffers;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Pieces of text produced by a pre-tokenizer step: their characters in one pooled buffer and their bounds.
/// Two lists alternate between steps, so pre-tokenizing allocates nothing after warm-up.
/// </summary>
internal sealed class PieceList : IDisposable
{
    private char[] _chars = ArrayPool<char>.Shared.Rent(256);
    private int[] _bounds = ArrayPool<int>.Shared.Rent(64);
    private int[] _origins = ArrayPool<int>.Shared.Rent(32);
    private int _length;

    /// <summary>Number of pieces.</summary>
    public int Count { get; private set; }

    /// <summary>Piece <paramref name="index"/>'s characters.</summary>
    public ReadOnlySpan<char> this[int index] => _chars.AsSpan(_bounds[2 * index], _bounds[(2 * index) + 1] - _bounds[2 * index]);

    /// <summary>
    /// Where piece <paramref name="index"/> starts in the text that was pre-tokenized, or -1 when it is not a plain
    /// substring of it (a step inserted or replaced characters).
    /// </summary>
    public int Origin(int index) => _origins[index];

    /// <summary>Empties the list.</summary>
    public void Clear()
    {
        Count = 0;
        _length = 0;
    }

    /// <summary>Adds a piece (empty pieces are dropped, as Hugging Face drops them) that starts at <paramref name="origin"/> (or -1).</summary>
    public void Add(ReadOnlySpan<char> piece, int origin) => Add(ReadOnlySpan<char>.Empty, piece, origin);

    /// <summary>Adds <paramref name="prefix"/> followed by <paramref name="piece"/> as one piece.</summary>
    public void Add(ReadOnlySpan<char> prefix, ReadOnlySpan<char> piece, int origin)
    {
        int length = prefix.Length + piece.Length;
        if (length == 0)
        {
            return;
        }

        EnsureChars(_length + length);
        prefix.CopyTo(_chars.AsSpan(_length));
        piece.CopyTo(_chars.AsSpan(_length + prefix.Length));
        if (2 * (Count + 1) > _bounds.Length)
        {
            int[] bounds = ArrayPool<int>.Shared.Rent(_bounds.Length * 2);
            _bounds.AsSpan(0, 2 * Count).CopyTo(bounds);
            ArrayPool<int>.Shared.Return(_bounds);
            _bounds = bounds;
        }

        if (Count + 1 > _origins.Length)
        {
            int[] origins = ArrayPool<int>.Shared.Rent(_origins.Length * 2);
            _origins.AsSpan(0, Count).CopyTo(origins);
            ArrayPool<int>.Shared.Return(_origins);
            _origins = origins;
        }

        _origins[Count] = prefix.Length == 0 ? origin : -1;
        _bounds[2 * Count] = _length;
        _bounds[(2 * Count) + 1] = _length + length;
        _length += length;
        Count++;
    }

    /// <summary>Returns the buffers to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<int>.Shared.Return(_bounds);
        ArrayPool<int>.Shared.Return(_origins);
        _chars = Array.Empty<char>();
        _bounds = Array.Empty<int>();
        _origins = Array.Empty<int>();
    }

    private void EnsureChars(int needed)
    {
        if (needed <= _chars.Length)
        {
            return;
        }

        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(needed, _chars.Length * 2));
        _chars.AsSpan(0, _length).CopyTo(chars);
        ArrayPool<char>.Shared.Return(_chars);
        _chars = chars;
    }
}
