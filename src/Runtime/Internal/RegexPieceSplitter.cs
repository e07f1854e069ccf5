using System;
using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace TokenizerCompiler.Internal;

/// <summary>
/// The slow path for split patterns that have no hand-written scanner: System.Text.RegularExpressions over a
/// UTF-16 copy of the stretch. As in tiktoken, text that no match covers is dropped.
/// </summary>
internal sealed class RegexPieceSplitter
{
    private readonly Regex _regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid .NET regular expression.</exception>
    public RegexPieceSplitter(string pattern)
    {
        _regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    /// <summary>Encodes every match of the pattern in <paramref name="segment"/>.</summary>
    public bool EncodePieces<TSink>(Tokenizer tokenizer, ReadOnlySpan<byte> segment, int offset, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(16, segment.Length));
        try
        {
            int charCount = Encoding.UTF8.GetChars(segment, chars);
            Span<int> scratch = stackalloc int[256];
            PieceCache cache = PieceCache.For(tokenizer.Tables);
            int charPosition = 0, bytePosition = 0;
            foreach (ValueMatch match in _regex.EnumerateMatches(chars.AsSpan(0, charCount)))
            {
                if (match.Length == 0)
                {
                    continue;
                }

                bytePosition += Encoding.UTF8.GetByteCount(chars.AsSpan(charPosition, match.Index - charPosition));
                int pieceBytes = Encoding.UTF8.GetByteCount(chars.AsSpan(match.Index, match.Length));
                if (!Tokenizer.EncodePiece(cache, segment.Slice(bytePosition, pieceBytes), offset + bytePosition, scratch, ref sink))
                {
                    consumed = offset + bytePosition;
                    return false;
                }

                bytePosition += pieceBytes;
                charPosition = match.Index + match.Length;
            }

            consumed = offset + segment.Length;
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
