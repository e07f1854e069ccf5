using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Tokenizers;
using SharpToken;

namespace TokenizerCompiler.Benchmarks;

/// <summary>Parameters and inputs shared by the corpus benchmarks: encoding × text category, ~1 MiB each.</summary>
public abstract class CorpusBenchmarkBase
{
    /// <summary>The vocabulary: o200k_base or cl100k_base.</summary>
    [Params("o200k", "cl100k")]
    public string Encoding { get; set; } = "o200k";

    /// <summary>The text category (see <see cref="Corpus.Categories"/>).</summary>
    [Params("prose", "code", "legal", "mixed")]
    public string Text { get; set; } = "prose";

    /// <summary>The input as a string.</summary>
    protected string InputText { get; private set; } = "";

    /// <summary>The input as UTF-8.</summary>
    protected byte[] InputUtf8 { get; private set; } = [];

    /// <summary>Loads the input for the current parameters.</summary>
    protected void LoadInput()
    {
        InputText = Corpus.Input(Text);
        InputUtf8 = System.Text.Encoding.UTF8.GetBytes(InputText);
    }
}

/// <summary>Encoding text to ids: ours (UTF-16 and UTF-8 input, into a caller's span) vs ML.Tokenizers vs SharpToken.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Encode")]
public class EncodeBenchmarks : CorpusBenchmarkBase
{
    private Tokenizer _ours = null!;
    private TiktokenTokenizer _ml = null!;
    private GptEncoding _sharp = null!;
    private int[] _ids = [];

    /// <summary>Loads our tokenizer and sizes the destination (one id per UTF-8 byte at most).</summary>
    [GlobalSetup(Targets = new[] { nameof(Ours_EncodeUtf16), nameof(Ours_EncodeUtf8) })]
    public void SetupOurs()
    {
        LoadInput();
        _ours = Implementations.Ours(Encoding);
        _ids = new int[InputUtf8.Length];
    }

    /// <summary>Loads ML.Tokenizers.</summary>
    [GlobalSetup(Target = nameof(ML_Encode))]
    public void SetupMl()
    {
        LoadInput();
        _ml = Implementations.Ml(Encoding);
    }

    /// <summary>Loads SharpToken.</summary>
    [GlobalSetup(Target = nameof(SharpToken_Encode))]
    public void SetupSharp()
    {
        LoadInput();
        _sharp = Implementations.Sharp(Encoding);
    }

    /// <summary>Microsoft.ML.Tokenizers <c>EncodeToIds(string)</c>.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public int ML_Encode() => _ml.EncodeToIds(InputText).Count;

    /// <summary>Ours, UTF-16 input, ids into a span.</summary>
    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int Ours_EncodeUtf16() => _ours.EncodeToIds(InputText.AsSpan(), _ids, SpecialTokenPolicy.TreatAsText);

    /// <summary>Ours, UTF-8 input, ids into a span.</summary>
    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int Ours_EncodeUtf8() => _ours.EncodeToIds(InputUtf8, _ids, SpecialTokenPolicy.TreatAsText);

    /// <summary>SharpToken <c>Encode(string)</c>.</summary>
    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int SharpToken_Encode() => _sharp.Encode(InputText).Count;
}

/// <summary>Counting tokens without materialising them.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Count")]
public class CountBenchmarks : CorpusBenchmarkBase
{
    private Tokenizer _ours = null!;
    private TiktokenTokenizer _ml = null!;

    /// <summary>Loads our tokenizer.</summary>
    [GlobalSetup(Target = nameof(Ours_Count))]
    public void SetupOurs()
    {
        LoadInput();
        _ours = Implementations.Ours(Encoding);
    }

    /// <summary>Loads ML.Tokenizers.</summary>
    [GlobalSetup(Target = nameof(ML_Count))]
    public void SetupMl()
    {
        LoadInput();
        _ml = Implementations.Ml(Encoding);
    }

    /// <summary>Microsoft.ML.Tokenizers <c>CountTokens(string)</c>.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Count")]
    public int ML_Count() => _ml.CountTokens(InputText);

    /// <summary>Ours, UTF-16 input.</summary>
    [Benchmark]
    [BenchmarkCategory("Count")]
    public int Ours_Count() => _ours.CountTokens(InputText.AsSpan(), SpecialTokenPolicy.TreatAsText);
}

/// <summary>Truncation: the index of the longest prefix that fits a budget of half the text's tokens.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("GetIndexByTokenCount")]
public class GetIndexByTokenCountBenchmarks : CorpusBenchmarkBase
{
    private Tokenizer _ours = null!;
    private TiktokenTokenizer _ml = null!;
    private int _budget;

    /// <summary>Loads our tokenizer; the budget is half the token count.</summary>
    [GlobalSetup(Target = nameof(Ours_GetIndexByTokenCount))]
    public void SetupOurs()
    {
        LoadInput();
        _ours = Implementations.Ours(Encoding);
        _budget = _ours.CountTokens(InputText.AsSpan(), SpecialTokenPolicy.TreatAsText) / 2;
    }

    /// <summary>Loads ML.Tokenizers; the budget is half the token count.</summary>
    [GlobalSetup(Target = nameof(ML_GetIndexByTokenCount))]
    public void SetupMl()
    {
        LoadInput();
        _ml = Implementations.Ml(Encoding);
        _budget = _ml.CountTokens(InputText) / 2;
    }

    /// <summary>Microsoft.ML.Tokenizers <c>GetIndexByTokenCount(string, int, out string?, out int)</c>.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("GetIndexByTokenCount")]
    public int ML_GetIndexByTokenCount() => _ml.GetIndexByTokenCount(InputText, _budget, out _, out int _);

    /// <summary>Ours, UTF-16 input.</summary>
    [Benchmark]
    [BenchmarkCategory("GetIndexByTokenCount")]
    public int Ours_GetIndexByTokenCount() => _ours.GetIndexByTokenCount(InputText.AsSpan(), _budget, out _, SpecialTokenPolicy.TreatAsText);
}

/// <summary>Decoding the ids of the input back to text.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Decode")]
public class DecodeBenchmarks : CorpusBenchmarkBase
{
    private Tokenizer _ours = null!;
    private TiktokenTokenizer _ml = null!;
    private int[] _ids = [];
    private byte[] _bytes = [];
    private char[] _chars = [];

    /// <summary>Encodes the input with our tokenizer and sizes the destinations.</summary>
    [GlobalSetup(Targets = new[] { nameof(Ours_DecodeToUtf8), nameof(Ours_DecodeToChars), nameof(Ours_Decode) })]
    public void SetupOurs()
    {
        LoadInput();
        _ours = Implementations.Ours(Encoding);
        _ids = _ours.EncodeToIds(InputText, SpecialTokenPolicy.TreatAsText);
        _bytes = new byte[InputUtf8.Length];
        _chars = new char[InputText.Length];
    }

    /// <summary>Encodes the input with ML.Tokenizers.</summary>
    [GlobalSetup(Target = nameof(ML_Decode))]
    public void SetupMl()
    {
        LoadInput();
        _ml = Implementations.Ml(Encoding);
        _ids = [.. _ml.EncodeToIds(InputText)];
    }

    /// <summary>Microsoft.ML.Tokenizers <c>Decode(IEnumerable&lt;int&gt;)</c> to a string.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public int ML_Decode() => _ml.Decode(_ids).Length;

    /// <summary>Ours to UTF-8 bytes in a span.</summary>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int Ours_DecodeToUtf8()
    {
        _ours.DecodeToUtf8(_ids, _bytes, out _, out int written);
        return written;
    }

    /// <summary>Ours to a new string: the same job as ML.Tokenizers' <c>Decode</c>, allocation included.</summary>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int Ours_Decode() => _ours.Decode(_ids).Length;

    /// <summary>Ours to UTF-16 chars in a span.</summary>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int Ours_DecodeToChars()
    {
        _ours.DecodeToChars(_ids, _chars, out _, out int written);
        return written;
    }
}
