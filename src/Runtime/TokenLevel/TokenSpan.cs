namespace TokenizerCompiler.TokenLevel;

/// <summary>Where a token lies in the text it was encoded from.</summary>
/// <param name="Id">The token id.</param>
/// <param name="ByteStart">Start of the token's bytes in the UTF-8 form of the text (lone surrogates counted as U+FFFD, three bytes).</param>
/// <param name="ByteLength">The token's length in bytes.</param>
/// <param name="CharStart">Index of the UTF-16 char (or surrogate pair) holding the token's first byte.</param>
/// <param name="CharLength">
/// Chars from <paramref name="CharStart"/> to the end of the char holding the token's last byte. A character cut
/// between two byte-level tokens belongs to both, so their char spans overlap by that character.
/// </param>
/// <param name="WordIndex">
/// The 0-based index of the word the token belongs to: the word of its first non-whitespace character, words
/// being maximal runs of non-whitespace characters; -1 for a token of only whitespace.
/// </param>
public readonly record struct TokenSpan(int Id, int ByteStart, int ByteLength, int CharStart, int CharLength, int WordIndex);
