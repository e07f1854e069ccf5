namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>The options of a Hugging Face BPE model that matter at encode time.</summary>
/// <param name="ByteLevel">Whether the model's symbols are bytes (a ByteLevel pre-tokenizer maps them to characters); otherwise they are characters.</param>
/// <param name="UnknownId">The id of <c>unk_token</c>, or -1: symbols outside the vocabulary are then dropped.</param>
/// <param name="FuseUnknown">Whether consecutive unknown symbols become one unknown token.</param>
/// <param name="ByteFallback">Whether a character outside the vocabulary becomes its UTF-8 bytes as <c>&lt;0xXX&gt;</c> tokens.</param>
/// <param name="IgnoreMerges">Whether a piece that is itself a token is emitted whole without merging.</param>
/// <param name="ContinuingSubwordPrefix">Prefix of every symbol but a word's first (empty when none).</param>
/// <param name="EndOfWordSuffix">Suffix of a word's last symbol (empty when none).</param>
public sealed record BpeOptions(
    bool ByteLevel,
    int UnknownId,
    bool FuseUnknown,
    bool ByteFallback,
    bool IgnoreMerges,
    string ContinuingSubwordPrefix,
    string EndOfWordSuffix);
