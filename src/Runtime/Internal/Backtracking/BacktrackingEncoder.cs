using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace TokenizerCompiler.Internal.Backtracking;

/// <summary>
/// Byte-pair encoding without running the merges: walk the piece left to right, take the longest producible token
/// at each position, and keep it only when it forms a valid pair with the token before it
/// (<see cref="MergeTree.IsValidPair"/>); otherwise try the next shorter one, and when none fits, step back.
/// <para>
/// Why it returns exactly the merge result: that result is the only encoding whose adjacent pairs are all valid,
/// and its first k tokens are the merge result of the bytes they cover. So the tokens before a position the search
/// reaches are the only valid encoding of those bytes; when every token from that position fails, no valid encoding
/// of the piece has a token boundary there, and the position is marked so that no later step ends there again.
/// Each position is given up at most once, which keeps long pieces (a megabyte of one letter) near linear, while
/// the merge loop pays a heap operation per merge.
/// </para>
/// </summary>
internal static class BacktrackingEncoder
{
    /// <summary>Pieces up to this many bytes keep their dead-end marks on the stack.</summary>
    private const int StackMarkBits = 4096;

    /// <summary>
    /// Encodes <paramref name="piece"/> into <paramref name="output"/> (at least one slot per byte) and returns the
    /// token count, or -1 when a character of a character-level vocabulary is no token (unknown characters and byte
    /// fallback are the merge loop's) or the search found no encoding (which the facts above rule out); the caller
    /// then merges.
    /// </summary>
    public static int Encode<TRanks>(MergeTree tree, PieceCache cache, ref TRanks ranks, ReadOnlySpan<byte> piece, Span<int> output)
        where TRanks : struct, IPairRanks
    {
        int words = (piece.Length >> 6) + 1;
        ulong[]? rented = null;
        Span<ulong> dead = words <= StackMarkBits / 64
            ? stackalloc ulong[StackMarkBits / 64]
            : (rented = ArrayPool<ulong>.Shared.Rent(words));
        try
        {
            return EncodeWithMarks(tree, cache, ref ranks, piece, output, dead);
        }
        finally
        {
            if (rented != null)
            {
                ArrayPool<ulong>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// <see cref="Encode"/> with the dead-end marks in <paramref name="marks"/> (at least a bit per unit of
    /// <paramref name="piece"/> and one more, cleared here): <see cref="Encode"/>'s own, or a caller's that searches
    /// many short pieces in a row.
    /// </summary>
    public static int EncodeWithMarks<TRanks>(MergeTree tree, PieceCache cache, ref TRanks ranks, ReadOnlySpan<byte> piece, Span<int> output, Span<ulong> marks)
        where TRanks : struct, IPairRanks
    {
        Span<ulong> dead = marks[..((piece.Length >> 6) + 1)];
        dead.Clear();
        return Search(tree, cache, ref ranks, piece, output, dead);
    }

    private static int Search<TRanks>(MergeTree tree, PieceCache cache, ref TRanks ranks, ReadOnlySpan<byte> piece, Span<int> output, Span<ulong> dead)
        where TRanks : struct, IPairRanks
    {
        int count = 0, position = 0;
        int candidate = tree.Longest(piece, 0, out int length);
        if (candidate < 0)
        {
            return piece.IsEmpty ? 0 : -1; // the first character is no token: the merge loop handles unknown characters
        }

        bool known = false; // whether the candidate is known to follow the last token (from PieceCache.FirstValid)
        // Runs repeat their token without the search (see RepeatInRun): the last repeated tokens end before this count
        // and at this position, and a run that the search stepped back into is not repeated again up to that position.
        int repeatedUpTo = 0, repeatedEnd = 0, repeatFloor = 0;
        while (position < piece.Length)
        {
            if (candidate >= 0)
            {
                int end = position + length;
                // A boundary between two units no token spells together is one that BPE leaves whatever surrounds it,
                // so any token may follow there (see MergeTree.IsSpelledBySomeToken): no pair check. Binary BPE on
                // executables: 2-17 % faster (probes on ten system files).
                if ((dead[end >> 6] & (1UL << end)) == 0
                    && (known || count == 0 || !tree.IsSpelledBySomeToken(piece[position - 1], piece[position])
                        || cache.IsValidPair(tree, ref ranks, output[count - 1], candidate, piece, position)))
                {
                    output[count++] = candidate;
                    position = end;
                    if (count >= 2 && output[count - 2] == candidate && position >= repeatFloor
                        && IsRunAhead(piece, position, tree.RunWindow)
                        && RepeatInRun(tree, piece, output, dead, ref count, ref position))
                    {
                        (repeatedUpTo, repeatedEnd) = (count, position);
                    }

                    candidate = tree.Longest(piece, position, out length);
                    known = false;
                    if (candidate < 0 && position < piece.Length)
                    {
                        return -1; // a character that is no token: the merge loop handles unknown characters
                    }
                }
                else
                {
                    // The longest candidate did not fit: the first of the shorter ones that may follow the last token,
                    // one remembered answer where a pair check per candidate was (see PieceCache.FirstValid).
                    candidate = tree.Shorter(candidate, out length);
                    if (candidate >= 0 && count > 0)
                    {
                        candidate = cache.FirstValid(tree, ref ranks, output[count - 1], candidate, ref length, piece, position);
                    }

                    known = true;
                }

                continue;
            }

            // Nothing fits after the tokens so far: no encoding has a boundary here. Step back one token.
            dead[position >> 6] |= 1UL << position;
            if (count == 0)
            {
                return -1;
            }

            int last = output[--count];
            if (count < repeatedUpTo)
            {
                repeatFloor = repeatedEnd; // a repeated token was wrong: that run goes through the search alone
            }

            position -= tree.Length(last);
            candidate = tree.Shorter(last, out length);
            known = false;
        }

        return count;
    }

    /// <summary>
    /// After a token that the search took twice in a row (the second ending at <paramref name="position"/>, where
    /// <see cref="IsRunAhead"/> saw a run window of one byte value), if the token is a run of that value, takes it
    /// again while the run leaves a whole run window ahead and the token would not end at a marked position; returns
    /// whether it took any.
    /// </summary>
    /// <remarks>
    /// Inside a long run the merge result repeats one token (on a run of zeros Binary BPE's eight-byte one, which the
    /// search reached after trying the fifteen-byte one and stepping back: 74 ns a token with the pair checks and the
    /// answer tables; sparse files and disk or firmware images are mostly such runs, and so is the one-letter input of
    /// the adversarial benchmark). Taking it again is taking a valid pair, as the search does, only without
    /// trying the longer candidates first: the search still finds the one encoding whose pairs are all valid, stepping
    /// back over repeated tokens where the run's end needs other ones, and marks stay right (a position is marked when
    /// nothing fits after the tokens before it, which are the merge result of the bytes they cover whichever way the
    /// search found them). So that a wrong guess cannot make a run cost more than once, a run the search steps back
    /// into is not repeated again (each position is then repeated over at most once, and given up at most once).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool RepeatInRun(MergeTree tree, ReadOnlySpan<byte> piece, Span<int> output, Span<ulong> dead, ref int count, ref int position)
    {
        int token = output[count - 1];
        int tokenLength = tree.Length(token);
        int window = tree.RunWindow;
        byte value = piece[position];
        if (piece.Slice(position - tokenLength, tokenLength).IndexOfAnyExcept(value) >= 0)
        {
            return false; // the token is not a run of the byte that follows it (IsRunAhead saw a window of that byte)
        }

        // The run ahead, looked at in parts so that a run cut short by marks is not scanned again to its end each time.
        ReadOnlySpan<byte> ahead = piece.Slice(position, Math.Min(piece.Length - position, RepeatScanBytes));
        int runLength = ahead.IndexOfAnyExcept(value);
        int runEnd = position + (runLength < 0 ? ahead.Length : runLength);
        int at = position, n = count;
        for (; at + window <= runEnd && (dead[(at + tokenLength) >> 6] & (1UL << (at + tokenLength))) == 0; at += tokenLength)
        {
            output[n++] = token;
        }

        bool repeated = n > count;
        (count, position) = (n, at);
        return repeated;
    }

    /// <summary>
    /// Whether the byte before <paramref name="position"/>, the byte there and the last byte of a run window from there are
    /// the same: a cheap first test, so that two equal tokens in a row elsewhere (common in executables) cost no call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsRunAhead(ReadOnlySpan<byte> piece, int position, int window) =>
        window > 0 && (uint)(position + window - 1) < (uint)piece.Length
        && piece[position] == piece[position - 1] && piece[position + window - 1] == piece[position];

    /// <summary>How far <see cref="RepeatInRun"/> looks ahead at a time.</summary>
    private const int RepeatScanBytes = 1 << 14;
}
