using System;
using System.Text.RegularExpressions;
using TokenizerCompiler.Core.HuggingFace;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Splits a piece at the matches of a pattern and arranges matches and gaps per a <see cref="SplitBehavior"/>,
/// following Hugging Face's NormalizedString::split: the piece is cut into alternating matched and unmatched
/// runs (matched ones flipped when inverted), runs are grouped by the behaviour, and empty pieces are dropped.
/// </summary>
internal sealed class SplitStep
{
    private readonly Regex _regex;
    private readonly SplitBehavior _behavior;
    private readonly bool _invert;

    public SplitStep(string pattern, bool isRegex, SplitBehavior behavior, bool invert)
    {
        _regex = new Regex(isRegex ? RegexTranslation.ToDotNet(pattern) : Regex.Escape(pattern), RegexTranslation.Options | RegexOptions.Compiled);
        _behavior = behavior;
        _invert = invert;
    }

    /// <summary>Splits <paramref name="piece"/> into <paramref name="output"/>.</summary>
    public void Apply(ReadOnlySpan<char> piece, int origin, PieceList output)
    {
        // Runs are visited in order; "pending" is the piece being built, which some behaviours extend.
        int pendingStart = -1, pendingEnd = -1;
        bool previousMatch = false;
        int position = 0;
        var view = new SurrogateFreeText(piece);
        try
        {
            foreach (ValueMatch match in _regex.EnumerateMatches(view.Text))
            {
                int start = view.Original(match.Index), end = view.Original(match.Index + match.Length);
                if (start > position)
                {
                    Visit(piece, origin, position, start, _invert, output, ref pendingStart, ref pendingEnd, ref previousMatch);
                }

                Visit(piece, origin, start, end, !_invert, output, ref pendingStart, ref pendingEnd, ref previousMatch);
                position = end;
            }
        }
        finally
        {
            view.Dispose();
        }

        if (position < piece.Length)
        {
            Visit(piece, origin, position, piece.Length, _invert, output, ref pendingStart, ref pendingEnd, ref previousMatch);
        }

        if (pendingStart >= 0)
        {
            output.Add(piece[pendingStart..pendingEnd], origin < 0 ? -1 : origin + pendingStart);
        }
    }

    private void Visit(ReadOnlySpan<char> piece, int origin, int start, int end, bool isMatch, PieceList output,
        ref int pendingStart, ref int pendingEnd, ref bool previousMatch)
    {
        switch (_behavior)
        {
            case SplitBehavior.Removed:
                if (!isMatch)
                {
                    Emit(piece, origin, start, end, output, ref pendingStart, ref pendingEnd);
                }
                else
                {
                    Flush(piece, origin, output, ref pendingStart, ref pendingEnd);
                }

                break;
            case SplitBehavior.Isolated:
                Emit(piece, origin, start, end, output, ref pendingStart, ref pendingEnd);
                break;
            case SplitBehavior.MergedWithPrevious:
                if (isMatch && !previousMatch && pendingStart >= 0)
                {
                    pendingEnd = end;
                }
                else
                {
                    Emit(piece, origin, start, end, output, ref pendingStart, ref pendingEnd);
                }

                break;
            case SplitBehavior.MergedWithNext:
                // A match opens the piece that the following gap completes.
                if (previousMatch && !isMatch && pendingStart >= 0)
                {
                    pendingEnd = end;
                }
                else
                {
                    Emit(piece, origin, start, end, output, ref pendingStart, ref pendingEnd);
                }

                break;
            default: // Contiguous
                if (isMatch && previousMatch && pendingStart >= 0)
                {
                    pendingEnd = end;
                }
                else
                {
                    Emit(piece, origin, start, end, output, ref pendingStart, ref pendingEnd);
                }

                break;
        }

        if (start < end)
        {
            previousMatch = isMatch;
        }
    }

    private static void Emit(ReadOnlySpan<char> piece, int origin, int start, int end, PieceList output, ref int pendingStart, ref int pendingEnd)
    {
        Flush(piece, origin, output, ref pendingStart, ref pendingEnd);
        if (start < end)
        {
            pendingStart = start;
            pendingEnd = end;
        }
    }

    private static void Flush(ReadOnlySpan<char> piece, int origin, PieceList output, ref int pendingStart, ref int pendingEnd)
    {
        if (pendingStart >= 0)
        {
            output.Add(piece[pendingStart..pendingEnd], origin < 0 ? -1 : origin + pendingStart);
            pendingStart = pendingEnd = -1;
        }
    }
}
