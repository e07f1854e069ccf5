using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using TokenizerCompiler.Transfer;

namespace TokenizerCompiler.Transfer.Tests;

/// <summary>Real vocabularies from the repository, seeded random matrices, and temporary folders.</summary>
internal static class TransferTestData
{
    private static readonly ConcurrentDictionary<string, Tokenizer> s_tokenizers = new();

    public static string RepositoryRoot { get; } = FindRoot();

    public static string VocabularyPath(string encoding) => Path.Combine(RepositoryRoot, "vocabularies", "tiktoken", encoding + ".tiktoken");

    public static Tokenizer Tiktoken(string encoding) =>
        s_tokenizers.GetOrAdd(encoding, e => Tokenizer.FromVocabularyFile(VocabularyPath(e)));

    /// <summary>r50k_base as the source model's tokenizer.</summary>
    public static Tokenizer Source => Tiktoken("r50k_base");

    /// <summary>cl100k_base as the target tokenizer.</summary>
    public static Tokenizer Target => Tiktoken("cl100k_base");

    /// <summary>
    /// A spread of cl100k ids: every 61st ordinary id (copied and estimated tokens alike), the special tokens
    /// (&lt;|endoftext|&gt; has a role, the FIM markers have none) and an id between them that is no token.
    /// </summary>
    public static int[] TargetSubset { get; } = BuildSubset();

    /// <summary>A matrix of seeded standard-normal values.</summary>
    public static EmbeddingMatrix RandomMatrix(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var matrix = new EmbeddingMatrix(rows, columns);
        Span<float> values = matrix.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return matrix;
    }

    public static string NewTemporaryFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "tkc-transfer-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static int[] BuildSubset()
    {
        var ids = new List<int>();
        for (int id = 7; id < 100256; id += 61)
        {
            ids.Add(id);
        }

        ids.AddRange(new[] { 100256, 100257, 100258, 100276 });
        return ids.ToArray();
    }

    private static string FindRoot([CallerFilePath] string sourcePath = "")
    {
        string? folder = Path.GetDirectoryName(sourcePath);
        while (folder is not null && !File.Exists(Path.Combine(folder, "TokenizerCompiler.sln")))
        {
            folder = Path.GetDirectoryName(folder);
        }

        return folder ?? throw new InvalidOperationException("The repository root (TokenizerCompiler.sln) was not found above " + sourcePath);
    }
}
