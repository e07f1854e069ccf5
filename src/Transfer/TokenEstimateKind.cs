namespace TokenizerCompiler.Transfer;

/// <summary>How a target token's embedding row is obtained.</summary>
public enum TokenEstimateKind : byte
{
    /// <summary>A source token has exactly the same bytes: its row is copied.</summary>
    Copied = 0,

    /// <summary>The row is estimated from the source rows of the token's decomposition into source tokens.</summary>
    Estimated = 1,

    /// <summary>A special token whose role (bos, eos, pad, unk) matches a source special token: that row is copied.</summary>
    Special = 2,

    /// <summary>Nothing in the source matches: the row is drawn from the source matrix's per-dimension normal distribution.</summary>
    Fallback = 3,
}
