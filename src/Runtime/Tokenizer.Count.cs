using System;
using System.Buffers;
using TokenizerCompiler.Internal;
using TokenizerCompiler.Text;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>Counts the tokens of <paramref name="text"/> without storing them.</summary>
    /// <exception cref="DisallowedSpecialTokenException">The text holds special-token text and <paramref name="policy"/> is <see cref="SpecialTokenPolicy.Disallow"/>.</exception>
    public int CountTokens(ReadOnlySpan<char> text, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        using var utf8 = Utf8Text.FromUtf16(text);
        ThrowIfDisallowed(utf8, policy);
        var sink = new CountSink();
        Run(utf8.Bytes, policy, ref sink, out _);
        return sink.Count;
    }

    /// <summary>Counts the tokens of UTF-8 text without storing them.</summary>
    public int CountTokens(ReadOnlySpan<byte> utf8Text, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        using var utf8 = Utf8Text.FromUtf8(utf8Text);
        ThrowIfDisallowed(utf8, policy);
        var sink = new CountSink();
        Run(utf8.Bytes, policy, ref sink, out _);
        return sink.Count;
    }

    /// <summary>
    /// Finds how much of the start of <paramref name="text"/> fits in <paramref name="maxTokenCount"/> tokens:
    /// the largest index such that <c>text[..index]</c> encodes to exactly the first <paramref name="tokenCount"/>
    /// ids of the whole text's encoding, with <paramref name="tokenCount"/> ≤ <paramref name="maxTokenCount"/>.
    /// The cut may fall inside a pre-token when re-encoding the shorter text gives the same ids.
    /// </summary>
    /// <returns>The char index to truncate at (the text's length when all of it fits).</returns>
    public int GetIndexByTokenCount(ReadOnlySpan<char> text, int maxTokenCount, out int tokenCount,
        SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokenCount);
        using var utf8 = Utf8Text.FromUtf16(text);
        ThrowIfDisallowed(utf8, policy);
        int bytes = PrefixBudget(utf8.Bytes, maxTokenCount, policy, out tokenCount);
        return bytes == utf8.Bytes.Length ? text.Length : utf8.CharsForBytes(bytes);
    }

    /// <summary>The UTF-8 form of <see cref="GetIndexByTokenCount(ReadOnlySpan{char}, int, out int, SpecialTokenPolicy)"/>; returns a byte index.</summary>
    public int GetIndexByTokenCount(ReadOnlySpan<byte> utf8Text, int maxTokenCount, out int tokenCount,
        SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokenCount);
        using var utf8 = Utf8Text.FromUtf8(utf8Text);
        ThrowIfDisallowed(utf8, policy);
        int bytes = PrefixBudget(utf8.Bytes, maxTokenCount, policy, out tokenCount);
        return bytes == utf8.Bytes.Length ? utf8Text.Length : utf8.SourceBytesFor(bytes);
    }

    /// <summary>
    /// Finds how much of the end of <paramref name="text"/> fits in <paramref name="maxTokenCount"/> tokens:
    /// the smallest index such that <c>text[index..]</c> encodes to exactly the last <paramref name="tokenCount"/>
    /// ids of the whole text's encoding, with <paramref name="tokenCount"/> ≤ <paramref name="maxTokenCount"/>.
    /// </summary>
    /// <returns>The char index to keep from (0 when all of the text fits).</returns>
    public int GetIndexByTokenCountFromEnd(ReadOnlySpan<char> text, int maxTokenCount, out int tokenCount,
        SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokenCount);
        using var utf8 = Utf8Text.FromUtf16(text);
        ThrowIfDisallowed(utf8, policy);
        int bytes = SuffixBudget(utf8.Bytes, maxTokenCount, policy, out tokenCount);
        return bytes == 0 ? 0 : utf8.CharsForBytes(bytes);
    }

    /// <summary>The UTF-8 form of <see cref="GetIndexByTokenCountFromEnd(ReadOnlySpan{char}, int, out int, SpecialTokenPolicy)"/>; returns a byte index.</summary>
    public int GetIndexByTokenCountFromEnd(ReadOnlySpan<byte> utf8Text, int maxTokenCount, out int tokenCount,
        SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokenCount);
        using var utf8 = Utf8Text.FromUtf8(utf8Text);
        ThrowIfDisallowed(utf8, policy);
        int bytes = SuffixBudget(utf8.Bytes, maxTokenCount, policy, out tokenCount);
        return bytes == 0 ? 0 : utf8.SourceBytesFor(bytes);
    }

    private int PrefixBudget(ReadOnlySpan<byte> text, int max, SpecialTokenPolicy policy, out int tokenCount)
    {
        if (_pipeline is not null)
        {
            return PipelineBudget(text, max, policy, fromEnd: false, out tokenCount);
        }

        var sink = new BudgetSink(max);
        if (Run(text, policy, ref sink, out int consumed))
        {
            tokenCount = sink.Count;
            return text.Length;
        }

        // Cutting the text can change how the last pieces before the cut split: tiktoken's `\s+(?!\S)` leaves
        // the last blank of a run to the next piece when a non-blank follows, but takes the whole run when the
        // text ends there ("a   b" is "a", "  ", " b"; "a   " is "a", "   "). So every candidate cut is checked by
        // re-encoding from the start of the last few whole pieces (or from just after a special token, which
        // nothing re-splits); the pieces before those cannot change.
        int from = sink.RecentStart(consumed);
        if (policy == SpecialTokenPolicy.Allow)
        {
            for (int s = _specials.FindNext(text, from, out _, out int length); s >= 0 && s < consumed; s = _specials.FindNext(text, from, out _, out length))
            {
                from = s + length;
            }
        }

        int pieceEnd = sink.OverflowPieceEnd;
        int[] ids = ArrayPool<int>.Shared.Rent(Math.Max(1, pieceEnd - from));
        try
        {
            // The ids the recent pieces have in the whole text, then those of the piece at `consumed`, which does
            // not fit whole: first try to keep some of its tokens.
            int limit = policy == SpecialTokenPolicy.Allow ? SegmentEnd(text, from) : text.Length;
            int recentCount = from < consumed ? EncodeRange(text, from, consumed, limit, ids) : 0;
            if (recentCount < 0)
            {
                // A split pattern that leaves text uncovered before `consumed`: check from `consumed` only.
                from = consumed;
                recentCount = 0;
            }

            int pieceCount = sink.OverflowCount > 1 ? BytePairMerger.Encode(_tables, text[consumed..pieceEnd], ids.AsSpan(recentCount)) : 0;
            for (int keep = Math.Min(max - sink.Count, pieceCount - 1); keep > 0; keep--)
            {
                int cut = consumed + BytesOf(ids.AsSpan(recentCount, keep));
                if (IsCodePointStart(text, cut) && MatchesRange(text, from, cut, cut, ids.AsSpan(0, recentCount + keep)))
                {
                    tokenCount = sink.Count + keep;
                    return cut;
                }
            }

            // Then whole pieces: cut before the piece at `consumed`, else before each recent piece, newest first.
            int boundary = consumed;
            int keptCount = sink.Count;
            int keptIds = recentCount;
            for (int recent = 0; boundary > from && !MatchesRange(text, from, boundary, boundary, ids.AsSpan(0, keptIds)); recent++)
            {
                boundary = sink.Recent(recent, out int count);
                keptCount -= count;
                keptIds -= count;
            }

            tokenCount = keptCount;
            return boundary;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ids);
        }
    }

    private int SuffixBudget(ReadOnlySpan<byte> text, int max, SpecialTokenPolicy policy, out int tokenCount)
    {
        if (_pipeline is not null)
        {
            return PipelineBudget(text, max, policy, fromEnd: true, out tokenCount);
        }

        int[] starts = ArrayPool<int>.Shared.Rent(text.Length + 1);
        int[] counts = ArrayPool<int>.Shared.Rent(text.Length + 1);
        try
        {
            var sink = new PieceRecordingSink(starts, counts);
            Run(text, policy, ref sink, out _);
            int total = sink.Total;
            if (total <= max)
            {
                tokenCount = total;
                return 0;
            }

            int drop = total - max;
            int before = 0;
            for (int k = 0; k < sink.Pieces; k++)
            {
                int pieceStart = starts[k];
                int pieceEnd = k + 1 < sink.Pieces ? starts[k + 1] : text.Length;
                if (before == drop)
                {
                    tokenCount = total - before;
                    return pieceStart;
                }

                if (before + counts[k] > drop)
                {
                    int cut = PartialSuffix(text, pieceStart, pieceEnd, drop - before, policy, out int skipped);
                    if (cut >= 0)
                    {
                        // The cut may have to skip more of the piece's tokens than asked (when the first candidate
                        // falls inside a character or does not re-encode the same), so count what is really kept.
                        tokenCount = total - before - skipped;
                        return cut;
                    }

                    tokenCount = total - before - counts[k];
                    return pieceEnd;
                }

                before += counts[k];
            }

            tokenCount = 0;
            return text.Length;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>
    /// Tries to start the kept suffix inside the piece [start, end), dropping at least <paramref name="drop"/> of its
    /// tokens; <paramref name="skipped"/> is how many it dropped.
    /// </summary>
    private int PartialSuffix(ReadOnlySpan<byte> text, int start, int end, int drop, SpecialTokenPolicy policy, out int skipped)
    {
        skipped = 0;
        int segmentEnd = policy == SpecialTokenPolicy.Allow ? SegmentEnd(text, start) : text.Length;
        int[] pieceIds = ArrayPool<int>.Shared.Rent(end - start);
        try
        {
            int count = BytePairMerger.Encode(_tables, text[start..end], pieceIds);
            for (int skip = drop; skip < count; skip++)
            {
                int cut = start + BytesOf(pieceIds.AsSpan(0, skip));
                if (IsCodePointStart(text, cut) && MatchesRange(text, cut, end, segmentEnd, pieceIds.AsSpan(skip, count - skip)))
                {
                    skipped = skip;
                    return cut;
                }
            }

            return -1;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(pieceIds);
        }
    }

    private int SegmentEnd(ReadOnlySpan<byte> text, int from)
    {
        int next = _specials.FindNext(text, from, out _, out _);
        return next >= 0 ? next : text.Length;
    }

    /// <summary>
    /// Encodes the pieces that the scanner finds from <paramref name="from"/> in text[..<paramref name="limit"/>]
    /// until <paramref name="to"/>; returns -1 when a piece boundary does not land exactly on <paramref name="to"/>.
    /// </summary>
    private int EncodeRange(ReadOnlySpan<byte> text, int from, int to, int limit, int[] output)
    {
        var sink = new RangeSink(output, to);
        EncodeSegment(text[from..limit], from, ref sink, out _);
        return sink.ReachedEnd ? sink.Written : -1;
    }

    private bool MatchesRange(ReadOnlySpan<byte> text, int from, int to, int limit, ReadOnlySpan<int> expected)
    {
        int[] buffer = ArrayPool<int>.Shared.Rent(Math.Max(1, to - from));
        try
        {
            int count = EncodeRange(text, from, to, limit, buffer);
            return count == expected.Length && buffer.AsSpan(0, count).SequenceEqual(expected);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }

    private int BytesOf(ReadOnlySpan<int> ids)
    {
        int total = 0;
        foreach (int id in ids)
        {
            total += _tables.TokenLength(id);
        }

        return total;
    }

    private static bool IsCodePointStart(ReadOnlySpan<byte> text, int index) =>
        index >= text.Length || (text[index] & 0xC0) != 0x80;

    /// <summary>Counts tokens until the next piece would exceed the budget; remembers the last few pieces taken.</summary>
    private struct BudgetSink(int max) : ITokenSink
    {
        private const int RecentPieces = 3;

        public int Count;
        public int OverflowPieceEnd;
        public int OverflowCount;
        private int _taken;
        private int _start0, _start1, _start2; // starts of the last three pieces taken, newest first
        private int _count0, _count1, _count2;

        /// <summary>The start of the oldest remembered piece (<paramref name="consumed"/> when none was taken).</summary>
        public readonly int RecentStart(int consumed) => _taken switch { 0 => consumed, 1 => _start0, 2 => _start1, _ => _start2 };

        /// <summary>The start and token count of the remembered piece <paramref name="index"/> (0 is the newest).</summary>
        public readonly int Recent(int index, out int count)
        {
            (int start, count) = index switch { 0 => (_start0, _count0), 1 => (_start1, _count1), _ => (_start2, _count2) };
            return start;
        }

        public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd)
        {
            if (Count + ids.Length > max)
            {
                OverflowPieceEnd = pieceEnd;
                OverflowCount = ids.Length;
                return false;
            }

            Count += ids.Length;
            (_start2, _count2, _start1, _count1) = (_start1, _count1, _start0, _count0);
            (_start0, _count0) = (pieceStart, ids.Length);
            _taken = Math.Min(_taken + 1, RecentPieces);
            return true;
        }
    }

    /// <summary>Records where each piece starts and how many tokens it has.</summary>
    private struct PieceRecordingSink(int[] starts, int[] counts) : ITokenSink
    {
        public int Pieces;
        public int Total;

        public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd)
        {
            starts[Pieces] = pieceStart;
            counts[Pieces++] = ids.Length;
            Total += ids.Length;
            return true;
        }
    }

    /// <summary>Collects ids of the pieces that end at or before a bound; notes whether a piece ended exactly on it.</summary>
    private struct RangeSink(int[] output, int to) : ITokenSink
    {
        public int Written;
        public bool ReachedEnd;

        public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd)
        {
            if (pieceEnd > to)
            {
                return false;
            }

            ids.CopyTo(output.AsSpan(Written));
            Written += ids.Length;
            ReachedEnd = pieceEnd == to;
            return !ReachedEnd;
        }
    }
}
