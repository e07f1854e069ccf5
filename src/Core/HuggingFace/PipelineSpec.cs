using System.Collections.Generic;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Everything a Hugging Face tokenizer does around its vocabulary and merges: normalizers, pre-tokenizers,
/// model options, added tokens and decoding. Stored in an image's pipeline section.
/// </summary>
/// <param name="Normalizers">Applied in order.</param>
/// <param name="PreTokenizers">Applied in order, each to every piece the previous produced.</param>
/// <param name="Model">The BPE model's options.</param>
/// <param name="AddedTokens">Tokens matched in the text before the model.</param>
/// <param name="Decoder">Whole-output decoding steps.</param>
/// <param name="PrefixIds">Ids the post-processor puts before a sequence when special tokens are asked for.</param>
/// <param name="SuffixIds">Ids the post-processor puts after it.</param>
public sealed record PipelineSpec(
    IReadOnlyList<NormalizerStep> Normalizers,
    IReadOnlyList<PreTokenizerStep> PreTokenizers,
    BpeOptions Model,
    IReadOnlyList<AddedToken> AddedTokens,
    DecoderSpec Decoder,
    IReadOnlyList<int> PrefixIds,
    IReadOnlyList<int> SuffixIds);
