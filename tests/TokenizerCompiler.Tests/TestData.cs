using System;
using System.Collections.Concurrent;
using System.IO;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace TokenizerCompiler.Tests;

/// <summary>Locates the repository's committed test data and vocabularies, and caches compiled tokenizers.</summary>
internal static class TestData
{
    private static readonly ConcurrentDictionary<string, Tokenizer> s_tokenizers = new();

    public static string RepositoryRoot { get; } = FindRoot();

    public static string CorpusDirectory => Path.Combine(RepositoryRoot, "tests", "data", "corpus");

    public static string TiktokenGoldens => Path.Combine(RepositoryRoot, "tests", "data", "goldens", "tiktoken");

    public static string VocabularyPath(string encoding) => Path.Combine(RepositoryRoot, "vocabularies", "tiktoken", encoding + ".tiktoken");

    /// <summary>The shared vocabularies folder beside the project root (present in CI).</summary>
    public static string SharedVocabularies => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "vocabularies"));

    public static Tokenizer Tiktoken(string encoding) =>
        s_tokenizers.GetOrAdd(encoding, e => Tokenizer.FromVocabularyFile(VocabularyPath(e)));

    public static int[] ReadIds(string gzipPath)
    {
        using var input = new GZipStream(File.OpenRead(gzipPath), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        input.CopyTo(memory);
        byte[] bytes = memory.ToArray();
        var ids = new int[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, ids, 0, ids.Length * 4);
        return ids;
    }

    private static string FindRoot([CallerFilePath] string sourcePath = "")
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory, "TokenizerCompiler.sln")))
            {
                return directory;
            }

            directory = Path.GetDirectoryName(directory);
        }

        throw new InvalidOperationException("Cannot find the repository root (TokenizerCompiler.sln) above " + AppContext.BaseDirectory);
    }
}
