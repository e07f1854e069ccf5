namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>The segmentation model of a Hugging Face tokenizer. Stored in images: never renumber.</summary>
public enum WordModelKind
{
    /// <summary>BPE by merge rank.</summary>
    Bpe = 0,

    /// <summary>Unigram: the segmentation with the highest total score (Viterbi), SentencePiece's semantics.</summary>
    Unigram = 1,

    /// <summary>WordPiece: greedy longest match first, continuations prefixed (<c>##</c>).</summary>
    WordPiece = 2,

    /// <summary>WordLevel: each pre-token is looked up whole.</summary>
    WordLevel = 3,
}

/// <summary>The options of a Hugging Face BPE model that matter at encode time.</summary>
/// <param name="ByteLevel">Whether the model's symbols are bytes (a ByteLevel pre-tokenizer maps them to characters); otherwise they are characters.</param>
/// <param name="UnknownId">The id of <c>unk_token</c>, or -1: symbols outside the vocabulary are then dropped.</param>
/// <param name="FuseUnknown">Whether consecutive unknown symbols become one unknown token.</param>
/// <param name="ByteFallback">Whether a character outside the vocabulary becomes its UTF-8 bytes as <c>&lt;0xXX&gt;</c> tokens.</param>
/// <param name="IgnoreMerges">Whether a piece that is itself a token is emitted whole without merging.</param>
/// <param name="ContinuingSubwordPrefix">Prefix of every symbol but a word's first (empty when none).</param>
/// <param name="EndOfWordSuffix">Suffix of a word's last symbol (empty when none).</param>
/// <param name="Kind">The model: BPE, or Unigram / WordPiece / WordLevel, which share these options where they apply.</param>
/// <param name="MaxInputCharsPerWord">WordPiece: longer words become the unknown token.</param>
public sealed record BpeOptions(
    bool ByteLevel,
    int UnknownId,
    bool FuseUnknown,
    bool ByteFallback,
    bool IgnoreMerges,
    string ContinuingSubwordPrefix,
    string EndOfWordSuffix,
    WordModelKind Kind = WordModelKind.Bpe,
    int MaxInputCharsPerWord = 100);
