using System;
using System.Buffers;

namespace TokenizerCompiler.HuggingFace;

/// <summary>A growable list of ids on pooled storage.</summary>
internal sealed class IdBuffer : IDisposable
{
    private int[] _ids = ArrayPool<int>.Shared.Rent(256);

    /// <summary>Number of ids.</summary>
    public int Count { get; private set; }

    /// <summary>The ids.</summary>
    public ReadOnlySpan<int> Span => _ids.AsSpan(0, Count);

    /// <summary>Empties the list.</summary>
    public void Clear() => Count = 0;

    /// <summary>Appends one id.</summary>
    public void Add(int id)
    {
        Reserve(1)[0] = id;
        Count++;
    }

    /// <summary>Room for at least <paramref name="count"/> more ids; <see cref="Commit"/> says how many were written.</summary>
    public Span<int> Reserve(int count)
    {
        if (Count + count > _ids.Length)
        {
            int[] ids = ArrayPool<int>.Shared.Rent(Math.Max(Count + count, _ids.Length * 2));
            _ids.AsSpan(0, Count).CopyTo(ids);
            ArrayPool<int>.Shared.Return(_ids);
            _ids = ids;
        }

        return _ids.AsSpan(Count);
    }

    /// <summary>Keeps <paramref name="count"/> ids written into the last <see cref="Reserve"/>.</summary>
    public void Commit(int count) => Count += count;

    /// <summary>Returns the storage to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_ids);
        _ids = Array.Empty<int>();
    }
}
