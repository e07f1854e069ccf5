namespace TokenizerCompiler;

/// <summary>
/// What encoding does with the text of special tokens (such as <c>&lt;|endoftext|&gt;</c>) found in its input.
/// tiktoken's <c>encode</c> raises on them by default and <c>encode_ordinary</c> treats them as text; the
/// choice is explicit here because user input that contains special-token text is a classic injection bug.
/// </summary>
public enum SpecialTokenPolicy
{
    /// <summary>Special-token text in the input throws <see cref="DisallowedSpecialTokenException"/> (tiktoken's default).</summary>
    Disallow = 0,

    /// <summary>Special-token text becomes the special token's id.</summary>
    Allow = 1,

    /// <summary>Special-token text is encoded like any other text (tiktoken's <c>encode_ordinary</c>).</summary>
    TreatAsText = 2,
}
