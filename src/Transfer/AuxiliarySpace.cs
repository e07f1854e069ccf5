using System;
using System.Numerics.Tensors;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// The similarity space of the hybrid and FOCUS methods: a vector for every source token and for every target row
/// (of a <see cref="TokenDecomposition"/>), with flags for which are known.
/// </summary>
public sealed class AuxiliarySpace
{
    /// <summary>Creates a space from explicit vectors.</summary>
    /// <exception cref="ArgumentException">The matrices differ in width or the flags in length.</exception>
    public AuxiliarySpace(EmbeddingMatrix sourceVectors, bool[] sourceKnown, EmbeddingMatrix targetVectors, bool[] targetKnown)
    {
        ArgumentNullException.ThrowIfNull(sourceVectors);
        ArgumentNullException.ThrowIfNull(sourceKnown);
        ArgumentNullException.ThrowIfNull(targetVectors);
        ArgumentNullException.ThrowIfNull(targetKnown);
        if (sourceVectors.Columns != targetVectors.Columns || sourceKnown.Length != sourceVectors.Rows || targetKnown.Length != targetVectors.Rows)
        {
            throw new ArgumentException("Source and target vectors need the same width and one known-flag per row.", nameof(targetKnown));
        }

        SourceVectors = sourceVectors;
        SourceKnown = sourceKnown;
        TargetVectors = targetVectors;
        TargetKnown = targetKnown;
    }

    /// <summary>One vector per source token id.</summary>
    public EmbeddingMatrix SourceVectors { get; }

    /// <summary>Whether each source token has a vector.</summary>
    public bool[] SourceKnown { get; }

    /// <summary>One vector per target row of the decomposition.</summary>
    public EmbeddingMatrix TargetVectors { get; }

    /// <summary>Whether each target row has a vector.</summary>
    public bool[] TargetKnown { get; }

    /// <summary>
    /// A space from word vectors: each token's vector is its word's (<see cref="WordVectors.TryGetTokenVector"/>); an
    /// estimated target token with no word of its own gets the mean of its pieces' vectors, when any piece has one.
    /// </summary>
    public static AuxiliarySpace FromWordVectors(WordVectors words, Tokenizer source, Tokenizer target, TokenDecomposition decomposition, ReadOnlySpan<int> targetIds = default)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(decomposition);
        int dimensions = words.Dimensions;
        var sourceVectors = new EmbeddingMatrix(source.VocabularySize, dimensions);
        bool[] sourceKnown = new bool[source.VocabularySize];
        for (int id = 0; id < source.VocabularySize; id++)
        {
            if (source.IsValidId(id) && words.TryGetTokenVector(source.GetTokenBytes(id), out ReadOnlySpan<float> vector))
            {
                vector.CopyTo(sourceVectors.GetRow(id));
                sourceKnown[id] = true;
            }
        }

        var targetVectors = new EmbeddingMatrix(decomposition.Count, dimensions);
        bool[] targetKnown = new bool[decomposition.Count];
        for (int row = 0; row < decomposition.Count; row++)
        {
            int id = targetIds.IsEmpty ? row : targetIds[row];
            if (target.IsValidId(id) && words.TryGetTokenVector(target.GetTokenBytes(id), out ReadOnlySpan<float> vector))
            {
                vector.CopyTo(targetVectors.GetRow(row));
                targetKnown[row] = true;
                continue;
            }

            int known = 0;
            Span<float> sum = targetVectors.GetRow(row);
            foreach (int piece in decomposition.GetPieces(row))
            {
                if (sourceKnown[piece])
                {
                    TensorPrimitives.Add(sum, sourceVectors.GetRow(piece), sum);
                    known++;
                }
            }

            if (known > 0)
            {
                TensorPrimitives.Divide(sum, known, sum);
                targetKnown[row] = true;
            }
        }

        return new AuxiliarySpace(sourceVectors, sourceKnown, targetVectors, targetKnown);
    }
}
