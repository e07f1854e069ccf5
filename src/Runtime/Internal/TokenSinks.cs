using System;

namespace TokenizerCompiler.Internal;

/// <summary>Receives the tokens of each piece as encoding produces them; returning false stops encoding before that piece.</summary>
internal interface ITokenSink
{
    /// <summary>Takes the tokens of the piece at <paramref name="pieceStart"/> (a UTF-8 offset of the whole input).</summary>
    bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd);
}

/// <summary>Writes ids into a caller's span; stops when the next piece does not fit.</summary>
internal ref struct SpanSink : ITokenSink
{
    private readonly Span<int> _destination;

    public SpanSink(Span<int> destination)
    {
        _destination = destination;
        Written = 0;
    }

    public int Written { get; private set; }

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
    public bool Accept(scoped ReadOnlySpan<int> unitIds, int pieceStart, int pieceEnd)
    {
        unitIds.CopyTo(ids.Reserve(unitIds.Length));
        ids.Commit(unitIds.Length);
        return true;
    }
}
