using System;
using System.Buffers;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// A sink that keeps every id, on pooled storage that grows: for a stretch whose ids must reach the real sink
/// together (a Llama 2 stretch, a chunk encoded in its normalized form), because no point inside it is a place
/// where encoding could resume with the same ids. Dispose returns the storage. A value type, unlike
/// <see cref="IdBuffer"/> (whose growth it shares), so that a stretch costs no allocation.
/// </summary>
internal ref struct PooledIdCollector : ITokenSink
{
    private int[] _buffer;
    private int _count;

    /// <summary>Rents room for about <paramref name="expected"/> ids (at most 64 K up front; it grows).</summary>
    public PooledIdCollector(int expected) => _buffer = ArrayPool<int>.Shared.Rent(Math.Clamp(expected, 16, 1 << 16));

    /// <inheritdoc/>
    public static bool TakesGroups => true;

    /// <inheritdoc/>
    public static bool AcceptsEverything => true;

    /// <summary>The ids kept so far.</summary>
    public readonly ReadOnlySpan<int> Ids => _buffer.AsSpan(0, _count);

    /// <inheritdoc/>
    public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd)
    {
        if (_count + ids.Length > _buffer.Length)
        {
            _buffer = IdBuffer.Grow(_buffer, _count, _count + ids.Length);
        }

        // Most words have one or two ids: stores of their own instead of a call to copy them.
        Span<int> free = _buffer.AsSpan(_count);
        if (ids.Length == 1)
        {
            free[0] = ids[0];
        }
        else if (ids.Length == 2 && free.Length >= 2)
        {
            free[0] = ids[0];
            free[1] = ids[1];
        }
        else
        {
            ids.CopyTo(free);
        }

        _count += ids.Length;
        return true;
    }

    /// <summary>Returns the storage to the pool.</summary>
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_buffer);
        }

        _buffer = [];
        _count = 0;
    }
}
