using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Encodes a batch of documents on all cores. The tokenizer is immutable and lock-free, so documents are
    /// simply encoded in parallel; each result is exactly what <see cref="EncodeToIds(string, SpecialTokenPolicy)"/> gives.
    /// </summary>
    /// <param name="texts">The documents.</param>
    /// <param name="policy">What to do with special-token text.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads; -1 for all cores.</param>
    /// <returns>The ids of each document, in order.</returns>
    public int[][] EncodeBatch(IReadOnlyList<string> texts, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var results = new int[texts.Count][];
        Parallel.ForEach(LongestFirst(texts), Options(maxDegreeOfParallelism),
            i => results[i] = EncodeToIds(texts[i] ?? throw new ArgumentNullException(nameof(texts), $"document {i} is null"), policy));
        return results;
    }

    /// <summary>Counts the tokens of each document of a batch on all cores.</summary>
    /// <param name="texts">The documents.</param>
    /// <param name="counts">Receives each document's token count; as long as <paramref name="texts"/>.</param>
    /// <param name="policy">What to do with special-token text.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads; -1 for all cores.</param>
    /// <returns>The total number of tokens.</returns>
    public long CountTokensBatch(IReadOnlyList<string> texts, Span<int> counts, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (counts.Length < texts.Count)
        {
            throw new ArgumentException("The counts span is shorter than the batch.", nameof(counts));
        }

        var results = new int[texts.Count];
        Parallel.ForEach(LongestFirst(texts), Options(maxDegreeOfParallelism),
            i => results[i] = CountTokens(texts[i] ?? throw new ArgumentNullException(nameof(texts), $"document {i} is null"), policy));
        long total = 0;
        for (int i = 0; i < results.Length; i++)
        {
            counts[i] = results[i];
            total += results[i];
        }

        return total;
    }

    /// <summary>
    /// At most one worker per core by default: every thread that encodes keeps its own caches (about 1.5 MB, built on
    /// its first call), so letting the pool add threads beyond the cores only costs warm-up.
    /// </summary>
    private static ParallelOptions Options(int maxDegreeOfParallelism) => new()
    {
        MaxDegreeOfParallelism = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism,
    };

    /// <summary>
    /// The documents' indices, longest first, handed out one at a time: with documents of very different sizes,
    /// range partitioning can leave one core with the last long document while the others sit idle.
    /// </summary>
    private static OrderablePartitioner<int> LongestFirst(IReadOnlyList<string> texts)
    {
        var order = new int[texts.Count];
        var lengths = new int[texts.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
            lengths[i] = -(texts[i]?.Length ?? 0);
        }

        Array.Sort(lengths, order);
        return Partitioner.Create(order, loadBalance: true);
    }
}
