using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// Hands an encode loop the end of each piece in turn: from the starts a window scan decided
/// (<see cref="IPieceScanner.WindowStarts"/>) while it has some, else from the scanner a piece at a time. The loop
/// passes the end it was given last as the next start, so the pending starts always follow on from it.
/// </summary>
internal struct PieceCursor<TScanner>
    where TScanner : IPieceScanner
{
    /// <summary>
    /// After a window that decided nothing (non-ASCII text, or one long run), how far to scan piece by piece before
    /// trying another; doubled after each such window in a row, so text in other scripts soon stops paying for them.
    /// </summary>
    private const int FirstBackoff = 32;

    /// <summary>The longest stretch scanned without trying a window (text in other scripts).</summary>
    private const int LongestBackoff = 4096;

    private ulong _pending; // starts decided and not yet handed out, as bits relative to _base
    private int _base;
    private int _nextWindow; // no window is tried before this position
    private int _backoff;

    /// <summary>The end of the piece that starts at <paramref name="start"/>, the end last handed out (or 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int NextEnd(ReadOnlySpan<byte> text, int start)
    {
        if (!TScanner.HasWindow)
        {
            return TScanner.PieceEnd(text, start); // a scanner without windows compiles to this alone
        }

        if (_pending != 0)
        {
            int end = _base + BitOperations.TrailingZeroCount(_pending);
            _pending &= _pending - 1;
            return end;
        }

        return FromWindow(text, start);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int FromWindow(ReadOnlySpan<byte> text, int start)
    {
        if (start >= _nextWindow && text.Length - start >= WindowRules.BytesRead)
        {
            ulong starts = TScanner.WindowStarts(text, start);
            if (starts != 0)
            {
                _backoff = 0;
                _base = start;
                _pending = starts & (starts - 1);
                return start + BitOperations.TrailingZeroCount(starts);
            }

            _backoff = Math.Min(Math.Max(FirstBackoff, 2 * _backoff), LongestBackoff);
            _nextWindow = start + _backoff;
        }

        return TScanner.PieceEnd(text, start);
    }
}
