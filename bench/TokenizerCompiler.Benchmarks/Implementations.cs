using System;
using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;
using SharpToken;

namespace TokenizerCompiler.Benchmarks;

/// <summary>The tokenizers under test, created once per process and encoding ("o200k" or "cl100k").</summary>
public static class Implementations
{
    private static readonly ConcurrentDictionary<string, Tokenizer> OursCache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, TiktokenTokenizer> MlCache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, GptEncoding> SharpCache = new(StringComparer.Ordinal);

    /// <summary>TokenizerCompiler, compiled at run time from the repository's vocabulary file.</summary>
    public static Tokenizer Ours(string encoding) =>
        OursCache.GetOrAdd(encoding, static e => Tokenizer.FromVocabularyFile(Corpus.VocabularyPath(e)));

    /// <summary>Microsoft.ML.Tokenizers' TiktokenTokenizer (vocabulary from the Data.* packages).</summary>
    public static TiktokenTokenizer Ml(string encoding) =>
        MlCache.GetOrAdd(encoding, static e => TiktokenTokenizer.CreateForEncoding(Corpus.EncodingName(e)));

    /// <summary>SharpToken's GptEncoding.</summary>
    public static GptEncoding Sharp(string encoding) =>
        SharpCache.GetOrAdd(encoding, static e => GptEncoding.GetEncoding(Corpus.EncodingName(e)));
}
