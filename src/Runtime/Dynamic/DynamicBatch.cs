using System;

namespace TokenizerCompiler.Dynamic;

/// <summary>
/// The result of dynamic tokenization of one batch: the new tokens (each as the pair it was merged from, its
/// decomposition into base ids and its bytes), the batch's sequences over base and new ids, and the length
/// reduction. New token <c>k</c> (0-based, in merge order) has id <see cref="BaseVocabularySize"/> + k.
/// </summary>
public sealed class DynamicBatch
{
    private readonly int[] _mergeLeft;
    private readonly int[] _mergeRight;
    private readonly int[] _mergeFrequency;
    private readonly int[] _decompositionIds;
    private readonly int[] _decompositionOffsets;
    private readonly byte[] _newTokenBytes;
    private readonly int[] _newTokenOffsets;
    private readonly int[] _sequenceIds;
    private readonly int[] _sequenceOffsets;
    private readonly Tokenizer _baseTokenizer;

    internal DynamicBatch(Tokenizer baseTokenizer, long baseTokenCount, int[] mergeLeft, int[] mergeRight, int[] mergeFrequency,
        int[] decompositionIds, int[] decompositionOffsets, byte[] newTokenBytes, int[] newTokenOffsets, int[] sequenceIds, int[] sequenceOffsets)
    {
        _baseTokenizer = baseTokenizer;
        BaseTokenCount = baseTokenCount;
        _mergeLeft = mergeLeft;
        _mergeRight = mergeRight;
        _mergeFrequency = mergeFrequency;
        _decompositionIds = decompositionIds;
        _decompositionOffsets = decompositionOffsets;
        _newTokenBytes = newTokenBytes;
        _newTokenOffsets = newTokenOffsets;
        _sequenceIds = sequenceIds;
        _sequenceOffsets = sequenceOffsets;
    }

    /// <summary>The base tokenizer's vocabulary size: the first new token's id.</summary>
    public int BaseVocabularySize => _baseTokenizer.VocabularySize;

    /// <summary>The number of new tokens (merges made).</summary>
    public int NewTokenCount => _mergeLeft.Length;

    /// <summary>The batch's total length under the base tokenizer.</summary>
    public long BaseTokenCount { get; }

    /// <summary>The batch's total length after the merges.</summary>
    public long TokenCount => _sequenceIds.Length;

    /// <summary>The fraction of positions the merges removed: 1 - <see cref="TokenCount"/> / <see cref="BaseTokenCount"/> (0 for an empty batch).</summary>
    public double LengthReduction => BaseTokenCount == 0 ? 0 : 1.0 - ((double)TokenCount / BaseTokenCount);

    /// <summary>The number of texts in the batch.</summary>
    public int SequenceCount => _sequenceOffsets.Length - 1;

    /// <summary>Text <paramref name="index"/> of the batch as base and new ids.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a text of the batch.</exception>
    public ReadOnlySpan<int> GetSequence(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)SequenceCount, nameof(index));
        return _sequenceIds.AsSpan(_sequenceOffsets[index], _sequenceOffsets[index + 1] - _sequenceOffsets[index]);
    }

    /// <summary>The two ids (base or earlier new) that new token <paramref name="newIndex"/> was merged from.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newIndex"/> is not a new token's index.</exception>
    public (int Left, int Right) GetMerge(int newIndex) => (_mergeLeft[CheckNew(newIndex)], _mergeRight[newIndex]);

    /// <summary>How often the pair of new token <paramref name="newIndex"/> occurred in the batch when it was merged.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newIndex"/> is not a new token's index.</exception>
    public int GetMergeFrequency(int newIndex) => _mergeFrequency[CheckNew(newIndex)];

    /// <summary>New token <paramref name="newIndex"/> as the base ids it stands for, in order (what embedding transfer takes).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newIndex"/> is not a new token's index.</exception>
    public ReadOnlySpan<int> GetDecomposition(int newIndex) =>
        _decompositionIds.AsSpan(_decompositionOffsets[CheckNew(newIndex)], _decompositionOffsets[newIndex + 1] - _decompositionOffsets[newIndex]);

    /// <summary>
    /// Every new token's decomposition at once: the base ids of new token <c>k</c> are
    /// <c>ids[offsets[k]..offsets[k + 1]]</c>; <c>offsets</c> has <see cref="NewTokenCount"/> + 1 entries.
    /// </summary>
    public (ReadOnlyMemory<int> Ids, ReadOnlyMemory<int> Offsets) Decompositions => (_decompositionIds, _decompositionOffsets);

    /// <summary>The decompositions as one array of base ids per new token (a copy).</summary>
    public int[][] GetDecompositionArrays()
    {
        var result = new int[NewTokenCount][];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = GetDecomposition(i).ToArray();
        }

        return result;
    }

    /// <summary>The bytes of new token <paramref name="newIndex"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newIndex"/> is not a new token's index.</exception>
    public ReadOnlySpan<byte> GetNewTokenBytes(int newIndex) =>
        _newTokenBytes.AsSpan(_newTokenOffsets[CheckNew(newIndex)], _newTokenOffsets[newIndex + 1] - _newTokenOffsets[newIndex]);

    private int CheckNew(int newIndex)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)newIndex, (uint)NewTokenCount, nameof(newIndex));
        return newIndex;
    }

    /// <summary>The bytes of <paramref name="id"/>, a base id or a new one.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is neither.</exception>
    public ReadOnlySpan<byte> GetTokenBytes(int id)
    {
        int newIndex = id - BaseVocabularySize;
        if (newIndex < 0)
        {
            return _baseTokenizer.GetTokenBytes(id);
        }

        if (newIndex >= NewTokenCount)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"{id} is neither a base id nor one of the {NewTokenCount} new ids");
        }

        return GetNewTokenBytes(newIndex);
    }
}
