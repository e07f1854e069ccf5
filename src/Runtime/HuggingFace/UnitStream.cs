using System;
using System.Text;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Collects ids into units and hands each unit to a sink with its bounds as UTF-8 offsets of the input. A unit ends
/// at each boundary the encoder marks (a char index into the input, never decreasing); the char-to-byte mapping is
/// computed incrementally, so the whole input is measured once.
/// </summary>
internal ref struct UnitStream
{
    private readonly ReadOnlySpan<char> _text;
    private readonly IdBuffer _ids;
    private int _unitStartChar;
    private int _unitStartByte;
    private int _measuredChar;
    private int _measuredByte;

    public UnitStream(ReadOnlySpan<char> text, IdBuffer ids)
    {
        _text = text;
        _ids = ids;
        _ids.Clear();
        StoppedAtByte = 0;
    }

    /// <summary>Where the unit that did not fit starts, once the sink has stopped.</summary>
    public int StoppedAtByte { get; private set; }

    /// <summary>Adds one id to the current unit; always true.</summary>
    public bool Add(int id)
    {
        _ids.Add(id);
        return true;
    }

    /// <summary>Room for ids of the current unit.</summary>
    public Span<int> Reserve(int count) => _ids.Reserve(count);

    /// <summary>Keeps ids written into <see cref="Reserve"/>.</summary>
    public void Commit(int count) => _ids.Commit(count);

    /// <summary>Ends the current unit at char <paramref name="charIndex"/>; false when the sink refused it.</summary>
    public bool Boundary<TSink>(ref TSink sink, int charIndex)
        where TSink : ITokenSink, allows ref struct
    {
        if (charIndex <= _unitStartChar)
        {
            return true;
        }

        int byteIndex = ByteOf(charIndex);
        if (_ids.Count > 0 && !sink.Accept(_ids.Span, _unitStartByte, byteIndex))
        {
            StoppedAtByte = _unitStartByte;
            return false;
        }

        _ids.Clear();
        _unitStartChar = charIndex;
        _unitStartByte = byteIndex;
        return true;
    }

    private int ByteOf(int charIndex)
    {
        _measuredByte += Encoding.UTF8.GetByteCount(_text[_measuredChar..charIndex]);
        _measuredChar = charIndex;
        return _measuredByte;
    }
}
