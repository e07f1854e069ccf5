using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Tokenizers;
using TokenizerCompiler.Core.Compilation;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// Opening o200k_base at run time: ours memory-maps a <c>tkc compile</c> image (validated: checksum, bounds,
/// every offset and hash slot) against ML.Tokenizers building its TiktokenTokenizer from the same vocabulary's
/// rank file. Both read from the page cache (the files were read once in setup). Run with
/// <c>--filter '*OpenImageBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class OpenImageBenchmarks
{
    private string _imagePath = string.Empty;
    private string _rankFilePath = string.Empty;
    private byte[] _image = Array.Empty<byte>();

    [GlobalSetup]
    public void Setup()
    {
        _rankFilePath = Path.Combine(Corpus.RepoRoot, "vocabularies", "tiktoken", "o200k_base.tiktoken");
        _image = VocabularyCompiler.Compile(_rankFilePath, File.ReadAllText(_rankFilePath), new CompileOptions()).Image
            ?? throw new InvalidOperationException("o200k_base did not compile");
        _imagePath = Path.Combine(Path.GetTempPath(), $"tkc-bench-o200k-{Environment.ProcessId}.tkc");
        File.WriteAllBytes(_imagePath, _image);
        _ = File.ReadAllBytes(_rankFilePath);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_imagePath);

    /// <summary>Ours: map the image file and validate it.</summary>
    [Benchmark(Baseline = true)]
    public int OursOpenImageFile() => Tokenizer.OpenImageFile(_imagePath).VocabularySize;

    /// <summary>Ours: map the image file, checksum only (for images you compiled yourself).</summary>
    [Benchmark]
    public int OursOpenImageFileChecksumOnly() => Tokenizer.OpenImageFile(_imagePath, ImageFileValidation.ChecksumOnly).VocabularySize;

    /// <summary>Ours: an image already in memory (copied into a pinned array, then validated).</summary>
    [Benchmark]
    public int OursFromImageBytes() => Tokenizer.FromImage(_image).VocabularySize;

    /// <summary>ML.Tokenizers: TiktokenTokenizer from the o200k_base rank file.</summary>
    [Benchmark]
    public object MlCreateFromRankFile()
    {
        using FileStream stream = File.OpenRead(_rankFilePath);
        return TiktokenTokenizer.CreateForModel("gpt-4o", stream);
    }
}
