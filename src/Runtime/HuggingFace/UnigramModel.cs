using System;
using System.Buffers;
using System.Text;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Hugging Face's (and SentencePiece's) Unigram model: the segmentation of a piece into vocabulary tokens with the
/// highest total score, by Viterbi over character positions. A character no token starts with becomes the unknown
/// token at the lowest score minus 10; runs of unknown characters fuse into one; with byte fallback an unknown run
/// is spelled as <c>&lt;0xXX&gt;</c> byte tokens. Ties keep the first candidate found (shorter tokens, earlier starts).
/// </summary>
internal sealed class UnigramModel : IWordModel
{
    private const double UnknownPenalty = 10.0;
    private readonly Internal.TokenizerTables _tables;
    private readonly double[] _scores;
    private readonly int _unknownId;
    private readonly bool _byteFallback;
    private readonly int[] _fallbackIds = new int[256];
    private readonly double _unknownScore;
    private readonly int _maxTokenLength;

    public UnigramModel(Internal.TokenizerTables tables, double[] scores, int unknownId, bool byteFallback)
    {
        _tables = tables;
        _scores = scores;
        _unknownId = unknownId;
        _byteFallback = byteFallback;
        double min = double.MaxValue;
        foreach (double score in _scores)
        {
            min = Math.Min(min, score);
        }

        _unknownScore = min - UnknownPenalty;
        _maxTokenLength = tables.MaxTokenLength;
        for (int b = 0; b < 256; b++)
        {
            _fallbackIds[b] = tables.Lookup(Encoding.ASCII.GetBytes($"<0x{b:X2}>"));
        }
    }

    public int Encode(ReadOnlySpan<byte> piece, Span<int> output)
    {
        int n = piece.Length;
        double[] best = ArrayPool<double>.Shared.Rent(n + 1);
        int[] from = ArrayPool<int>.Shared.Rent(n + 1);
        int[] ids = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            from.AsSpan(0, n + 1).Fill(-1);
            best[0] = 0;
            for (int start = 0; start < n;)
            {
                int characterLength = Math.Min(Utf8Length(piece[start]), n - start);
                double reached = best[start];
                bool single = false;
                int limit = Math.Min(n, start + _maxTokenLength);
                for (int end = start + 1; end <= limit; end++)
                {
                    if (end < n && (piece[end] & 0xC0) == 0x80)
                    {
                        continue;
                    }

                    int id = _tables.Lookup(piece[start..end]);
                    if (id < 0)
                    {
                        continue;
                    }

                    Offer(end, reached + _scores[id], start, id, best, from, ids);
                    single |= end - start == characterLength;
                }

                if (!single)
                {
                    Offer(start + characterLength, reached + _unknownScore, start, _unknownId, best, from, ids);
                }

                start += characterLength;
            }

            return Backtrack(piece, from, ids, output);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(best);
            ArrayPool<int>.Shared.Return(from);
            ArrayPool<int>.Shared.Return(ids);
        }
    }

    private static void Offer(int end, double score, int start, int id, double[] best, int[] from, int[] ids)
    {
        if (from[end] < 0 || score > best[end])
        {
            best[end] = score;
            from[end] = start;
            ids[end] = id;
        }
    }

    /// <summary>Walks the best path back from the end, fusing unknown runs, and writes the ids in order.</summary>
    private int Backtrack(ReadOnlySpan<byte> piece, int[] from, int[] ids, Span<int> output)
    {
        // Segments are collected end to start into the output's tail, then moved to its front.
        int[] segments = ArrayPool<int>.Shared.Rent((2 * piece.Length) + 2);
        try
        {
            int count = 0;
            for (int end = piece.Length; end > 0;)
            {
                int start = from[end];
                bool unknown = ids[end] == _unknownId || ids[end] < 0;
                while (unknown && start > 0 && (ids[start] == _unknownId || ids[start] < 0))
                {
                    start = from[start];
                }

                segments[2 * count] = start;
                segments[(2 * count) + 1] = unknown ? -1 : ids[end];
                count++;
                end = start;
            }

            int written = 0;
            for (int k = count - 1; k >= 0; k--)
            {
                int start = segments[2 * k];
                int stop = k > 0 ? segments[2 * (k - 1)] : piece.Length;
                int id = segments[(2 * k) + 1];
                written += id >= 0 ? Put(output, written, id) : Unknown(piece[start..stop], output[written..]);
            }

            return written;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(segments);
        }
    }

    private static int Put(Span<int> output, int at, int id)
    {
        output[at] = id;
        return 1;
    }

    /// <summary>An unknown run: a token if the fused text happens to be one, its bytes with byte fallback, else the unknown token.</summary>
    private int Unknown(ReadOnlySpan<byte> text, Span<int> output)
    {
        int id = _tables.Lookup(text);
        if (id >= 0)
        {
            output[0] = id;
            return 1;
        }

        if (_byteFallback)
        {
            bool all = true;
            foreach (byte b in text)
            {
                all &= _fallbackIds[b] >= 0;
            }

            if (all)
            {
                for (int i = 0; i < text.Length; i++)
                {
                    output[i] = _fallbackIds[text[i]];
                }

                return text.Length;
            }
        }

        if (_unknownId < 0)
        {
            throw new InvalidOperationException($"'{Encoding.UTF8.GetString(text)}' has no Unigram segmentation and the model has no unknown token (Hugging Face fails here too).");
        }

        output[0] = _unknownId;
        return 1;
    }

    private static int Utf8Length(byte lead) => lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}
