using System;

namespace TokenizerCompiler.Internal;

/// <summary>Receives the tokens of each piece as encoding produces them; returning false stops encoding before that piece.</summary>
internal interface ITokenSink
{
    /// <summary>
    /// Whether the sink may be handed several pieces' ids as one (it keeps no per-piece record), and a refused
    /// <see cref="Accept"/> leaves it as it was, so the same ids may be offered again piece by piece.
    /// </summary>
    static virtual bool TakesGroups => false;

    /// <summary>
    /// Whether <see cref="Accept"/> never refuses (a count, a growing buffer): a stretch whose ids must arrive
    /// together may then hand them over piece by piece.
    /// </summary>
    static virtual bool AcceptsEverything => false;

    /// <summary>Takes the tokens of the piece at <paramref name="pieceStart"/> (a UTF-8 offset of the whole input).</summary>
    bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd);
}

/// <summary>Writes ids into a caller's span; stops when the next piece does not fit.</summary>
internal ref struct SpanSink : ITokenSink
{
    /// <inheritdoc/>
    public static bool TakesGroups => true;

    private readonly Span<int> _destination;

    public SpanSink(Span<int> destination)
    {
        _destination = destination;
        Written = 0;
    }

    public int Written { get; private set; }

    /// <summary>The part of the destination not written yet, for a caller that fills it and then <see cref="Advance"/>s.</summary>
    public readonly Span<int> Free => _destination.Slice(Written);

    /// <summary>Counts <paramref name="count"/> ids written straight into <see cref="Free"/> as written.</summary>
    public void Advance(int count) => Written += count;

    public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd)
    {
        if (ids.Length > _destination.Length - Written)
        {
            return false;
        }

        if (ids.Length == 1)
        {
            _destination[Written++] = ids[0];
            return true;
        }

        ids.CopyTo(_destination.Slice(Written));
        Written += ids.Length;
        return true;
    }
}

/// <summary>Counts tokens.</summary>
internal struct CountSink : ITokenSink
{
    /// <inheritdoc/>
    public static bool TakesGroups => true;

    /// <inheritdoc/>
    public static bool AcceptsEverything => true;

    public int Count;

    public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd)
    {
        Count += ids.Length;
        return true;
    }
}

/// <summary>Appends every id to a growing buffer.</summary>
internal readonly struct IdBufferSink(HuggingFace.IdBuffer ids) : ITokenSink
{
    /// <inheritdoc/>
    public static bool TakesGroups => true;

    /// <inheritdoc/>
    public static bool AcceptsEverything => true;

    public bool Accept(scoped ReadOnlySpan<int> unitIds, int pieceStart, int pieceEnd)
    {
        unitIds.CopyTo(ids.Reserve(unitIds.Length));
        ids.Commit(unitIds.Length);
        return true;
    }
}
