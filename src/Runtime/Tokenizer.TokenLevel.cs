using System;
using System.Buffers;
using System.Threading;
using TokenizerCompiler.TokenLevel;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    private TokenByteIndex? _tokenByteIndex;

    /// <summary>
    /// The vocabulary sorted by token bytes, for prefix queries (<see cref="TokenByteIndex.TokensStartingWith"/>,
    /// <see cref="TokenByteIndex.TokensThatArePrefixesOf"/>). Built on first use (a sort of the vocabulary, one
    /// int per token; see the README for the time it takes) and kept for the tokenizer's lifetime.
    /// </summary>
    public TokenByteIndex TokenByteIndex => LazyInitializer.EnsureInitialized(ref _tokenByteIndex, () => new TokenByteIndex(this));

    /// <summary>
    /// Whether <paramref name="ids"/> is this tokenizer's own encoding of the text it decodes to: decoding and
    /// re-encoding under <paramref name="policy"/> gives the same ids. Sequences that decode to invalid UTF-8
    /// (a character cut at either end) are never canonical, since no text encodes to them. Under
    /// <see cref="SpecialTokenPolicy.TreatAsText"/> (the default) a sequence holding a special token is not
    /// canonical; pass <see cref="SpecialTokenPolicy.Allow"/> to accept them. Works on pooled buffers.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not a token of this vocabulary.</exception>
    public bool IsCanonicalEncoding(ReadOnlySpan<int> ids, SpecialTokenPolicy policy = SpecialTokenPolicy.TreatAsText)
    {
        if (policy == SpecialTokenPolicy.Disallow)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "use TreatAsText or Allow: Disallow would throw on special-token text instead of answering");
        }

        int byteCount = GetDecodedByteCount(ids);
        byte[] bytes = ArrayPool<byte>.Shared.Rent(Math.Max(1, byteCount));
        int[] encoded = ArrayPool<int>.Shared.Rent(Math.Max(1, byteCount));
        try
        {
            DecodeToUtf8(ids, bytes, out _, out int written);
            ReadOnlySpan<byte> text = bytes.AsSpan(0, written);
            if (!System.Text.Unicode.Utf8.IsValid(text))
            {
                return false;
            }

            int count = EncodeToIds(text, encoded.AsSpan(0, Math.Max(1, byteCount)), policy);
            return encoded.AsSpan(0, count).SequenceEqual(ids);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(encoded);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
