using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace TokenizerCompiler.Benchmarks;

/// <summary>The batch API on all cores against the same documents encoded one after another (ours only).</summary>
[BenchmarkCategory("Batch")]
[MinColumn]
[IterationCount(15)]
public class BatchBenchmarks
{
    private Tokenizer _tokenizer = null!;
    private string[] _documents = Array.Empty<string>();

    [GlobalSetup]
    public void Setup()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "TokenizerCompiler.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        _tokenizer = Tokenizer.FromVocabularyFile(Path.Combine(root, "vocabularies", "tiktoken", "o200k_base.tiktoken"));
        _documents = Directory.GetFiles(Path.Combine(root, "tests", "data", "corpus"), "*.txt").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();

        // Both jobs, until tiered compilation has finished with them (see JitSettling): the batch keeps both cores
        // busy, so the background compiler would otherwise run inside its measured iterations.
        var (elapsed, compiled) = JitSettling.RunUntilSettled(() => { Sequential(); Batch(); }, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Console.WriteLine($"// warm-up until the JIT settled: {elapsed.TotalSeconds:F1} s, {compiled} methods compiled");
    }

    /// <summary>
    /// The same job on one thread: every document's ids, kept until the end as the batch keeps them (arrays that are
    /// still referenced when a collection comes are promoted, which dropping each result at once never pays).
    /// </summary>
    [Benchmark(Baseline = true)]
    public int Sequential()
    {
        var results = new int[_documents.Length][];
        for (int i = 0; i < _documents.Length; i++)
        {
            results[i] = _tokenizer.EncodeToIds(_documents[i], SpecialTokenPolicy.TreatAsText);
        }

        return results.Sum(ids => ids.Length);
    }

    [Benchmark]
    public int Batch() => _tokenizer.EncodeBatch(_documents, SpecialTokenPolicy.TreatAsText).Sum(ids => ids.Length);
}
