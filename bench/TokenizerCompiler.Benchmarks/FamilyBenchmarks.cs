using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Tokenizers;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// The other families (Hugging Face tokenizer.json, vocab.json + merges.txt, SentencePiece) encoding the same
/// ~1 MiB texts, against Microsoft.ML.Tokenizers' o200k_base rate on that text (the performance issue's yardstick:
/// every family at least 5× it).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Family")]
public class FamilyBenchmarks
{
    private Tokenizer _ours = null!;
    private TiktokenTokenizer _ml = null!;
    private string _text = "";
    private int[] _ids = [];
    private int[] _encoded = [];
    private byte[] _decoded = [];

    /// <summary>The vocabulary.</summary>
    [Params("llama3", "qwen3", "gemma3", "deepseek_v3", "kl3m-001-32k", "kl3m-003-64k", "llama2-sentencepiece")]
    public string Family { get; set; } = "llama3";

    /// <summary>The text category.</summary>
    [Params("prose", "code", "legal", "mixed")]
    public string Text { get; set; } = "prose";

    /// <summary>Loads the tokenizers and the input, and runs ML.Tokenizers' encode until the JIT has settled.</summary>
    [GlobalSetup(Target = nameof(ML_O200k_Encode))]
    public void SetupMl()
    {
        Setup();
        JitSettling.Settle(() => ML_O200k_Encode());
    }

    /// <summary>Loads the tokenizers and the input, and runs our encode until the JIT has settled.</summary>
    [GlobalSetup(Target = nameof(Ours_Encode))]
    public void SetupOursEncode()
    {
        Setup();
        JitSettling.Settle(() => Ours_Encode());
    }

    /// <summary>Loads the tokenizers and the input, and runs our decode until the JIT has settled.</summary>
    [GlobalSetup(Target = nameof(Ours_DecodeToUtf8))]
    public void SetupOursDecode()
    {
        Setup();
        JitSettling.Settle(() => Ours_DecodeToUtf8());
    }

    /// <summary>Loads the tokenizers and the input.</summary>
    public void Setup()
    {
        _text = Corpus.Input(Text);
        _ours = Load(Family);
        _ml = Implementations.Ml("o200k");
        _ids = new int[System.Text.Encoding.UTF8.GetByteCount(_text) * 2];
        _encoded = _ids[.._ours.EncodeToIds(_text.AsSpan(), _ids, SpecialTokenPolicy.TreatAsText)];
        _decoded = new byte[_ours.GetDecodedByteCount(_encoded)];
    }

    /// <summary>Microsoft.ML.Tokenizers, o200k_base, on the same text.</summary>
    [Benchmark(Baseline = true)]
    public int ML_O200k_Encode() => _ml.EncodeToIds(_text).Count;

    /// <summary>Ours, the family's tokenizer, ids into a span.</summary>
    [Benchmark]
    public int Ours_Encode() => _ours.EncodeToIds(_text.AsSpan(), _ids, SpecialTokenPolicy.TreatAsText);

    /// <summary>
    /// Ours, the family's ids of the text decoded to UTF-8 in a span: the issue asks decode to run at ten times our own
    /// encode, so read this row against <see cref="Ours_Encode"/>.
    /// </summary>
    [Benchmark]
    public int Ours_DecodeToUtf8()
    {
        _ours.DecodeToUtf8(_encoded, _decoded, out _, out int written);
        return written;
    }

    /// <summary>Loads a family's vocabulary from the repository or ../shared.</summary>
    public static Tokenizer Load(string family)
    {
        string shared = Path.GetFullPath(Path.Combine(Corpus.RepoRoot, "..", "shared", "vocabularies"));
        return family switch
        {
            "kl3m-003-64k" => Tokenizer.FromVocabularyFile(Path.Combine(shared, family, "vocab.json"), new Core.Compilation.CompileOptions(Normalizer: "NFKC")),
            "llama2-sentencepiece" => Tokenizer.FromVocabularyFile(Path.Combine(shared, family, "tokenizer.model")),
            _ when Directory.Exists(Path.Combine(shared, family)) => Tokenizer.FromVocabularyFile(Path.Combine(shared, family, "tokenizer.json")),
            _ => Tokenizer.FromVocabularyText(family + "/tokenizer.json", Gunzip(Path.Combine(Corpus.RepoRoot, "vocabularies", "hf", family, "tokenizer.json.gz"))),
        };
    }

    private static string Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }
}

/// <summary>Binary BPE on real executables (one Latin-1 character per byte), against ML.Tokenizers' o200k rate on the same bytes.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Binary")]
public class BinaryBenchmarks
{
    private Tokenizer _ours = null!;
    private TiktokenTokenizer _ml = null!;
    private byte[] _data = [];
    private string _latin1 = "";
    private int[] _ids = [];

    /// <summary>The input: the four test executables concatenated, or 1 MiB of random bytes.</summary>
    [Params("executables", "random")]
    public string Input { get; set; } = "executables";

    /// <summary>Loads the tokenizers and the bytes, and runs ML.Tokenizers' encode until the JIT has settled.</summary>
    [GlobalSetup(Target = nameof(ML_O200k_Encode))]
    public void SetupMl()
    {
        Setup();
        JitSettling.Settle(() => ML_O200k_Encode());
    }

    /// <summary>Loads the tokenizers and the bytes, and runs our encode until the JIT has settled.</summary>
    [GlobalSetup(Target = nameof(Ours_EncodeBinary))]
    public void SetupOurs()
    {
        Setup();
        JitSettling.Settle(() => Ours_EncodeBinary());
    }

    /// <summary>Loads the tokenizers and the bytes.</summary>
    public void Setup()
    {
        _data = Input == "random"
            ? RandomBytes()
            : Directory.GetFiles(Path.Combine(Corpus.RepoRoot, "tests", "data", "binaries"), "*.bin").Order(StringComparer.Ordinal).SelectMany(File.ReadAllBytes).ToArray();
        _latin1 = System.Text.Encoding.Latin1.GetString(_data);
        _ours = FamilyBenchmarks.Load("binary-bpe-32k-it4");
        _ml = Implementations.Ml("o200k");
        _ids = new int[_data.Length];
    }

    /// <summary>Microsoft.ML.Tokenizers, o200k_base, on the bytes as Latin-1 text.</summary>
    [Benchmark(Baseline = true)]
    public int ML_O200k_Encode() => _ml.EncodeToIds(_latin1).Count;

    /// <summary>Ours: Binary BPE, bytes in, ids out.</summary>
    [Benchmark]
    public int Ours_EncodeBinary()
    {
        _ours.EncodeBinary(_data, _ids, out _, out int written);
        return written;
    }

    private static byte[] RandomBytes()
    {
        var bytes = new byte[Corpus.TargetBytes];
        new Random(20261123).NextBytes(bytes);
        return bytes;
    }
}
