using System;

namespace TokenizerCompiler.Transfer;

/// <summary>Settings of an embedding transfer; the defaults are the published ones where the papers give them.</summary>
public sealed class TransferOptions
{
    /// <summary>The estimation method (default <see cref="TransferMethod.Fvt"/>).</summary>
    public TransferMethod Method { get; init; } = TransferMethod.Fvt;

    /// <summary>Where the bulk arithmetic runs; <see langword="null"/> means a <see cref="CpuComputeBackend"/>.</summary>
    public IEmbeddingComputeBackend? Backend { get; init; }

    /// <summary>
    /// The similarity space of the hybrid and FOCUS methods. <see langword="null"/> means the built-in one: the source
    /// embedding matrix itself, with each estimated token represented by its FVT estimate.
    /// </summary>
    public AuxiliarySpace? Auxiliary { get; init; }

    /// <summary>Seed of the generator that draws fallback rows, so a transfer is reproducible.</summary>
    public int Seed { get; init; }

    /// <summary>Hybrid: the weight of the global estimate, lambda (TokenAdapt: 0.3).</summary>
    public float HybridGlobalWeight { get; init; } = 0.3f;

    /// <summary>Hybrid: the softmax temperature, tau (TokenAdapt: 0.3).</summary>
    public float HybridTemperature { get; init; } = 0.3f;

    /// <summary>Hybrid: how many nearest source tokens the global estimate considers (TokenAdapt: 3).</summary>
    public int HybridNeighbours { get; init; } = 3;

    /// <summary>Hybrid: neighbours less similar than this (cosine) are left out of the global estimate (our default: 0.5).</summary>
    public float HybridSimilarityThreshold { get; init; } = 0.5f;

    /// <summary>FOCUS: how many nearest shared tokens enter the sparsemax (FOCUS: 10).</summary>
    public int FocusNeighbours { get; init; } = 10;

    /// <summary>Receives one line per phase (decomposition, estimation, fallback) for a progress display.</summary>
    public IProgress<string>? Progress { get; init; }
}
