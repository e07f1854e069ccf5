using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading.Tasks;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// Zero-shot tokenizer transfer: builds an embedding matrix for a target tokenizer from a source model's matrix.
/// Tokens with identical bytes are copied, special tokens are matched by role, the rest are estimated by the chosen
/// <see cref="TransferMethod"/>, and tokens with no source counterpart are drawn from the source distribution.
/// </summary>
public static class EmbeddingTransfer
{
    /// <summary>
    /// Transfers <paramref name="sourceEmbeddings"/> (one row per id of <paramref name="source"/>) to
    /// <paramref name="target"/>: the result has one row per id of <paramref name="targetIds"/>, or per target id when it is empty.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix has fewer rows than the source vocabulary.</exception>
    public static TransferResult Transfer(Tokenizer source, EmbeddingMatrix sourceEmbeddings, Tokenizer target,
        TransferOptions? options = null, ReadOnlySpan<int> targetIds = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sourceEmbeddings);
        ArgumentNullException.ThrowIfNull(target);
        if (sourceEmbeddings.Rows < source.VocabularySize)
        {
            throw new ArgumentException($"The source matrix has {sourceEmbeddings.Rows} rows; the source vocabulary needs {source.VocabularySize}.", nameof(sourceEmbeddings));
        }

        options ??= new TransferOptions();
        options.Progress?.Report($"decomposing {(targetIds.IsEmpty ? target.VocabularySize : targetIds.Length)} target tokens into source tokens");
        TokenDecomposition decomposition = TokenDecomposition.Create(source, target, targetIds);
        return Transfer(sourceEmbeddings, decomposition, options);
    }

    /// <summary>
    /// Builds one row per row of <paramref name="decomposition"/> from <paramref name="sourceEmbeddings"/>; this is the
    /// entry point for decompositions made elsewhere (for example the new tokens of dynamic tokenization).
    /// </summary>
    /// <exception cref="ArgumentException">A piece is not a row of the source matrix, or the auxiliary space does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (temperature not positive, weight outside [0, 1], no neighbours).</exception>
    public static TransferResult Transfer(EmbeddingMatrix sourceEmbeddings, TokenDecomposition decomposition, TransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sourceEmbeddings);
        ArgumentNullException.ThrowIfNull(decomposition);
        options ??= new TransferOptions();
        Validate(options);
        IEmbeddingComputeBackend? owned = options.Backend is null ? new CpuComputeBackend() : null;
        try
        {
            return Run(sourceEmbeddings, decomposition, options, options.Backend ?? owned!);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private static void Validate(TransferOptions options)
    {
        if (!(options.HybridTemperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.HybridTemperature, "HybridTemperature must be positive.");
        }

        if (!(options.HybridGlobalWeight >= 0 && options.HybridGlobalWeight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.HybridGlobalWeight, "HybridGlobalWeight must be in [0, 1].");
        }

        if (options.HybridNeighbours <= 0 || options.FocusNeighbours <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "HybridNeighbours and FocusNeighbours must be positive.");
        }
    }

    private static TransferResult Run(EmbeddingMatrix source, TokenDecomposition decomposition, TransferOptions options, IEmbeddingComputeBackend backend)
    {
        int columns = source.Columns;
        var result = new EmbeddingMatrix(decomposition.Count, columns);
        var estimated = new List<int>();
        int copied = 0, special = 0, fallback = 0;
        foreach (int piece in decomposition.AllPieces)
        {
            if ((uint)piece >= (uint)source.Rows)
            {
                throw new ArgumentException($"Source id {piece} is not a row of the {source.Rows}-row source matrix.", nameof(decomposition));
            }
        }

        for (int row = 0; row < decomposition.Count; row++)
        {
            switch (decomposition.GetKind(row))
            {
                case TokenEstimateKind.Copied:
                    source.GetRow(decomposition.GetPieces(row)[0]).CopyTo(result.GetRow(row));
                    copied++;
                    break;
                case TokenEstimateKind.Special:
                    source.GetRow(decomposition.GetPieces(row)[0]).CopyTo(result.GetRow(row));
                    special++;
                    break;
                case TokenEstimateKind.Estimated:
                    estimated.Add(row);
                    break;
                default:
                    fallback++;
                    break;
            }
        }

        options.Progress?.Report($"{copied} copied, {special} special, {estimated.Count} to estimate ({options.Method}, {backend.Name}), {fallback} fallback");
        EmbeddingMatrix fvt = Fvt(source, decomposition, estimated, backend);
        EmbeddingMatrix estimates = options.Method switch
        {
            TransferMethod.Fvt => fvt,
            TransferMethod.Hybrid => Hybrid(source, decomposition, estimated, fvt, options, backend),
            TransferMethod.Focus => Focus(source, decomposition, estimated, fvt, options, backend),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Method, "Unknown transfer method."),
        };
        for (int i = 0; i < estimated.Count; i++)
        {
            estimates.GetRow(i).CopyTo(result.GetRow(estimated[i]));
        }

        if (fallback > 0)
        {
            (float[] mean, float[] deviation) = FallbackSampler.Statistics(source);
            var random = new Random(options.Seed);
            for (int row = 0; row < decomposition.Count; row++)
            {
                if (decomposition.GetKind(row) == TokenEstimateKind.Fallback)
                {
                    FallbackSampler.Draw(random, mean, deviation, result.GetRow(row));
                }
            }
        }

        return new TransferResult(result, copied, special, estimated.Count, fallback);
    }

    /// <summary>The FVT estimate of every estimated row, in the order of <paramref name="estimated"/>.</summary>
    private static EmbeddingMatrix Fvt(EmbeddingMatrix source, TokenDecomposition decomposition, List<int> estimated, IEmbeddingComputeBackend backend)
    {
        int[] offsets = new int[estimated.Count + 1];
        var pieces = new List<int>();
        for (int i = 0; i < estimated.Count; i++)
        {
            pieces.AddRange(decomposition.GetPieces(estimated[i]));
            offsets[i + 1] = pieces.Count;
        }

        var fvt = new EmbeddingMatrix(estimated.Count, source.Columns);
        backend.GatherMean(source, offsets, pieces.ToArray(), fvt);
        return fvt;
    }

    private static EmbeddingMatrix Hybrid(EmbeddingMatrix source, TokenDecomposition decomposition, List<int> estimated, EmbeddingMatrix fvt,
        TransferOptions options, IEmbeddingComputeBackend backend)
    {
        Space space = Space.Create(source, decomposition, estimated, fvt, options.Auxiliary);
        float tau = options.HybridTemperature;
        float lambda = options.HybridGlobalWeight;
        int k = options.HybridNeighbours;
        (int[] neighbours, float[] similarities) = Nearest(space, space.SourceKnown, k, backend);
        var result = new EmbeddingMatrix(estimated.Count, source.Columns);
        Parallel.For(0, estimated.Count, i =>
        {
            Span<float> output = result.GetRow(i);
            ReadOnlySpan<int> pieces = decomposition.GetPieces(estimated[i]);
            ReadOnlySpan<int> lengths = decomposition.GetPieceLengths(estimated[i]);
            // Local: weights softmax(((softmax(cos) + length ratio) / 2) / tau) over the pieces.
            float[] weights = new float[pieces.Length];
            float totalLength = 0;
            for (int p = 0; p < pieces.Length; p++)
            {
                weights[p] = space.QueryKnown[i] && space.SourceKnown[pieces[p]] ? Cosine(space.Query(i), space.SourceVector(pieces[p])) : 0f;
                totalLength += lengths[p];
            }

            TensorPrimitives.SoftMax(weights, weights);
            for (int p = 0; p < pieces.Length; p++)
            {
                weights[p] = (weights[p] + (lengths[p] / totalLength)) / 2 / tau;
            }

            TensorPrimitives.SoftMax(weights, weights);
            for (int p = 0; p < pieces.Length; p++)
            {
                TensorPrimitives.MultiplyAdd(source.GetRow(pieces[p]), weights[p], output, output);
            }

            // Global: softmax(sim / tau) over the k nearest source tokens at or above the threshold.
            int slot = space.QuerySlot[i];
            if (slot < 0)
            {
                return;
            }

            var kept = new List<(int Id, float Similarity)>(k);
            for (int j = 0; j < k; j++)
            {
                int key = neighbours[(slot * k) + j];
                if (key >= 0 && similarities[(slot * k) + j] >= options.HybridSimilarityThreshold)
                {
                    kept.Add((space.KeyIds[key], similarities[(slot * k) + j] / tau));
                }
            }

            if (kept.Count == 0)
            {
                return;
            }

            float[] global = new float[kept.Count];
            for (int j = 0; j < kept.Count; j++)
            {
                global[j] = kept[j].Similarity;
            }

            TensorPrimitives.SoftMax(global, global);
            TensorPrimitives.Multiply(output, 1 - lambda, output);
            for (int j = 0; j < kept.Count; j++)
            {
                TensorPrimitives.MultiplyAdd(source.GetRow(kept[j].Id), lambda * global[j], output, output);
            }
        });
        return result;
    }

    private static EmbeddingMatrix Focus(EmbeddingMatrix source, TokenDecomposition decomposition, List<int> estimated, EmbeddingMatrix fvt,
        TransferOptions options, IEmbeddingComputeBackend backend)
    {
        Space space = Space.Create(source, decomposition, estimated, fvt, options.Auxiliary);
        // The candidates are the tokens both vocabularies share (the copied rows), each once.
        bool[] shared = new bool[source.Rows];
        for (int row = 0; row < decomposition.Count; row++)
        {
            if (decomposition.GetKind(row) == TokenEstimateKind.Copied)
            {
                int id = decomposition.GetPieces(row)[0];
                shared[id] = space.SourceKnown[id];
            }
        }

        int k = options.FocusNeighbours;
        (int[] neighbours, float[] similarities) = Nearest(space, shared, k, backend);
        var result = new EmbeddingMatrix(estimated.Count, source.Columns);
        Parallel.For(0, estimated.Count, i =>
        {
            Span<float> output = result.GetRow(i);
            int slot = space.QuerySlot[i];
            int found = 0;
            while (slot >= 0 && found < k && neighbours[(slot * k) + found] >= 0)
            {
                found++;
            }

            if (found == 0)
            {
                // No vector for the token or no shared tokens: FVT is the best estimate left.
                fvt.GetRow(i).CopyTo(output);
                return;
            }

            float[] weights = new float[found];
            Sparsemax.Compute(similarities.AsSpan(slot * k, found), weights);
            for (int j = 0; j < found; j++)
            {
                if (weights[j] > 0)
                {
                    TensorPrimitives.MultiplyAdd(source.GetRow(space.KeyIds[neighbours[(slot * k) + j]]), weights[j], output, output);
                }
            }
        });
        return result;
    }

    /// <summary>Top-k over the candidate source tokens for every query that has a vector; keys are compacted first.</summary>
    private static (int[] Neighbours, float[] Similarities) Nearest(Space space, bool[] candidates, int k, IEmbeddingComputeBackend backend)
    {
        var keyIds = new List<int>();
        for (int id = 0; id < candidates.Length; id++)
        {
            if (candidates[id])
            {
                keyIds.Add(id);
            }
        }

        space.KeyIds = keyIds.ToArray();
        int dimensions = space.Dimensions;
        var keys = new EmbeddingMatrix(keyIds.Count, dimensions);
        for (int j = 0; j < keyIds.Count; j++)
        {
            space.SourceVector(keyIds[j]).CopyTo(keys.GetRow(j));
        }

        var queries = new EmbeddingMatrix(space.QueryCount, dimensions);
        for (int i = 0; i < space.QuerySlot.Length; i++)
        {
            if (space.QuerySlot[i] >= 0)
            {
                space.Query(i).CopyTo(queries.GetRow(space.QuerySlot[i]));
            }
        }

        int[] neighbours = new int[queries.Rows * k];
        float[] similarities = new float[queries.Rows * k];
        if (keys.Rows > 0)
        {
            backend.NearestByCosine(queries, keys, k, neighbours, similarities);
        }
        else
        {
            TopK.Clear(neighbours, similarities);
        }

        return (neighbours, similarities);
    }

    private static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float norms = TensorPrimitives.Norm(a) * TensorPrimitives.Norm(b);
        return norms > 0 ? TensorPrimitives.Dot(a, b) / norms : 0f;
    }

    /// <summary>The auxiliary vectors of the estimated rows and of the source tokens, built-in or user-supplied.</summary>
    private sealed class Space
    {
        private EmbeddingMatrix _queries = null!;
        private EmbeddingMatrix _sources = null!;

        public bool[] SourceKnown { get; private set; } = null!;

        public bool[] QueryKnown { get; private set; } = null!;

        /// <summary>For each estimated row, its row among the queries with vectors, or -1.</summary>
        public int[] QuerySlot { get; private set; } = null!;

        public int QueryCount { get; private set; }

        public int[] KeyIds { get; set; } = [];

        public int Dimensions => _sources.Columns;

        public ReadOnlySpan<float> Query(int estimatedIndex) => _queries.GetRow(estimatedIndex);

        public ReadOnlySpan<float> SourceVector(int id) => _sources.GetRow(id);

        public static Space Create(EmbeddingMatrix source, TokenDecomposition decomposition, List<int> estimated, EmbeddingMatrix fvt, AuxiliarySpace? auxiliary)
        {
            var space = new Space();
            if (auxiliary is null)
            {
                space._sources = source;
                space.SourceKnown = new bool[source.Rows];
                Array.Fill(space.SourceKnown, true);
                space._queries = fvt;
                space.QueryKnown = new bool[estimated.Count];
                Array.Fill(space.QueryKnown, true);
            }
            else
            {
                if (auxiliary.TargetVectors.Rows != decomposition.Count || auxiliary.SourceVectors.Rows < source.Rows)
                {
                    throw new ArgumentException("The auxiliary space needs a vector per decomposition row and per source row.", nameof(auxiliary));
                }

                space._sources = auxiliary.SourceVectors;
                space.SourceKnown = auxiliary.SourceKnown;
                space._queries = new EmbeddingMatrix(estimated.Count, auxiliary.TargetVectors.Columns);
                space.QueryKnown = new bool[estimated.Count];
                for (int i = 0; i < estimated.Count; i++)
                {
                    auxiliary.TargetVectors.GetRow(estimated[i]).CopyTo(space._queries.GetRow(i));
                    space.QueryKnown[i] = auxiliary.TargetKnown[estimated[i]];
                }
            }

            space.QuerySlot = new int[estimated.Count];
            for (int i = 0; i < estimated.Count; i++)
            {
                space.QuerySlot[i] = space.QueryKnown[i] ? space.QueryCount++ : -1;
            }

            return space;
        }
    }
}
