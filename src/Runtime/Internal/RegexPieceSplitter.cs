using System;
using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace TokenizerCompiler.Internal;

/// <summary>
/// The slow path for split patterns that have no hand-written scanner: System.Text.RegularExpressions over a
/// UTF-16 copy of the stretch. As in tiktoken, text that no match covers is dropped. The pattern is translated
/// as the Hugging Face split step's is (<see cref="Core.HuggingFace.RegexTranslation"/>), and it runs on a view
/// that gives every character outside the BMP one stand-in of its category (<see cref="HuggingFace.SurrogateFreeText"/>),
/// so <c>\p{L}</c> matches 𝔢 as tiktoken's engine does. Encoding and <see cref="Tokenizer.CountPreTokens(ReadOnlySpan{byte})"/>
/// share this one splitter.
/// </summary>
internal sealed class RegexPieceSplitter
{
    private readonly Regex _regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid .NET regular expression.</exception>
    public RegexPieceSplitter(string pattern)
    {
        _regex = new Regex(Core.HuggingFace.RegexTranslation.ToDotNet(pattern), Core.HuggingFace.RegexTranslation.Options | RegexOptions.Compiled);
    }

    /// <summary>Encodes every match of the pattern in <paramref name="segment"/>.</summary>
    public bool EncodePieces<TSink>(Tokenizer tokenizer, ReadOnlySpan<byte> segment, int offset, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(16, segment.Length));
        int charCount = Encoding.UTF8.GetChars(segment, chars);
        var view = new HuggingFace.SurrogateFreeText(chars.AsSpan(0, charCount));
        try
        {
            Span<int> scratch = stackalloc int[256];
            PieceCache cache = PieceCache.For(tokenizer.Tables);
            int charPosition = 0, bytePosition = 0;
            foreach (ValueMatch match in _regex.EnumerateMatches(view.Text))
            {
                if (match.Length == 0)
                {
                    continue;
                }

                int start = view.Original(match.Index), end = view.Original(match.Index + match.Length);
                bytePosition += Encoding.UTF8.GetByteCount(chars.AsSpan(charPosition, start - charPosition));
                int pieceBytes = Encoding.UTF8.GetByteCount(chars.AsSpan(start, end - start));
                if (!Tokenizer.EncodePiece(cache, segment.Slice(bytePosition, pieceBytes), offset + bytePosition, scratch, ref sink))
                {
                    consumed = offset + bytePosition;
                    return false;
                }

                bytePosition += pieceBytes;
                charPosition = end;
            }

            consumed = offset + segment.Length;
            return true;
        }
        finally
        {
            view.Dispose();
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>The number of pieces (non-empty matches) in <paramref name="text"/>.</summary>
    public int CountPieces(ReadOnlySpan<byte> text)
    {
        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(16, text.Length));
        int charCount = Encoding.UTF8.GetChars(text, chars);
        var view = new HuggingFace.SurrogateFreeText(chars.AsSpan(0, charCount));
        try
        {
            int count = 0;
            foreach (ValueMatch match in _regex.EnumerateMatches(view.Text))
            {
                count += match.Length > 0 ? 1 : 0;
            }

            return count;
        }
        finally
        {
            view.Dispose();
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
