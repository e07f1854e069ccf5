using System.Collections.Generic;

namespace TokenizerCompiler.Core.Diagnostics;

/// <summary>Turns character offsets into line/column positions; built once per file, only when a diagnostic needs it.</summary>
public sealed class LineMap
{
    private readonly List<int> _lineStarts = new() { 0 };

    /// <summary>Indexes the line starts of <paramref name="text"/> (LF, CR and CRLF all end a line).</summary>
    public LineMap(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>The span of <paramref name="length"/> characters at <paramref name="offset"/>.</summary>
    public SourceSpan SpanAt(int offset, int length)
    {
        int lo = 0, hi = _lineStarts.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (_lineStarts[mid] <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return new SourceSpan(offset, length, lo, offset - _lineStarts[lo]);
    }
}
