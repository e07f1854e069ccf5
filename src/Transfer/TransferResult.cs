namespace TokenizerCompiler.Transfer;

/// <summary>The target embedding matrix and how its rows were obtained.</summary>
/// <param name="Embeddings">One row per target row of the decomposition.</param>
/// <param name="Copied">Rows copied from source tokens with the same bytes.</param>
/// <param name="Special">Special-token rows copied from the source special token of the same role.</param>
/// <param name="Estimated">Rows estimated by the method.</param>
/// <param name="Fallback">Rows drawn from the source matrix's per-dimension normal distribution.</param>
public sealed record TransferResult(EmbeddingMatrix Embeddings, int Copied, int Special, int Estimated, int Fallback);
