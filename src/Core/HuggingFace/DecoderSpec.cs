namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// What decoding does beyond concatenating each token's decoded bytes (which the compiler precomputes from the
/// token-local decoder steps: ByteLevel, Replace, ByteFallback, Metaspace, WordPiece prefixes).
/// </summary>
/// <param name="StripLeadingSpaces">How many leading spaces to remove from the whole output (Strip after Fuse, Metaspace's prepended space).</param>
/// <param name="JoinWithSpace">No decoder: Hugging Face joins the tokens with spaces.</param>
public sealed record DecoderSpec(int StripLeadingSpaces, bool JoinWithSpace);
