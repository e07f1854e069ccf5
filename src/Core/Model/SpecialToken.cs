namespace TokenizerCompiler.Core.Model;

/// <summary>A token that is matched in text by its exact content before pre-tokenization (e.g. <c>&lt;|endoftext|&gt;</c>).</summary>
/// <param name="Text">The token's text.</param>
/// <param name="Id">The token's id.</param>
public sealed record SpecialToken(string Text, int Id);
