using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using TokenizerCompiler.Dynamic;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// Dynamic tokenization's merge phase (the base encoding done in setup): a corpus file's non-empty lines as one
/// batch, up to 1000 merges at the pre-token boundary. Shows the time and what the incremental pair index
/// allocates per batch. Run with <c>--filter '*DynamicTokenizationBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class DynamicTokenizationBenchmarks
{
    private Tokenizer _tokenizer = null!;
    private int[][] _batch = Array.Empty<int[]>();

    /// <summary>The corpus file whose lines form the batch.</summary>
    [Params("russian", "cjk-zh", "prose-en-python-tutorial")]
    public string File { get; set; } = "russian";

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = Implementations.Ours("o200k");
        string path = Path.Combine(Corpus.RepoRoot, "tests", "data", "corpus", File + ".txt");
        _batch = System.IO.File.ReadLines(path).Where(l => l.Length > 0)
            .Select(l => _tokenizer.EncodeToIds(l, SpecialTokenPolicy.TreatAsText)).ToArray();
    }

    /// <summary>Up to 1000 merges over the batch.</summary>
    [Benchmark]
    public long Merge() => DynamicTokenizer.Merge(_tokenizer, _batch, new DynamicTokenizationOptions { MaxMerges = 1000 }).TokenCount;
}
