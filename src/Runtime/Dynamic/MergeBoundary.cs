namespace TokenizerCompiler.Dynamic;

/// <summary>Which text units a dynamic (batch-level) merge may not cross.</summary>
public enum MergeBoundary
{
    /// <summary>
    /// A merged token must be one pre-token of the base tokenizer's split pattern (its complete UTF-8
    /// characters, counted with <see cref="Tokenizer.CountPreTokens(System.ReadOnlySpan{byte})"/>, form exactly
    /// one piece) and keep whitespace only at its start. The strictest mode, and the default: new tokens are
    /// ones the base tokenizer could have learned.
    /// </summary>
    PreToken,

    /// <summary>
    /// A merged token must lie inside one word: a run of non-whitespace characters with the whitespace before
    /// it. Whitespace may only lead the token (unless the token is all whitespace), so punctuation can join the
    /// letters of its word (<c> don't</c>, <c> end.</c>) but never the next word.
    /// </summary>
    Word,

    /// <summary>
    /// A merged token may span words but not sentences or lines: it must not hold a line break after other
    /// text, nor text after a sentence end (a run of <c>. ! ? … ؟ । ။ ።</c> followed by whitespace, or one of the
    /// full-width <c>。 ！ ？</c>, which end a sentence by themselves).
    /// </summary>
    Sentence,
}
