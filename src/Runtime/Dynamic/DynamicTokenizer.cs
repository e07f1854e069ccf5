using System;
using System.Collections.Generic;

namespace TokenizerCompiler.Dynamic;

/// <summary>
/// Dynamic (batch-level) tokenization after Feher, Vulić and Minixhofer (2024), "Retrofitting (Large) Language
/// Models with Dynamic Tokenization": tokenize every text of a batch with the base tokenizer, then up to
/// <see cref="DynamicTokenizationOptions.MaxMerges"/> times merge the most frequent valid adjacent pair across
/// the whole batch, everywhere it occurs (left to right, non-overlapping). Ties go to the pair with the smaller
/// left id, then the smaller right id, so results are deterministic. Pair counts are kept in an incremental
/// index that each merge updates only around the positions it changes; nothing is recounted.
/// </summary>
public static class DynamicTokenizer
{
    /// <summary>Tokenizes <paramref name="texts"/> with <paramref name="baseTokenizer"/> and merges across the batch.</summary>
    /// <param name="baseTokenizer">The base tokenizer; special-token text in the texts is encoded as ordinary text.</param>
    /// <param name="texts">The batch.</param>
    /// <param name="options">Limits and boundary mode; the defaults when <see langword="null"/>.</param>
    public static DynamicBatch Tokenize(Tokenizer baseTokenizer, IReadOnlyList<string> texts, DynamicTokenizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseTokenizer);
        ArgumentNullException.ThrowIfNull(texts);
        var sequences = new int[texts.Count][];
        for (int i = 0; i < sequences.Length; i++)
        {
            sequences[i] = baseTokenizer.EncodeToIds(texts[i] ?? throw new ArgumentException($"text {i} is null", nameof(texts)), SpecialTokenPolicy.TreatAsText);
        }

        return Merge(baseTokenizer, sequences, options);
    }

    /// <summary>
    /// Merges across a batch that is already tokenized with <paramref name="baseTokenizer"/>. Special-token ids
    /// may appear (for example an end-of-text between documents); they are never merged with a neighbour.
    /// </summary>
    /// <exception cref="ArgumentException">A sequence holds an id that is not a token of the base tokenizer.</exception>
    public static DynamicBatch Merge(Tokenizer baseTokenizer, IReadOnlyList<int[]> sequences, DynamicTokenizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseTokenizer);
        ArgumentNullException.ThrowIfNull(sequences);
        using var merger = new IncrementalPairMerger(baseTokenizer, sequences, options ?? new DynamicTokenizationOptions());
        return merger.Run();
    }
}
