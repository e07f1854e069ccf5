using System;

namespace TokenizerCompiler.TokenLevel;

/// <summary>
/// The ordinary tokens of a vocabulary sorted by their bytes, for the byte-level queries of constrained
/// generation and exact byte-level probabilities (Phan et al. 2024): the tokens that start with a byte string
/// (one contiguous run of the sorted order, found by two binary searches) and the tokens that are a prefix of a
/// byte string (one hash lookup per length). Built once per tokenizer (see <see cref="Tokenizer.TokenByteIndex"/>);
/// queries allocate nothing. Special tokens are not included.
/// </summary>
public sealed class TokenByteIndex
{
    private readonly Tokenizer _tokenizer;
    private readonly int[] _sorted;

    internal TokenByteIndex(Tokenizer tokenizer)
    {
        _tokenizer = tokenizer;
        var entries = new SortEntry[tokenizer.VocabularySize];
        int count = 0;
        ReadOnlySpan<int> specials = tokenizer.SpecialTokenIds;
        for (int id = 0; id < entries.Length; id++)
        {
            if (tokenizer.IsValidId(id) && !specials.Contains(id))
            {
                entries[count++] = new SortEntry(LeadingBytes(tokenizer.GetTokenBytes(id)), id);
            }
        }

        // Sorting on the first eight bytes as one big-endian integer orders almost every pair with one compare;
        // only ties (tokens sharing eight leading bytes, or a shorter one padded with zeros) compare the bytes.
        Span<SortEntry> sorted = entries.AsSpan(0, count);
        sorted.Sort(new ByteOrder(tokenizer));
        _sorted = new int[count];
        for (int i = 0; i < count; i++)
        {
            _sorted[i] = sorted[i].Id;
        }
    }

    /// <summary>The number of ordinary tokens.</summary>
    public int Count => _sorted.Length;

    /// <summary>The tokens whose bytes start with <paramref name="prefix"/> (all of them for an empty prefix), in byte order.</summary>
    public TokenIdRange TokensStartingWith(ReadOnlySpan<byte> prefix)
    {
        // First token whose bytes are >= prefix, then the first whose leading bytes are > prefix.
        int start = LowerBound(prefix, prefixOnly: false);
        int end = LowerBound(prefix, prefixOnly: true);
        return new TokenIdRange(_sorted, start, end - start);
    }

    /// <summary>Writes the ids of the tokens whose bytes are a prefix of <paramref name="bytes"/> (shortest first) and returns how many there are.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small; <see cref="Tokenizer.MaxTokenLength"/> entries always suffice.</exception>
    public int GetTokensThatArePrefixesOf(ReadOnlySpan<byte> bytes, Span<int> destination)
    {
        int written = 0;
        foreach (int id in TokensThatArePrefixesOf(bytes))
        {
            if (written == destination.Length)
            {
                throw new ArgumentException($"the destination holds {destination.Length} ids; more tokens are prefixes of the bytes", nameof(destination));
            }

            destination[written++] = id;
        }

        return written;
    }

    /// <summary>Enumerates the ids of the tokens whose bytes are a prefix of <paramref name="bytes"/>, shortest first, without allocating.</summary>
    public PrefixTokenEnumerator TokensThatArePrefixesOf(ReadOnlySpan<byte> bytes) => new(_tokenizer, bytes);

    /// <summary>The first eight bytes, zero-padded, as a big-endian integer: integer order is byte order up to ties.</summary>
    private static ulong LeadingBytes(ReadOnlySpan<byte> bytes)
    {
        Span<byte> padded = stackalloc byte[8];
        padded.Clear();
        bytes[..Math.Min(8, bytes.Length)].CopyTo(padded);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(padded);
    }

    private readonly record struct SortEntry(ulong Leading, int Id);

    /// <summary>Orders entries by their token bytes (a struct, so the sort is specialised and calls no delegate).</summary>
    private readonly struct ByteOrder(Tokenizer tokenizer) : System.Collections.Generic.IComparer<SortEntry>
    {
        public int Compare(SortEntry x, SortEntry y) => x.Leading != y.Leading
            ? x.Leading.CompareTo(y.Leading)
            : tokenizer.GetTokenBytes(x.Id).SequenceCompareTo(tokenizer.GetTokenBytes(y.Id));
    }

    /// <summary>
    /// With <paramref name="prefixOnly"/> false: the first index whose token is not less than <paramref name="key"/>.
    /// With it true: the first index whose token, cut to the key's length, is greater than the key (the end of
    /// the run of tokens starting with the key).
    /// </summary>
    private int LowerBound(ReadOnlySpan<byte> key, bool prefixOnly)
    {
        int low = 0, high = _sorted.Length;
        while (low < high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            ReadOnlySpan<byte> token = _tokenizer.GetTokenBytes(_sorted[middle]);
            if (prefixOnly && token.Length > key.Length)
            {
                token = token[..key.Length];
            }

            int comparison = token.SequenceCompareTo(key);
            if (prefixOnly ? comparison <= 0 : comparison < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

/// <summary>A run of token ids (the result of a prefix query), readable without allocating.</summary>
public readonly struct TokenIdRange
{
    private readonly int[]? _ids;
    private readonly int _start;

    internal TokenIdRange(int[] ids, int start, int count)
    {
        _ids = ids;
        _start = start;
        Count = count;
    }

    /// <summary>The number of ids.</summary>
    public int Count { get; }

    /// <summary>The ids, in the byte order of their tokens.</summary>
    public ReadOnlySpan<int> Ids => _ids is null ? default : _ids.AsSpan(_start, Count);

    /// <summary>Copies the ids into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Count"/>.</exception>
    public void CopyTo(Span<int> destination) => Ids.CopyTo(destination);

    /// <summary>Whether <paramref name="id"/> is in the range.</summary>
    public bool Contains(int id) => Ids.Contains(id);

    /// <summary>Enumerates the ids.</summary>
    public ReadOnlySpan<int>.Enumerator GetEnumerator() => Ids.GetEnumerator();
}

/// <summary>Enumerates the tokens that are a prefix of a byte string, shortest first: one hash lookup per length.</summary>
public ref struct PrefixTokenEnumerator
{
    private readonly Tokenizer _tokenizer;
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _maxLength;
    private int _length;

    internal PrefixTokenEnumerator(Tokenizer tokenizer, ReadOnlySpan<byte> bytes)
    {
        _tokenizer = tokenizer;
        _bytes = bytes;
        _maxLength = Math.Min(bytes.Length, tokenizer.MaxTokenLength);
        _length = 0;
        Current = -1;
    }

    /// <summary>The current token's id; its length in bytes is <see cref="CurrentLength"/>.</summary>
    public int Current { get; private set; }

    /// <summary>The byte length of <see cref="Current"/>.</summary>
    public readonly int CurrentLength => _length;

    /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
    public readonly PrefixTokenEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next longer prefix that is a token.</summary>
    public bool MoveNext()
    {
        while (_length < _maxLength)
        {
            _length++;
            if (_tokenizer.TryGetTokenId(_bytes[.._length], out int id))
            {
                Current = id;
                return true;
            }
        }

        return false;
    }
}
