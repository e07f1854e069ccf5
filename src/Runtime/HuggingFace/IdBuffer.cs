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
            _ids = Grow(_ids, Count, Count + count);
        }

        return _ids.AsSpan(Count);
    }

    /// <summary>
    /// A pooled array with room for at least <paramref name="needed"/> ids (and twice the old size) holding the first
    /// <paramref name="count"/> ids of <paramref name="ids"/>, which goes back to the pool.
    /// </summary>
    internal static int[] Grow(int[] ids, int count, int needed)
    {
        int[] larger = ArrayPool<int>.Shared.Rent(Math.Max(needed, ids.Length * 2));
        ids.AsSpan(0, count).CopyTo(larger);
        ArrayPool<int>.Shared.Return(ids);
        return larger;
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
