using System;
using System.Buffers;
using System.Text;
using System.Text.Unicode;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.HuggingFace;
using TokenizerCompiler.Internal;
using TokenizerCompiler.PreTokenization;
using TokenizerCompiler.Text;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    private const int StackScratch = 256;

    /// <summary>
    /// Encodes UTF-16 text into <paramref name="destination"/>. When the destination is too small, encoding
    /// stops at a piece boundary: <paramref name="charsConsumed"/> and <paramref name="idsWritten"/> say exactly
    /// how far it got, and encoding the rest of the text from there gives the remaining ids.
    /// </summary>
    /// <returns><see cref="OperationStatus.Done"/>, or <see cref="OperationStatus.DestinationTooSmall"/>.</returns>
    /// <exception cref="DisallowedSpecialTokenException">The text holds special-token text and <paramref name="policy"/> is <see cref="SpecialTokenPolicy.Disallow"/>.</exception>
    public OperationStatus EncodeToIds(ReadOnlySpan<char> text, Span<int> destination, out int charsConsumed, out int idsWritten,
        SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        using var utf8 = Utf8Text.FromUtf16(text);
        bool done = EncodeInto(utf8, destination, policy, out int bytesConsumed, out idsWritten);
        charsConsumed = done ? text.Length : utf8.CharsForBytes(bytesConsumed);
        return done ? OperationStatus.Done : OperationStatus.DestinationTooSmall;
    }

    /// <summary>
    /// Encodes UTF-8 text into <paramref name="destination"/>; see the UTF-16 overload for the progress contract.
    /// Invalid UTF-8 sequences are encoded as U+FFFD.
    /// </summary>
    /// <exception cref="DisallowedSpecialTokenException">The text holds special-token text and <paramref name="policy"/> is <see cref="SpecialTokenPolicy.Disallow"/>.</exception>
    public OperationStatus EncodeToIds(ReadOnlySpan<byte> utf8Text, Span<int> destination, out int bytesConsumed, out int idsWritten,
        SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        using var utf8 = Utf8Text.FromUtf8(utf8Text);
        bool done = EncodeInto(utf8, destination, policy, out int consumed, out idsWritten);
        bytesConsumed = done ? utf8Text.Length : utf8.SourceBytesFor(consumed);
        return done ? OperationStatus.Done : OperationStatus.DestinationTooSmall;
    }

    /// <summary>
    /// The span overloads' shared step: checks the policy, then encodes <paramref name="utf8"/> into
    /// <paramref name="destination"/>; false when it stopped for room, with <paramref name="consumed"/> the UTF-8
    /// offset of the first piece not taken (each overload maps it back to its own units).
    /// </summary>
    private bool EncodeInto(scoped in Utf8Text utf8, Span<int> destination, SpecialTokenPolicy policy, out int consumed, out int idsWritten)
    {
        ThrowIfDisallowed(utf8, policy);
        var sink = new SpanSink(destination);
        bool done = Run(utf8.Bytes, policy, ref sink, out consumed);
        idsWritten = sink.Written;
        return done;
    }

    /// <summary>Encodes <paramref name="text"/> into <paramref name="destination"/> and returns the number of ids written.</summary>
    /// <exception cref="ArgumentException">The destination is too small (for tiktoken vocabularies one id per UTF-8 byte of the text
    /// always suffices; a Hugging Face normalizer can make more).</exception>
    /// <exception cref="DisallowedSpecialTokenException">The text holds special-token text and <paramref name="policy"/> is <see cref="SpecialTokenPolicy.Disallow"/>.</exception>
    public int EncodeToIds(ReadOnlySpan<char> text, Span<int> destination, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        if (EncodeToIds(text, destination, out _, out int written, policy) != OperationStatus.Done)
        {
            throw new ArgumentException("The destination is too small for the ids of the text.", nameof(destination));
        }

        return written;
    }

    /// <summary>Encodes UTF-8 text into <paramref name="destination"/> and returns the number of ids written.</summary>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public int EncodeToIds(ReadOnlySpan<byte> utf8Text, Span<int> destination, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        if (EncodeToIds(utf8Text, destination, out _, out int written, policy) != OperationStatus.Done)
        {
            throw new ArgumentException("The destination is too small for the ids of the text.", nameof(destination));
        }

        return written;
    }

    /// <summary>Encodes <paramref name="text"/> and returns its ids in a new array.</summary>
    public int[] EncodeToIds(string text, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var utf8 = Utf8Text.FromUtf16(text);
        ThrowIfDisallowed(utf8, policy);
        return EncodeToArray(utf8.Bytes, policy);
    }

    /// <summary>Encodes UTF-8 text and returns its ids in a new array.</summary>
    public int[] EncodeToIds(ReadOnlySpan<byte> utf8Text, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        using var utf8 = Utf8Text.FromUtf8(utf8Text);
        ThrowIfDisallowed(utf8, policy);
        return EncodeToArray(utf8.Bytes, policy);
    }

    /// <summary>Encodes UTF-8 text and appends its ids to <paramref name="writer"/>; returns the number of ids written.</summary>
    public int EncodeToIds(ReadOnlySpan<byte> utf8Text, IBufferWriter<int> writer, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var utf8 = Utf8Text.FromUtf8(utf8Text);
        ThrowIfDisallowed(utf8, policy);
        if (_pipeline is not null)
        {
            using var ids = new IdBuffer();
            var growing = new IdBufferSink(ids);
            Run(utf8.Bytes, policy, ref growing, out _);
            ids.Span.CopyTo(writer.GetSpan(Math.Max(1, ids.Count)));
            writer.Advance(ids.Count);
            return ids.Count;
        }

        Span<int> destination = writer.GetSpan(Math.Max(1, utf8.Bytes.Length));
        var sink = new SpanSink(destination);
        Run(utf8.Bytes, policy, ref sink, out _);
        writer.Advance(sink.Written);
        return sink.Written;
    }

    private int[] EncodeToArray(ReadOnlySpan<byte> utf8, SpecialTokenPolicy policy)
    {
        if (_pipeline is not null)
        {
            // A normalizer can make more ids than the text has bytes: collect them in a growing buffer.
            using var ids = new IdBuffer();
            var growing = new IdBufferSink(ids);
            Run(utf8, policy, ref growing, out _);
            return ids.Span.ToArray();
        }

        int[] buffer = ArrayPool<int>.Shared.Rent(Math.Max(1, utf8.Length));
        try
        {
            var sink = new SpanSink(buffer);
            Run(utf8, policy, ref sink, out _);
            return buffer.AsSpan(0, sink.Written).ToArray();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Under <see cref="SpecialTokenPolicy.Disallow"/>, throws for special-token text in the input, with its offset in
    /// the caller's UTF-8 bytes (the UTF-8 form of UTF-16 input). Every public entry point calls this once, before
    /// <see cref="Run"/>, because only here is the way back from a repaired copy to the caller's bytes known.
    /// </summary>
    private void ThrowIfDisallowed(scoped in Utf8Text utf8, SpecialTokenPolicy policy)
    {
        if (policy == SpecialTokenPolicy.Disallow)
        {
            int found = _specials.FindNext(utf8.Bytes, 0, out int specialId, out _);
            if (found >= 0)
            {
                throw new DisallowedSpecialTokenException(Encoding.UTF8.GetString(_tables.TokenBytes(specialId)), utf8.SourceBytesFor(found));
            }
        }
    }

    /// <summary>
    /// The encode loop: split out special tokens as the policy says, pre-tokenize each stretch between them
    /// and merge each piece. Returns false when the sink stopped; <paramref name="consumed"/> is then the
    /// UTF-8 offset of the first piece not taken. Disallowed special tokens were checked by the caller
    /// (<see cref="ThrowIfDisallowed"/>): here that policy encodes like <see cref="SpecialTokenPolicy.TreatAsText"/>.
    /// </summary>
    internal bool Run<TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        if (_pipeline is not null)
        {
            return _pipeline.Run(text, policy, ref sink, out consumed);
        }

        int position = 0;
        while (true)
        {
            int specialStart = -1, id = -1, length = 0;
            if (policy == SpecialTokenPolicy.Allow)
            {
                specialStart = _specials.FindNext(text, position, out id, out length);
            }

            int segmentEnd = specialStart >= 0 ? specialStart : text.Length;
            if (!EncodeSegment(text.Slice(position, segmentEnd - position), position, ref sink, out consumed))
            {
                return false;
            }

            if (specialStart < 0)
            {
                consumed = text.Length;
                return true;
            }

            if (!sink.Accept(new ReadOnlySpan<int>(in id), specialStart, specialStart + length))
            {
                consumed = specialStart;
                return false;
            }

            position = specialStart + length;
        }
    }

    /// <summary>Encodes one stretch of text between special tokens, dispatching once to the pattern's scanner.</summary>
    internal bool EncodeSegment<TSink>(ReadOnlySpan<byte> segment, int offset, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct
    {
        return _tables.PreTokenizer switch
        {
            PreTokenizerKind.O200k => EncodePieces<O200kScanner, TSink>(segment, offset, ref sink, out consumed),
            PreTokenizerKind.Cl100k => EncodePieces<Cl100kScanner, TSink>(segment, offset, ref sink, out consumed),
            PreTokenizerKind.Qwen => EncodePieces<QwenScanner, TSink>(segment, offset, ref sink, out consumed),
            PreTokenizerKind.Gpt2 => EncodePieces<Gpt2Scanner, TSink>(segment, offset, ref sink, out consumed),
            PreTokenizerKind.None => EncodePieces<WholeTextScanner, TSink>(segment, offset, ref sink, out consumed),
            _ => _regex!.EncodePieces(this, segment, offset, ref sink, out consumed),
        };
    }

    private bool EncodePieces<TScanner, TSink>(ReadOnlySpan<byte> segment, int offset, ref TSink sink, out int consumed)
        where TScanner : IPieceScanner
        where TSink : ITokenSink, allows ref struct
    {
        PieceCache cache = PieceCache.For(_tables);
        PieceCursor<TScanner> pieces = default;
        int position = 0;
        while (position < segment.Length)
        {
            int end = pieces.NextEnd(segment, position);
            bool accepted = cache.TryKnownToken(segment, position, end, tokenIsResult: true, out int id)
                ? sink.Accept(new ReadOnlySpan<int>(in id), offset + position, offset + end)
                : cache.TryKnownIds(segment[position..end], out ReadOnlySpan<int> known)
                    ? sink.Accept(known, offset + position, offset + end)
                    : EncodePiece(cache, segment[position..end], offset + position, ref sink);
            if (!accepted)
            {
                consumed = offset + position;
                return false;
            }

            position = end;
        }

        consumed = offset + segment.Length;
        return true;
    }

    /// <summary>
    /// <see cref="EncodePiece{TSink}(PieceCache, ReadOnlySpan{byte}, int, Span{int}, ref TSink)"/> with scratch of its
    /// own. The loop that calls it holds no stackalloc: a method with one is compiled fully optimized at once, without
    /// the profile that tiered compilation would give it.
    /// </summary>
    private static bool EncodePiece<TSink>(PieceCache cache, ReadOnlySpan<byte> piece, int pieceStart, ref TSink sink)
        where TSink : ITokenSink, allows ref struct =>
        EncodePiece(cache, piece, pieceStart, stackalloc int[StackScratch], ref sink);

    /// <summary>Merges one piece with this thread's caches and hands its ids to the sink.</summary>
    internal static bool EncodePiece<TSink>(PieceCache cache, ReadOnlySpan<byte> piece, int pieceStart, scoped Span<int> scratch, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        if (piece.Length <= scratch.Length)
        {
            int count = BytePairMerger.Encode(cache, piece, scratch);
            return sink.Accept(scratch[..count], pieceStart, pieceStart + piece.Length);
        }

        int[] rented = ArrayPool<int>.Shared.Rent(piece.Length);
        try
        {
            int count = BytePairMerger.Encode(cache, piece, rented);
            return sink.Accept(rented.AsSpan(0, count), pieceStart, pieceStart + piece.Length);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }
}
