using System;
using System.Collections.Generic;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Encodes a batch of documents on all cores. The tokenizer is immutable and lock-free, so documents are
    /// simply encoded in parallel, longest first, each thread taking the next document as it finishes one; each result
    /// is exactly what <see cref="EncodeToIds(string, SpecialTokenPolicy)"/> gives.
    /// </summary>
    /// <param name="texts">The documents.</param>
    /// <param name="policy">What to do with special-token text.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads; -1 for all cores.</param>
    /// <returns>The ids of each document, in order.</returns>
    /// <exception cref="AggregateException">A document failed (null, or disallowed special-token text): its exception
    /// inside; no document is started after a failure.</exception>
    public int[][] EncodeBatch(IReadOnlyList<string> texts, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var results = new int[texts.Count][];
        LongestFirstBatch.Run(texts, maxDegreeOfParallelism,
            i => results[i] = EncodeToIds(texts[i] ?? throw new ArgumentNullException(nameof(texts), $"document {i} is null"), policy));
        return results;
    }

    /// <summary>Counts the tokens of each document of a batch on all cores.</summary>
    /// <param name="texts">The documents.</param>
    /// <param name="counts">Receives each document's token count; as long as <paramref name="texts"/>.</param>
    /// <param name="policy">What to do with special-token text.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads; -1 for all cores.</param>
    /// <returns>The total number of tokens.</returns>
    /// <exception cref="AggregateException">A document failed: its exception inside.</exception>
    public long CountTokensBatch(IReadOnlyList<string> texts, Span<int> counts, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (counts.Length < texts.Count)
        {
            throw new ArgumentException("The counts span is shorter than the batch.", nameof(counts));
        }

        var results = new int[texts.Count];
        LongestFirstBatch.Run(texts, maxDegreeOfParallelism,
            i => results[i] = CountTokens(texts[i] ?? throw new ArgumentNullException(nameof(texts), $"document {i} is null"), policy));
        long total = 0;
        for (int i = 0; i < results.Length; i++)
        {
            counts[i] = results[i];
            total += results[i];
        }

        return total;
    }
}
