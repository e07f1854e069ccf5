namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>A Hugging Face added token: matched in the text before the model sees it.</summary>
/// <param name="Id">The token's id.</param>
/// <param name="Content">The text matched.</param>
/// <param name="Special">Whether it is a special (control) token; the special-token policy applies only to these.</param>
/// <param name="Normalized">Whether it is matched in the normalized text (otherwise in the raw text, before normalization).</param>
/// <param name="LStrip">Whether the match swallows whitespace on its left.</param>
/// <param name="RStrip">Whether the match swallows whitespace on its right.</param>
/// <param name="SingleWord">Whether it matches only as a whole word.</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool Normalized, bool LStrip, bool RStrip, bool SingleWord);
