namespace TokenizerCompiler.Core.Model;

/// <summary>
/// The segmentation algorithm a vocabulary uses. Stored in compiled images: never renumber.
/// </summary>
public enum TokenizerModelKind
{
    /// <summary>
    /// Byte-level BPE whose merge priority is the rank (= id) of the merged bytes, as tiktoken does it.
    /// Pieces that are themselves tokens are emitted whole.
    /// </summary>
    RankedBytePairEncoding = 1,

    /// <summary>
    /// Hugging Face BPE: symbols (bytes or characters) are merged pair by pair in the order of the merges list,
    /// the first listed merge first, leftmost on ties; the pipeline around it is stored with the tables.
    /// </summary>
    MergeListBytePairEncoding = 2,
}
