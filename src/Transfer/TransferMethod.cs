namespace TokenizerCompiler.Transfer;

/// <summary>How the embeddings of target tokens that have no identical source token are estimated.</summary>
public enum TransferMethod
{
    /// <summary>
    /// Fast Vocabulary Transfer (Gee et al., 2022): the mean of the source rows of the token's decomposition into
    /// source tokens.
    /// </summary>
    Fvt = 0,

    /// <summary>
    /// TokenAdapt's hybrid heuristic (Sharthak et al., 2025): a local estimate over the decomposition, weighted by
    /// similarity in an auxiliary space and by piece length, blended with a global estimate from the token's nearest
    /// source tokens in that space.
    /// </summary>
    Hybrid = 1,

    /// <summary>
    /// FOCUS-style (Dobler and de Melo, 2023): a sparsemax-weighted combination of the tokens shared by both
    /// vocabularies that are nearest to the token in an auxiliary space.
    /// </summary>
    Focus = 2,
}
