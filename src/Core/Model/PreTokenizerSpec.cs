namespace TokenizerCompiler.Core.Model;

/// <summary>The pre-tokenizer of a vocabulary: a recognised kind, and the pattern text for the regex path.</summary>
/// <param name="Kind">The recognised kind.</param>
/// <param name="Pattern">The split pattern (empty for <see cref="PreTokenizerKind.None"/>).</param>
public sealed record PreTokenizerSpec(PreTokenizerKind Kind, string Pattern)
{
    /// <summary>No pre-tokenization.</summary>
    public static PreTokenizerSpec None { get; } = new(PreTokenizerKind.None, string.Empty);
}
