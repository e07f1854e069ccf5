using System;
using System.Buffers;
using System.Text;

namespace TokenizerCompiler.TokenLevel;

/// <summary>
/// Byte spans, char spans and word indices of tokens in their input. For byte-level BPE vocabularies without a
/// normalizer (every tiktoken vocabulary) a text's tokens concatenate to exactly its UTF-8 bytes, so spans follow
/// from the token lengths; this is checked token by token, and a vocabulary whose tokens do not reproduce the
/// input (a normalizer changed the text, or the ids are not this text's encoding) gets an <see cref="InvalidOperationException"/>.
/// </summary>
public static class TokenOffsets
{
    /// <summary>Encodes <paramref name="text"/> and returns each token with its spans.</summary>
    /// <exception cref="InvalidOperationException">The tokens do not reproduce the text's bytes (see the class remarks).</exception>
    public static TokenSpan[] Encode(Tokenizer tokenizer, string text, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(text);
        int[] ids = tokenizer.EncodeToIds(text, policy);
        var spans = new TokenSpan[ids.Length];
        GetSpans(tokenizer, text, ids, spans);
        return spans;
    }

    /// <summary>
    /// Writes the spans of <paramref name="ids"/>, the encoding of <paramref name="text"/>, into
    /// <paramref name="destination"/> (one per id). Uses a pooled buffer for the text's UTF-8 form.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="ids"/>.</exception>
    /// <exception cref="InvalidOperationException">The tokens' bytes are not the text's UTF-8 bytes.</exception>
    public static void GetSpans(Tokenizer tokenizer, ReadOnlySpan<char> text, ReadOnlySpan<int> ids, Span<TokenSpan> destination)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (destination.Length < ids.Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} spans for {ids.Length} ids", nameof(destination));
        }

        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Math.Max(16, Encoding.UTF8.GetMaxByteCount(text.Length)));
        try
        {
            // Encoding.UTF8 writes a lone surrogate as U+FFFD, as the tokenizer encodes it.
            int byteCount = Encoding.UTF8.GetBytes(text, utf8);
            var cursor = new CharCursor(text);
            int position = 0;
            for (int i = 0; i < ids.Length; i++)
            {
                ReadOnlySpan<byte> token = tokenizer.GetTokenBytes(ids[i]);
                if (token.Length > byteCount - position || !utf8.AsSpan(position, token.Length).SequenceEqual(token))
                {
                    throw new InvalidOperationException(
                        $"token {i} (id {ids[i]}) does not match the text's bytes at offset {position}: the ids are not this text's encoding, " +
                        "or the tokenizer normalizes text, so its tokens do not concatenate to the input");
                }

                int end = position + token.Length;
                cursor.MoveToByte(position);
                int charStart = cursor.CharIndex;
                int word = cursor.IsWhiteSpace ? -1 : cursor.WordIndex;
                while (cursor.ByteEnd < end)
                {
                    cursor.Next();
                    if (word < 0 && !cursor.IsWhiteSpace)
                    {
                        word = cursor.WordIndex;
                    }
                }

                destination[i] = new TokenSpan(ids[i], position, token.Length, charStart, cursor.CharEnd - charStart, word);
                position = end;
            }

            if (position != byteCount)
            {
                throw new InvalidOperationException($"the ids cover {position} of the text's {byteCount} UTF-8 bytes: they are not this text's encoding");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>
    /// Writes the spans of <paramref name="ids"/>, the encoding of the UTF-8 text <paramref name="utf8Text"/>:
    /// byte spans are offsets in <paramref name="utf8Text"/>, char spans are offsets in its UTF-16 form.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="utf8Text"/> is not valid UTF-8 (the tokenizer encodes an invalid sequence as U+FFFD, whose
    /// bytes are not in the input, so no token could point at the original bytes: decode it with replacement and
    /// use the UTF-16 overload), or <paramref name="destination"/> is too small.
    /// </exception>
    /// <exception cref="InvalidOperationException">The tokens' bytes are not the text's bytes.</exception>
    public static void GetSpans(Tokenizer tokenizer, ReadOnlySpan<byte> utf8Text, ReadOnlySpan<int> ids, Span<TokenSpan> destination)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Text))
        {
            throw new ArgumentException("the text is not valid UTF-8; decode it with replacement and pass the UTF-16 text", nameof(utf8Text));
        }

        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(16, utf8Text.Length));
        try
        {
            // Valid UTF-8 round-trips through UTF-16 byte for byte, so the byte offsets are the input's.
            int count = Encoding.UTF8.GetChars(utf8Text, chars);
            GetSpans(tokenizer, chars.AsSpan(0, count), ids, destination);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Walks the text one character (scalar, surrogate pair or lone surrogate) at a time, tracking UTF-8 offsets and words.</summary>
    private ref struct CharCursor
    {
        private readonly ReadOnlySpan<char> _text;
        private bool _previousWasWhiteSpace;

        public CharCursor(ReadOnlySpan<char> text)
        {
            _text = text;
            CharIndex = -1;
            CharEnd = 0;
            ByteEnd = 0;
            WordIndex = -1;
            _previousWasWhiteSpace = true;
        }

        public int CharIndex { get; private set; }

        public int CharEnd { get; private set; }

        public int ByteEnd { get; private set; }

        public int WordIndex { get; private set; }

        public bool IsWhiteSpace { get; private set; }

        /// <summary>Advances until the current character holds byte <paramref name="offset"/>.</summary>
        public void MoveToByte(int offset)
        {
            while (CharIndex < 0 || ByteEnd <= offset)
            {
                Next();
            }
        }

        public void Next()
        {
            CharIndex = CharEnd;
            int byteLength;
            if (Rune.DecodeFromUtf16(_text.Slice(CharIndex), out Rune rune, out int chars) == OperationStatus.Done)
            {
                byteLength = rune.Utf8SequenceLength;
                IsWhiteSpace = Rune.IsWhiteSpace(rune);
            }
            else
            {
                chars = 1;
                byteLength = 3;
                IsWhiteSpace = false;
            }

            if (!IsWhiteSpace && _previousWasWhiteSpace)
            {
                WordIndex++;
            }

            _previousWasWhiteSpace = IsWhiteSpace;
            CharEnd = CharIndex + chars;
            ByteEnd += byteLength;
        }
    }
}
