using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Internal;
using TokenizerCompiler.PreTokenization;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Encodes text through a Hugging Face pipeline, in Hugging Face's order: added tokens that are matched in the
/// raw text are split out first; each stretch between them is normalized; added tokens matched in normalized
/// text are split out of that; what remains is pre-tokenized and each piece goes through the BPE model.
/// </summary>
/// <remarks>
/// Ids reach the sink in units whose bounds in the caller's text are exact: each pre-token when there is no
/// normalizer (a piece into which a step inserted characters joins the unit before it), each stretch between
/// raw-text added tokens when a normalizer may have changed the text. That is the granularity of resumable
/// progress and of token-budget cuts.
/// </remarks>
internal sealed class PipelineEncoder
{
    private readonly TextNormalizer _normalizer;
    private readonly PreTokenizerChain _preTokenizers;
    private readonly IWordModel _model;
    private readonly AddedTokenMatcher _rawTokens;
    private readonly AddedTokenMatcher _normalizedTokens;
    private readonly ScannedPipeline? _fast;
    private readonly MarkedWordPipeline? _words;
    private readonly WholeStretchPipeline? _whole;

    /// <summary>
    /// Whether text the fast path cannot take as a whole may be split into chunks that each take the fast or the full
    /// path (see <see cref="RunInChunks"/>): the fast path's normalizer is a Unicode form and its pre-tokenizer a
    /// known pattern, so neither looks across a line break followed by an ASCII letter or digit; an added token
    /// could, when it holds exactly that (one that only ends with a line break lies wholly before the cut).
    /// </summary>
    private readonly bool _chunkable;
    private readonly bool _cutsBeforeIndent;

    /// <summary>
    /// Whether a chunk the normalizer changes may also be cut before a space between two visible ASCII characters
    /// (see <see cref="IsSpaceCut"/>): true unless an added token holds a visible ASCII character followed by a space.
    /// </summary>
    private readonly bool _cutsBeforeSpaces;

    /// <summary>Whether an added token could straddle a chunk cut: it holds a line break followed by an ASCII letter or digit.</summary>
    private static bool SpansACut(string content, bool cutsBeforeIndent)
    {
        for (int i = content.IndexOf('\n'); i >= 0 && i + 1 < content.Length; i = content.IndexOf('\n', i + 1))
        {
            if (char.IsAsciiLetterOrDigit(content[i + 1]) || (cutsBeforeIndent && content[i + 1] is ' ' or '\t'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="content"/> holds a visible ASCII character followed by a space.</summary>
    private static bool HoldsAsciiBeforeSpace(string content)
    {
        for (int i = content.IndexOf(' '); i >= 0; i = content.IndexOf(' ', i + 1))
        {
            if (i > 0 && ScanPrimitives.IsVisibleAscii(content[i - 1]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Bytes a chunk spans at least, when text is encoded in chunks.</summary>
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The size of the chunks a chunk the normalizer changes is cut into.</summary>
    private const int SmallChunkBytes = 512;

    public PipelineEncoder(TokenizerTables tables, PipelineSpec pipeline)
    {
        _normalizer = new TextNormalizer(pipeline.Normalizers);
        _preTokenizers = new PreTokenizerChain(pipeline.PreTokenizers);
        _model = CreateModel(tables, pipeline.Model);
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
        _fast = _model is MergeListModel bpe ? ScannedPipeline.TryCreate(pipeline, bpe, _normalizer) : null;
        _words = _model is MergeListModel marked ? MarkedWordPipeline.TryCreate(pipeline, marked) : null;
        _whole = _model is MergeListModel plain ? WholeStretchPipeline.TryCreate(pipeline, plain) : null;
        _cutsBeforeIndent = _fast is { EndsPiecesAtLineBreaks: true };
        _chunkable = _fast is { RequiresAscii: true } && !pipeline.AddedTokens.Any(token => SpansACut(token.Content, _cutsBeforeIndent));
        _cutsBeforeSpaces = !pipeline.AddedTokens.Any(token => HoldsAsciiBeforeSpace(token.Content));
    }

    private static IWordModel CreateModel(TokenizerTables tables, BpeOptions options) => options.Kind switch
    {
        WordModelKind.Unigram => new UnigramModel(tables, tables.Scores ?? throw new InvalidTokenizerImageException("a Unigram image has no scores section"),
            options.UnknownId, options.ByteFallback),
        WordModelKind.WordPiece => new WordPieceModel(tables, options.UnknownId, options.ContinuingSubwordPrefix, options.MaxInputCharsPerWord),
        WordModelKind.WordLevel => new WordLevelModel(tables, options.UnknownId),
        _ => new MergeListModel(tables, options),
    };

    /// <summary>Whether this pipeline runs on a hand-written scanner straight from UTF-8 (see <see cref="ScannedPipeline"/>).</summary>
    public bool IsScanned => _fast is not null;

    /// <summary>Whether text is encoded word by word from UTF-8 (<see cref="MarkedWordPipeline"/>).</summary>
    public bool IsMarkedWords => _words is not null;

    /// <summary>Whether each stretch between added tokens is merged as one word straight from UTF-8 (<see cref="WholeStretchPipeline"/>).</summary>
    public bool IsWholeStretches => _whole is not null;

    /// <summary>
    /// Encodes Latin-1 bytes as <see cref="WholeStretchPipeline.EncodeLatin1"/> does, for pipelines that merge whole
    /// stretches; -1 when that path does not apply (encode the text's UTF-8 instead).
    /// </summary>
    public int EncodeLatin1(ReadOnlySpan<byte> latin1, SpecialTokenPolicy policy, Span<int> destination) =>
        _whole is { } whole ? whole.EncodeLatin1(latin1, policy, destination) : -1;

    /// <summary>The number of pieces the normalizer and the pre-tokenizers make of <paramref name="text"/> (added tokens read as text).</summary>
    public int CountPreTokens(ReadOnlySpan<byte> text)
    {
        string chars = Encoding.UTF8.GetString(text);
        if (!_normalizer.IsEmpty)
        {
            chars = _normalizer.Normalize(chars);
        }

        using var pieces = new PieceList();
        using var scratch = new PieceList();
        return _preTokenizers.Run(chars, atTextStart: true, pieces, scratch).Count;
    }

    /// <summary>Encodes <paramref name="text"/> (valid UTF-8); see <see cref="Tokenizer.Run{TSink}"/> for the contract.</summary>
    public bool Run<TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        if (_fast is not null && !_fast.RequiresAscii)
        {
            return _fast.Run(text, policy, ref sink, out consumed);
        }

        if (_words is not null)
        {
            return _words.Run(text, policy, ref sink, out consumed);
        }

        if (_whole is not null)
        {
            return _whole.Run(text, policy, ref sink, out consumed);
        }

        if (_chunkable)
        {
            return RunInChunks(text, policy, ref sink, out consumed);
        }

        if (_fast is not null && (System.Text.Ascii.IsValid(text) || _normalizer.LeavesUnchanged(text)))
        {
            return _fast.Run(text, policy, ref sink, out consumed);
        }

        return RunGeneral(text, policy, ref sink, out consumed);
    }

    /// <summary>
    /// Encodes text in chunks of about <see cref="ChunkBytes"/>, cut after a line break (see <see cref="ChunkEnd"/>):
    /// every known pattern ends a piece there and no Unicode form composes across it, so the chunks encode
    /// independently. Each takes the fast path when the normalizer leaves it unchanged; one that it changes is
    /// cut again into chunks of about <see cref="SmallChunkBytes"/>, so that a character the form changes costs
    /// its few lines the general path, not sixteen kilobytes.
    /// </summary>
    private bool RunInChunks<TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        int position = 0;
        while (position < text.Length)
        {
            int end = ChunkEnd(text, position, ChunkBytes, cutBeforeSpaces: false);
            bool unchanged = LeavesUnchanged(text[position..end]);
            for (int from = position; from < end;)
            {
                int to = unchanged ? end : ChunkEnd(text[..end], from, SmallChunkBytes, _cutsBeforeSpaces);
                ReadOnlySpan<byte> chunk = text[from..to];
                var shifted = new OffsetSink<TSink>(sink, from);
                int used;
                bool done = unchanged || LeavesUnchanged(chunk)
                    ? _fast!.Run(chunk, policy, ref shifted, out used)
                    : TSink.TakesGroups
                        ? RunNormalized(chunk, policy, ref shifted, out used)
                        : RunGeneral(chunk, policy, ref shifted, out used);
                sink = shifted.Inner;
                if (!done)
                {
                    consumed = from + used;
                    return false;
                }

                from = to;
            }

            position = end;
        }

        consumed = text.Length;
        return true;
    }

    /// <summary>
    /// A chunk the normalizer changes, for a sink that takes groups: normalized whole, then encoded by the fast path,
    /// its ids handed to the sink together (a point inside the normalized text need not be one inside the original;
    /// when they do not fit, the general path offers them piece by piece). That is Hugging Face's
    /// order when no added token matched on the raw text occurs in the chunk or in its normal form (then the raw
    /// matcher has nothing to find either way, and the normalized ones are found in the normal form, as the fast
    /// path does); otherwise the general path.
    /// </summary>
    private bool RunNormalized<TSink>(ReadOnlySpan<byte> chunk, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        if (_fast!.FindsRawToken(chunk, policy))
        {
            return RunGeneral(chunk, policy, ref sink, out consumed);
        }

        byte[] bytes = _normalizer.NormalizeToUtf8(chunk, out int length);
        var collected = new PooledIdCollector(chunk.Length + 16);
        try
        {
            ReadOnlySpan<byte> form = bytes.AsSpan(0, length);
            if (_fast.FindsRawToken(form, policy))
            {
                return RunGeneral(chunk, policy, ref sink, out consumed);
            }

            _fast.Run(form, policy, ref collected, out _);
            if (sink.Accept(collected.Ids, 0, chunk.Length))
            {
                consumed = chunk.Length;
                return true;
            }

            // The sink has no room for the whole chunk: piece by piece, so that it takes what fits.
            return RunGeneral(chunk, policy, ref sink, out consumed);
        }
        finally
        {
            collected.Dispose();
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private bool LeavesUnchanged(ReadOnlySpan<byte> chunk) => System.Text.Ascii.IsValid(chunk) || _normalizer.LeavesUnchanged(chunk);

    /// <summary>
    /// The end of the chunk that starts at <paramref name="start"/>: a safe cut at or after <paramref name="minimum"/>
    /// bytes, or the end. Safe: a lone line break between non-space characters before an ASCII letter or digit
    /// (a longer whitespace run could be split differently at the end of a chunk, where a look-ahead such as GPT-2's
    /// \s+(?!\S) sees the end of the text); with patterns that make line breaks a piece of their own
    /// (\s*[\r\n]+ before \s+(?!\S): cl100k, o200k, Qwen), also the last line break before an indented line; with
    /// <paramref name="cutBeforeSpaces"/>, also a space cut (<see cref="IsSpaceCut"/>).
    /// </summary>
    private int ChunkEnd(ReadOnlySpan<byte> text, int start, int minimum, bool cutBeforeSpaces)
    {
        for (int from = start + minimum; from < text.Length;)
        {
            int found = cutBeforeSpaces ? text[from..].IndexOfAny((byte)'\n', (byte)' ') : text[from..].IndexOf((byte)'\n');
            if (found < 0)
            {
                break;
            }

            int at = from + found;
            if (text[at] == (byte)' ')
            {
                if (IsSpaceCut(text, start, at))
                {
                    return at;
                }

                from = at + 1;
                continue;
            }

            int cut = at + 1;
            if (cut < text.Length && cut - 2 > start
                && ((char.IsAsciiLetterOrDigit((char)text[cut]) && !IsAsciiSpace(text[cut - 2]))
                    || (_cutsBeforeIndent && IsIndentedLine(text, cut))))
            {
                return cut;
            }

            from = cut;
        }

        return text.Length;
    }

    /// <summary>
    /// Whether the chunk that starts at <paramref name="start"/> may end before the space at <paramref name="at"/>:
    /// the space lies between two visible ASCII characters. Every known pattern ends a piece at a visible character
    /// before a space without looking further (only whitespace pieces look ahead), and starts the next piece at the
    /// space from what follows it; no Unicode form composes across ASCII; and no added token holds such a pair.
    /// </summary>
    private static bool IsSpaceCut(ReadOnlySpan<byte> text, int start, int at) =>
        at - 1 > start && at + 1 < text.Length && ScanPrimitives.IsVisibleAscii(text[at - 1]) && ScanPrimitives.IsVisibleAscii(text[at + 1]);

    /// <summary>
    /// Whether a line of spaces and tabs then a visible ASCII character starts at <paramref name="start"/>. Only then
    /// does \s*[\r\n]+ end at the line break before it: \s* also takes line breaks, so indentation followed by
    /// another line break (or by a non-ASCII space) would join the run.
    /// </summary>
    private static bool IsIndentedLine(ReadOnlySpan<byte> text, int start)
    {
        int end = start;
        while (end < text.Length && text[end] is (byte)' ' or (byte)'\t')
        {
            end++;
        }

        return end > start && end < text.Length && ScanPrimitives.IsVisibleAscii(text[end]);
    }

    private static bool IsAsciiSpace(byte value) => value is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f';

    private bool RunGeneral<TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        bool allowSpecial = policy == SpecialTokenPolicy.Allow;
        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(16, text.Length));
        var work = new Workspace();
        try
        {
            int length = Encoding.UTF8.GetChars(text, chars);
            var stream = new UnitStream(chars.AsSpan(0, length), work.Ids);
            ReadOnlySpan<char> all = chars.AsSpan(0, length);
            int position = 0;
            while (true)
            {
                bool found = _rawTokens.FindNext(all, position, allowSpecial, out int start, out int end, out int id);
                int segmentEnd = found ? start : all.Length;
                if (segmentEnd > position && !EncodeStretch(all[position..segmentEnd], position, allowSpecial, work, ref stream, ref sink))
                {
                    consumed = stream.StoppedAtByte;
                    return false;
                }

                if (!found)
                {
                    consumed = text.Length;
                    return true;
                }

                if (!stream.Boundary(ref sink, start) || (stream.Add(id) && !stream.Boundary(ref sink, end)))
                {
                    consumed = stream.StoppedAtByte;
                    return false;
                }

                position = end;
            }
        }
        finally
        {
            work.Dispose();
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Encodes the stretch that starts at char <paramref name="offset"/>; false when the sink stopped.</summary>
    private bool EncodeStretch<TSink>(ReadOnlySpan<char> stretch, int offset, bool allowSpecial, Workspace work, ref UnitStream stream, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        if (!stream.Boundary(ref sink, offset))
        {
            return false;
        }

        // Positions in the normalized text are known in the input when nothing was normalized, or at the starts of
        // chunks normalized separately; a normalizer that cannot be chunked makes the stretch one unit.
        NormalizedOffsets offsets = work.Offsets;
        string? normalized = null;
        if (_normalizer.IsEmpty)
        {
            offsets.ResetIdentity();
        }
        else
        {
            offsets.ResetChunks();
            normalized = _normalizer.IsChunkable ? _normalizer.NormalizeInChunks(stretch, 0, offsets) : _normalizer.Normalize(stretch.ToString());
        }

        ReadOnlySpan<char> text = normalized is null ? stretch : normalized.AsSpan();
        int position = 0;
        while (position < text.Length)
        {
            int start = -1, end = -1, id = -1;
            bool found = !_normalizedTokens.IsEmpty && _normalizedTokens.FindNext(text, position, allowSpecial, out start, out end, out id);
            int gapEnd = found ? start : text.Length;
            if (gapEnd > position && !EncodeWords(text[position..gapEnd], position, offset, offset == 0 && position == 0, work, ref stream, ref sink))
            {
                return false;
            }

            if (!found)
            {
                break;
            }

            if (!Boundary(offsets, offset, start, ref stream, ref sink) || (stream.Add(id) && !Boundary(offsets, offset, end, ref stream, ref sink)))
            {
                return false;
            }

            position = end;
        }

        return stream.Boundary(ref sink, offset + stretch.Length);
    }

    /// <summary>Marks a unit boundary at normalized position <paramref name="normalized"/> when its place in the input is known.</summary>
    private static bool Boundary<TSink>(NormalizedOffsets offsets, int offset, int normalized, ref UnitStream stream, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        int original = offsets.Original(normalized);
        return original < 0 || stream.Boundary(ref sink, offset + original);
    }

    /// <summary>Pre-tokenizes and merges the text at normalized position <paramref name="position"/> of the stretch at <paramref name="offset"/>.</summary>
    private bool EncodeWords<TSink>(ReadOnlySpan<char> text, int position, int offset, bool atTextStart, Workspace work, ref UnitStream stream, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        PieceList pieces = _preTokenizers.Run(text, atTextStart, work.Pieces, work.Scratch);
        Span<byte> stackBuffer = stackalloc byte[512];
        for (int i = 0; i < pieces.Count; i++)
        {
            int origin = pieces.Origin(i);
            if (origin >= 0 && !Boundary(work.Offsets, offset, position + origin, ref stream, ref sink))
            {
                return false;
            }

            ReadOnlySpan<char> piece = pieces[i];
            int maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
            byte[]? rented = null;
            Span<byte> utf8 = maxBytes <= stackBuffer.Length ? stackBuffer : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
            int byteCount = Encoding.UTF8.GetBytes(piece, utf8);
            Span<int> output = stream.Reserve(byteCount);
            stream.Commit(_model.Encode(utf8[..byteCount], output));
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return true;
    }

    /// <summary>Pooled buffers for one encode call.</summary>
    private sealed class Workspace : IDisposable
    {
        public PieceList Pieces { get; } = new();

        public PieceList Scratch { get; } = new();

        public IdBuffer Ids { get; } = new();

        public NormalizedOffsets Offsets { get; } = new();

        public void Dispose()
        {
            Pieces.Dispose();
            Scratch.Dispose();
            Ids.Dispose();
        }
    }
}

/// <summary>Passes pieces on with their positions moved by an offset (a chunk's positions become the whole text's).</summary>
internal ref struct OffsetSink<TSink>(TSink inner, int offset) : ITokenSink
    where TSink : ITokenSink, allows ref struct
{
    /// <inheritdoc/>
    public static bool TakesGroups => TSink.TakesGroups;

    /// <summary>The wrapped sink, with what it received (copied back by the caller).</summary>
    public TSink Inner = inner;

    public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd) => Inner.Accept(ids, pieceStart + offset, pieceEnd + offset);
}
