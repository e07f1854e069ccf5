using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Encodes text through a Hugging Face pipeline, in Hugging Face's order: added tokens that are matched in the
/// raw text are split out first; each stretch between them is normalized; added tokens matched in normalized
/// text are split out of that; what remains is pre-tokenized and each piece goes through the BPE model.
/// </summary>
/// <remarks>
/// Normalizers can change the text, so ids are handed to the sink per stretch between raw-text added tokens,
/// whose bounds in the caller's text are exact; that is the granularity of resumable progress.
/// </remarks>
internal sealed class PipelineEncoder
{
    private readonly TextNormalizer _normalizer;
    private readonly PreTokenizerChain _preTokenizers;
    private readonly MergeListModel _model;
    private readonly AddedTokenMatcher _rawTokens;
    private readonly AddedTokenMatcher _normalizedTokens;

    public PipelineEncoder(TokenizerTables tables, PipelineSpec pipeline)
    {
        _normalizer = new TextNormalizer(pipeline.Normalizers);
        _preTokenizers = new PreTokenizerChain(pipeline.PreTokenizers);
        _model = new MergeListModel(tables, pipeline.Model);
        var raw = new List<(AddedToken, string)>();
        var normalized = new List<(AddedToken, string)>();
        foreach (AddedToken token in pipeline.AddedTokens)
        {
            if (token.Normalized)
            {
                // Hugging Face matches a normalized added token by its normalized content.
                normalized.Add((token, _normalizer.Normalize(token.Content)));
            }
            else
            {
                raw.Add((token, token.Content));
            }
        }

        _rawTokens = new AddedTokenMatcher(raw);
        _normalizedTokens = new AddedTokenMatcher(normalized);
    }

    /// <summary>Encodes <paramref name="text"/> (valid UTF-8); see <see cref="Tokenizer.Run{TSink}"/> for the contract.</summary>
    public bool Run<TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        bool allowSpecial = policy == SpecialTokenPolicy.Allow;
        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(16, text.Length));
        var work = new Workspace();
        try
        {
            int length = Encoding.UTF8.GetChars(text, chars);
            ReadOnlySpan<char> all = chars.AsSpan(0, length);
            int position = 0, bytePosition = 0;
            while (true)
            {
                bool found = _rawTokens.FindNext(all, position, allowSpecial, out int start, out int end, out int id);
                int segmentEnd = found ? start : all.Length;
                int segmentBytes = Encoding.UTF8.GetByteCount(all[position..segmentEnd]);
                if (segmentEnd > position)
                {
                    work.Ids.Clear();
                    EncodeStretch(all[position..segmentEnd], position == 0, allowSpecial, work);
                    if (!sink.Accept(work.Ids.Span, bytePosition, bytePosition + segmentBytes))
                    {
                        consumed = bytePosition;
                        return false;
                    }
                }

                bytePosition += segmentBytes;
                if (!found)
                {
                    consumed = text.Length;
                    return true;
                }

                int tokenBytes = Encoding.UTF8.GetByteCount(all[start..end]);
                if (!sink.Accept(new ReadOnlySpan<int>(in id), bytePosition, bytePosition + tokenBytes))
                {
                    consumed = bytePosition;
                    return false;
                }

                bytePosition += tokenBytes;
                position = end;
            }
        }
        finally
        {
            work.Dispose();
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private void EncodeStretch(ReadOnlySpan<char> stretch, bool atTextStart, bool allowSpecial, Workspace work)
    {
        string? normalized = _normalizer.IsEmpty ? null : _normalizer.Normalize(stretch.ToString());
        ReadOnlySpan<char> text = normalized is null ? stretch : normalized.AsSpan();
        int position = 0;
        while (position < text.Length)
        {
            int start = -1, end = -1, id = -1;
            bool found = !_normalizedTokens.IsEmpty && _normalizedTokens.FindNext(text, position, allowSpecial, out start, out end, out id);
            int gapEnd = found ? start : text.Length;
            if (gapEnd > position)
            {
                EncodeWords(text[position..gapEnd], atTextStart && position == 0, work);
            }

            if (!found)
            {
                return;
            }

            work.Ids.Add(id);
            position = end;
        }
    }

    private void EncodeWords(ReadOnlySpan<char> text, bool atTextStart, Workspace work)
    {
        PieceList pieces = _preTokenizers.Run(text, atTextStart, work.Pieces, work.Scratch);
        Span<byte> stackBuffer = stackalloc byte[512];
        for (int i = 0; i < pieces.Count; i++)
        {
            ReadOnlySpan<char> piece = pieces[i];
            int maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
            byte[]? rented = null;
            Span<byte> utf8 = maxBytes <= stackBuffer.Length ? stackBuffer : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
            int byteCount = Encoding.UTF8.GetBytes(piece, utf8);
            Span<int> output = work.Ids.Reserve(byteCount);
            int count = _model.Encode(utf8[..byteCount], output);
            work.Ids.Commit(count);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Pooled buffers for one encode call.</summary>
    private sealed class Workspace : IDisposable
    {
        public PieceList Pieces { get; } = new();

        public PieceList Scratch { get; } = new();

        public IdBuffer Ids { get; } = new();

        public void Dispose()
        {
            Pieces.Dispose();
            Scratch.Dispose();
            Ids.Dispose();
        }
    }
}
