using System;

namespace TokenizerCompiler.Dynamic;

/// <summary>How far <see cref="DynamicTokenizer"/> merges a batch.</summary>
public sealed record DynamicTokenizationOptions
{
    private readonly int _maxMerges = 1000;
    private readonly int _minimumFrequency = 2;
    private readonly long _targetTokenCount;

    /// <summary>The most merges (new tokens) to make; at least 0. Default 1000.</summary>
    public int MaxMerges
    {
        get => _maxMerges;
        init => _maxMerges = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxMerges), value, "must be at least 0");
    }

    /// <summary>
    /// Stop when the most frequent valid pair occurs fewer times than this across the batch; at least 1.
    /// Default 2: a pair seen once saves one position but costs a new embedding.
    /// </summary>
    public int MinimumFrequency
    {
        get => _minimumFrequency;
        init => _minimumFrequency = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MinimumFrequency), value, "must be at least 1");
    }

    /// <summary>
    /// "Merges for a target length" mode: stop as soon as the batch's total length is at most this many tokens
    /// (the result's <see cref="DynamicBatch.NewTokenCount"/> is then the number of merges that length needs).
    /// 0 (the default) turns the mode off.
    /// </summary>
    public long TargetTokenCount
    {
        get => _targetTokenCount;
        init => _targetTokenCount = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(TargetTokenCount), value, "must be at least 0");
    }

    /// <summary>Which text units a merge may not cross. Default <see cref="MergeBoundary.PreToken"/>.</summary>
    public MergeBoundary Boundary { get; init; } = MergeBoundary.PreToken;
}
