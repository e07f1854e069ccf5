using System;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// The two bulk operations of embedding transfer, behind one interface so they run on the CPU
/// (<see cref="CpuComputeBackend"/>) or on an accelerator (<see cref="IlgpuComputeBackend"/>) with the same results.
/// </summary>
public interface IEmbeddingComputeBackend : IDisposable
{
    /// <summary>A short name for progress messages (e.g. "cpu", "ilgpu-cuda").</summary>
    string Name { get; }

    /// <summary>
    /// Row <c>r</c> of <paramref name="destination"/> becomes the mean of the rows of <paramref name="source"/> listed in
    /// <c>pieces[offsets[r] .. offsets[r+1]]</c>; rows with no pieces are set to zero.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes disagree, or <paramref name="offsets"/> has not <c>destination.Rows + 1</c> entries.</exception>
    void GatherMean(EmbeddingMatrix source, ReadOnlySpan<int> offsets, ReadOnlySpan<int> pieces, EmbeddingMatrix destination);

    /// <summary>
    /// For each row of <paramref name="queries"/>, the <paramref name="k"/> rows of <paramref name="keys"/> with the highest
    /// cosine similarity, best first (ties: lower index first), written to <paramref name="indices"/> and
    /// <paramref name="similarities"/> at <c>query * k</c>. Missing entries (fewer keys than k) are -1 and negative infinity.
    /// A zero vector has similarity 0 to everything. No queries x keys matrix is ever materialised.
    /// </summary>
    void NearestByCosine(EmbeddingMatrix queries, EmbeddingMatrix keys, int k, Span<int> indices, Span<float> similarities);
}
