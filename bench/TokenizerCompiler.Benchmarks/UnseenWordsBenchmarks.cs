using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Tokenizers;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// Text no cache has seen: each call encodes the next mebibyte of a 48 MiB stream of random lowercase words (3 to 11
/// letters, a space before each, a fixed seed), so nearly every word is merged from its bytes, by both libraries. The
/// other benchmarks encode the same mebibyte again and again, so there both libraries' caches answer most pieces; a
/// first pass over real text has some of this (names, identifiers, rare words), a stream like this nothing else.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Unseen")]
public class UnseenWordsBenchmarks
{
    private const int StreamChunks = 48;

    private static string? s_stream;

    private Tokenizer _ours = null!;
    private TiktokenTokenizer _ml = null!;
    private int[] _ids = [];
    private int _next;

    /// <summary>The vocabulary: o200k_base or cl100k_base.</summary>
    [Params("o200k", "cl100k")]
    public string Encoding { get; set; } = "o200k";

    /// <summary>A mebibyte of the stream's characters (all ASCII, so also its UTF-8 bytes).</summary>
    public static int ChunkChars => Corpus.TargetBytes;

    /// <summary>Loads our tokenizer and the stream.</summary>
    [GlobalSetup(Target = nameof(Ours_Encode))]
    public void SetupOurs()
    {
        _ours = Implementations.Ours(Encoding);
        _ids = new int[ChunkChars];
        s_stream ??= Words();
    }

    /// <summary>Loads ML.Tokenizers and the stream.</summary>
    [GlobalSetup(Target = nameof(ML_Encode))]
    public void SetupMl()
    {
        _ml = Implementations.Ml(Encoding);
        s_stream ??= Words();
    }

    /// <summary>Microsoft.ML.Tokenizers <c>EncodeToIds</c> on the next mebibyte.</summary>
    [Benchmark(Baseline = true)]
    [Input("unseen-words")]
    public int ML_Encode() => _ml.EncodeToIds(NextChunk()).Count;

    /// <summary>Ours, UTF-16 input, ids into a span, on the next mebibyte.</summary>
    [Benchmark]
    [Input("unseen-words")]
    public int Ours_Encode() => _ours.EncodeToIds(NextChunk(), _ids, SpecialTokenPolicy.TreatAsText);

    /// <summary>The next mebibyte of the stream, from the start again after the last (by then 47 MiB of other words have gone through the caches).</summary>
    private ReadOnlySpan<char> NextChunk()
    {
        int chunk = _next++ % StreamChunks;
        return s_stream.AsSpan(chunk * ChunkChars, ChunkChars);
    }

    /// <summary>The stream of random words.</summary>
    public static string Words()
    {
        var random = new Random(20261207);
        var text = new StringBuilder(StreamChunks * ChunkChars + 16);
        while (text.Length < StreamChunks * ChunkChars)
        {
            text.Append(' ');
            for (int letters = random.Next(3, 12); letters > 0; letters--)
            {
                text.Append((char)('a' + random.Next(26)));
            }
        }

        return text.ToString(0, StreamChunks * ChunkChars);
    }
}
