using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Internal.Backtracking;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Finds added tokens in UTF-8 text, leftmost and then longest, with a byte trie: the fast path's counterpart of
/// <see cref="AddedTokenMatcher"/> for pipelines whose added tokens have no lstrip/rstrip/single_word rules.
/// </summary>
internal sealed class AddedTokenByteMatcher
{
    private readonly ByteTrie _trie;
    private readonly SearchValues<byte> _firstBytes;

    // With many added tokens (KL3M-001 has 1,629, starting with spaces, line breaks, digits, brackets and letters)
    // nearly every position could start one, and most fail within two bytes. Both tables are indexed by two bytes
    // read as a little-endian ushort (first byte low): which two-byte starts some token has, and where a match can
    // start at all (a two-byte start, or a first byte that is a token by itself); 8 KB each.
    private readonly ulong[] _tokenStarts = new ulong[65536 / 64];
    private readonly ulong[] _candidates = new ulong[65536 / 64];
    private readonly int[] _singleByteIds = new int[256]; // the token that is exactly this byte, or -1
    private readonly bool _manyFirstBytes;

    // Bytes that some token has just before a space (KL3M-001: a tab, for "\t ", and a space, for runs of spaces),
    // and just before a line break (runs of line breaks, "\r\n").
    private readonly ulong[] _beforeSpace = new ulong[4];
    private readonly ulong[] _beforeLineBreak = new ulong[4];

    // Behind a two-byte start, the third byte: most starts are shared with common text (" t" for " title=", "te"
    // for "tel:"), so on KL3M-003's prose one position in seven passes the pair test, and a trie walk there usually
    // fails at the third byte. Per start (numbered by its rank among the set bits of _tokenStarts): which third bytes
    // some token continues it with (32 bytes each); and which starts are whole two-byte tokens.
    private readonly int[] _startRanks = new int[65536 / 64];
    private readonly ulong[] _thirdBytes;
    private readonly ulong[] _twoByteTokens = new ulong[65536 / 64];

    public AddedTokenByteMatcher(IEnumerable<AddedToken> tokens)
    {
        var first = new HashSet<byte>();
        var spellings = new List<(byte[] Text, int Id)>();
        foreach (AddedToken token in tokens)
        {
            byte[] text = Encoding.UTF8.GetBytes(token.Content);
            if (text.Length == 0)
            {
                continue;
            }

            AllAscii &= System.Text.Ascii.IsValid(text);

            if (text.Length > 1)
            {
                Set(_tokenStarts, text[0] | (text[1] << 8));
                Set(_candidates, text[0] | (text[1] << 8));
            }
            else
            {
                for (int next = 0; next < 256; next++)
                {
                    Set(_candidates, text[0] | (next << 8)); // a one-byte token matches whatever follows
                }
            }

            for (int i = 1; i < text.Length; i++)
            {
                if (text[i] == (byte)' ')
                {
                    Set(_beforeSpace, text[i - 1]);
                }
                else if (text[i] == (byte)'\n')
                {
                    Set(_beforeLineBreak, text[i - 1]);
                }
            }

            spellings.Add((text, token.Id));
            first.Add(text[0]);
        }

        // The first token with a spelling wins (the order Hugging Face adds them in); the trie takes them shortest first.
        int tokenLimit = spellings.Count == 0 ? 0 : spellings.Max(s => s.Id) + 1;
        _trie = new ByteTrie(tokenLimit, spellings.Sum(s => s.Text.Length));
        foreach ((byte[] text, int id) in spellings.OrderBy(s => s.Text.Length))
        {
            _trie.Add(text, id);
        }

        _trie.Seal();

        int starts = 0;
        for (int word = 0; word < _startRanks.Length; word++)
        {
            _startRanks[word] = starts;
            starts += BitOperations.PopCount(_tokenStarts[word]);
        }

        _thirdBytes = new ulong[starts * 4];
        foreach ((byte[] text, _) in spellings)
        {
            if (text.Length == 2)
            {
                Set(_twoByteTokens, text[0] | (text[1] << 8));
            }
            else if (text.Length > 2)
            {
                Set(_thirdBytes, (StartRank(text[0] | (text[1] << 8)) * 256) + text[2]);
            }
        }

        Span<byte> one = stackalloc byte[1];
        for (int b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            _singleByteIds[b] = _trie.Longest(one, 0, out int length) is int id && length == 1 ? id : -1;
        }

        var firstBytes = new byte[first.Count];
        first.CopyTo(firstBytes);
        _firstBytes = SearchValues.Create(firstBytes);
        IsEmpty = first.Count == 0;
        _manyFirstBytes = first.Count > 8;
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a token by itself (KL3M-001's space and line break). Then every such byte
    /// that no earlier match runs over starts a match, and no stretch runs over it either (<see cref="SpaceSegments"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsTokenByItself(byte value) => _singleByteIds[value] >= 0;

    /// <summary>
    /// Whether no match can run over a space or line break <paramref name="at"/> that follows <paramref name="before"/>:
    /// no token holds <paramref name="before"/> followed by it. Then the matches before it are those of the text up to
    /// it, and the matches from it on are those of the text from it (leftmost first, then longest).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool NoTokenRunsOver(byte at, byte before) => !IsSet(at == (byte)' ' ? _beforeSpace : _beforeLineBreak, before);

    /// <summary>Whether there is nothing to match.</summary>
    public bool IsEmpty { get; }

    /// <summary>
    /// Whether every token is ASCII: then text read a byte per Latin-1 character holds a token exactly when its UTF-8
    /// does (a character above U+007F is two bytes of U+0080 or more there, never part of an ASCII match).
    /// </summary>
    public bool AllAscii { get; } = true;

    /// <summary>
    /// Whether tokens start with so many different bytes that the search tests the two bytes at every position, rather
    /// than jumping to the next first byte (KL3M-001 and KL3M-003, with 1,629 and 4,463 added tokens).
    /// </summary>
    public bool TestsEveryPosition => _manyFirstBytes;

    /// <summary>The next added token at or after <paramref name="from"/>: its start (or -1), length and id.</summary>
    public int FindNext(ReadOnlySpan<byte> text, int from, out int length, out int id)
    {
        int position = IsEmpty ? text.Length : from;
        while (position < text.Length)
        {
            if (_manyFirstBytes)
            {
                // A vectorized search for the first bytes would stop every few bytes, so test each position's two
                // bytes instead (a 16-byte nibble-shuffle filter was slower here: matches are a few bytes apart).
                position = NextCandidate(text, position);
                if (position < 0)
                {
                    break;
                }
            }
            else
            {
                int skip = text[position..].IndexOfAny(_firstBytes);
                if (skip < 0)
                {
                    break;
                }

                position += skip;
            }

            int best, bestLength;
            int pair = position + 1 < text.Length ? PairAt(ref MemoryMarshal.GetReference(text), position) : -1;
            if (pair >= 0 && IsSet(_tokenStarts, pair)
                && (position + 2 >= text.Length || IsSet(_twoByteTokens, pair) || IsSet(_thirdBytes, (StartRank(pair) * 256) + text[position + 2])))
            {
                best = _trie.Longest(text, position, out bestLength);
            }
            else
            {
                // No token starts with these two bytes (or with these three, and none is these two): the byte alone
                // is the only possible match (the usual case for a space that is a token, followed by a word).
                best = _singleByteIds[text[position]];
                bestLength = 1;
            }

            if (best >= 0)
            {
                length = bestLength;
                id = best;
                return position;
            }

            position++;
        }

        length = 0;
        id = -1;
        return -1;
    }

    /// <summary>The first position at or after <paramref name="from"/> where a token of one byte, or a token's first two bytes, start; or -1.</summary>
    private int NextCandidate(ReadOnlySpan<byte> text, int from)
    {
        ref byte start = ref MemoryMarshal.GetReference(text);
        int last = text.Length - 1;
        for (int position = from; position < last; position++)
        {
            if (IsSet(_candidates, PairAt(ref start, position)))
            {
                return position;
            }
        }

        return last >= from && _singleByteIds[text[last]] >= 0 ? last : -1;
    }

    /// <summary>The number of two-byte starts below <paramref name="pair"/> (a start's index into the third-byte sets).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int StartRank(int pair) =>
        _startRanks[pair >> 6] + BitOperations.PopCount(_tokenStarts[pair >> 6] & ((1UL << pair) - 1));

    /// <summary>The two bytes at <paramref name="index"/> as the tables index them: the first byte low.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PairAt(ref byte start, int index)
    {
        ushort pair = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, index));
        return BitConverter.IsLittleEndian ? pair : BinaryPrimitives.ReverseEndianness(pair);
    }

    /// <summary>Bit <paramref name="index"/> of a bitmap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSet(ulong[] bitmap, int index) =>
        ((Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bitmap), index >> 6) >> index) & 1) != 0;

    private static void Set(ulong[] bitmap, int index) => bitmap[index >> 6] |= 1UL << index;
}
