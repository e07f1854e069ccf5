using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Tokenizers;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// Inputs that defeat whitespace pre-tokenization and make a single huge pre-token: 1 MiB of 'a', and the prose
/// input with every whitespace char removed. Ours only, against ours on 1 MiB of prose (the baseline): the
/// BPE merge loop is O(n log n), so these stay within a small factor of prose. ML.Tokenizers' merge loop is
/// quadratic in the pre-token's length, so it runs on 100 KiB of 'a' only (its MB/s says the rest).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Adversarial")]
public class AdversarialBenchmarks
{
    private Tokenizer _ours = null!;
    private TiktokenTokenizer _ml = null!;
    private string _prose = "";
    private string _allA = "";
    private string _noWhitespace = "";
    private string _allA100K = "";
    private int[] _ids = [];

    /// <summary>The vocabulary: o200k_base or cl100k_base.</summary>
    [Params("o200k", "cl100k")]
    public string Encoding { get; set; } = "o200k";

    /// <summary>Loads our tokenizer and the inputs.</summary>
    [GlobalSetup(Targets = new[] { nameof(Ours_Prose), nameof(Ours_AllA), nameof(Ours_NoWhitespace), nameof(Ours_AllA_100K) })]
    public void SetupOurs()
    {
        _ours = Implementations.Ours(Encoding);
        _prose = Corpus.Input("prose");
        _allA = Corpus.Input("a");
        _noWhitespace = Corpus.Input("nospace");
        _allA100K = Corpus.Input("a-100k");
        _ids = new int[Corpus.TargetBytes];
    }

    /// <summary>Loads ML.Tokenizers and the 100 KiB input.</summary>
    [GlobalSetup(Target = nameof(ML_AllA_100K))]
    public void SetupMl()
    {
        _ml = Implementations.Ml(Encoding);
        _allA100K = Corpus.Input("a-100k");
    }

    /// <summary>Ours on 1 MiB of prose: the reference.</summary>
    [Benchmark(Baseline = true)]
    [Input("prose")]
    public int Ours_Prose() => _ours.EncodeToIds(_prose.AsSpan(), _ids, SpecialTokenPolicy.TreatAsText);

    /// <summary>Ours on 1 MiB of 'a' (one 1 MiB pre-token).</summary>
    [Benchmark]
    [Input("a")]
    public int Ours_AllA() => _ours.EncodeToIds(_allA.AsSpan(), _ids, SpecialTokenPolicy.TreatAsText);

    /// <summary>Ours on 1 MiB of prose without whitespace.</summary>
    [Benchmark]
    [Input("nospace")]
    public int Ours_NoWhitespace() => _ours.EncodeToIds(_noWhitespace.AsSpan(), _ids, SpecialTokenPolicy.TreatAsText);

    /// <summary>Ours on 100 KiB of 'a', to compare with ML.Tokenizers on the same input.</summary>
    [Benchmark]
    [Input("a-100k")]
    public int Ours_AllA_100K() => _ours.EncodeToIds(_allA100K.AsSpan(), _ids, SpecialTokenPolicy.TreatAsText);

    /// <summary>ML.Tokenizers on 100 KiB of 'a'.</summary>
    [Benchmark]
    [Input("a-100k")]
    public int ML_AllA_100K() => _ml.EncodeToIds(_allA100K).Count;
}
