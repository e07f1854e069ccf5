using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// Builds the benchmark inputs from <c>tests/data/corpus/*.txt</c>: about 1 MiB of UTF-8 per category, made by
/// concatenating the category's files (a proportional prefix of each when they are larger than that, whole
/// files repeated when they are smaller). Deterministic, so the host process and the benchmark processes agree
/// on the input sizes used by the MB/s column.
/// </summary>
public static class Corpus
{
    /// <summary>Target input size in UTF-8 bytes.</summary>
    public const int TargetBytes = 1 << 20;

    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);
    private static string? s_root;

    /// <summary>The text categories used as <c>[Params]</c>.</summary>
    public static readonly string[] Categories = ["prose", "code", "legal", "mixed"];

    /// <summary>The repository root: the first ancestor of the app's base directory that holds TokenizerCompiler.sln.</summary>
    public static string RepoRoot
    {
        get
        {
            if (s_root is not null)
            {
                return s_root;
            }

            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TokenizerCompiler.sln")))
                {
                    return s_root = dir.FullName;
                }
            }

            throw new InvalidOperationException($"TokenizerCompiler.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Path of a tiktoken vocabulary file for "o200k" or "cl100k".</summary>
    public static string VocabularyPath(string encoding) =>
        Path.Combine(RepoRoot, "vocabularies", "tiktoken", EncodingName(encoding) + ".tiktoken");

    /// <summary>"o200k" → "o200k_base".</summary>
    public static string EncodingName(string encoding) => encoding switch
    {
        "o200k" => "o200k_base",
        "cl100k" => "cl100k_base",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Expected o200k or cl100k."),
    };

    /// <summary>Whether a corpus file (by name without extension) belongs to a category.</summary>
    public static bool InCategory(string category, string name) => category switch
    {
        "prose" => name.StartsWith("prose-en-", StringComparison.Ordinal),
        "code" => name.StartsWith("code-", StringComparison.Ordinal),
        "legal" => name.StartsWith("legal-", StringComparison.Ordinal),
        "mixed" => name.StartsWith("cjk-", StringComparison.Ordinal)
            || name.StartsWith("mixed-", StringComparison.Ordinal)
            || name is "arabic" or "hindi" or "thai" or "russian" or "greek" or "hebrew",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown category."),
    };

    /// <summary>The corpus files of a category, sorted by name.</summary>
    public static IReadOnlyList<string> Files(string category)
    {
        string dir = Path.Combine(RepoRoot, "tests", "data", "corpus");
        string[] files = Directory.GetFiles(dir, "*.txt")
            .Where(f => InCategory(category, Path.GetFileNameWithoutExtension(f)))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"No corpus files for category '{category}' in {dir}.");
        }

        return files;
    }

    /// <summary>About <see cref="TargetBytes"/> UTF-8 bytes of the category's text (never more).</summary>
    public static string Text(string category) => Cache.GetOrAdd(category, static c => Build(c));

    /// <summary>
    /// Special inputs: "a" (1 MiB of 'a'), "a-100k" (100 KiB of 'a'), "nospace" (the prose input with all
    /// whitespace removed, then repeated up to 1 MiB), or a category name.
    /// </summary>
    public static string Input(string name) => Cache.GetOrAdd("input:" + name, static key =>
    {
        string n = key["input:".Length..];
        return n switch
        {
            "a" => new string('a', TargetBytes),
            "a-100k" => new string('a', 100 * 1024),
            "nospace" => Repeat(RemoveWhitespace(Text("prose"))),
            _ => Text(n),
        };
    });

    /// <summary>UTF-8 size of an input, for throughput columns (a mebibyte of ASCII words for "unseen-words", see <see cref="UnseenWordsBenchmarks"/>).</summary>
    public static int Utf8Length(string input) => input == "unseen-words" ? UnseenWordsBenchmarks.ChunkChars : Encoding.UTF8.GetByteCount(Input(input));

    private static string Build(string category)
    {
        string[] texts = Files(category).Select(File.ReadAllText).ToArray();
        long total = texts.Sum(t => (long)Encoding.UTF8.GetByteCount(t));
        if (total <= TargetBytes)
        {
            return Repeat(string.Concat(texts));
        }

        // Larger than the target: a proportional prefix of every file, so that every script is represented.
        var sb = new StringBuilder();
        foreach (string t in texts)
        {
            int share = (int)((long)TargetBytes * Encoding.UTF8.GetByteCount(t) / total);
            sb.Append(Utf8Prefix(t, share));
        }

        return sb.ToString();
    }

    private static string Repeat(string text)
    {
        var sb = new StringBuilder();
        int bytes = 0;
        int unit = Encoding.UTF8.GetByteCount(text);
        while (bytes + unit <= TargetBytes)
        {
            sb.Append(text);
            bytes += unit;
        }

        sb.Append(Utf8Prefix(text, TargetBytes - bytes));
        return sb.ToString();
    }

    /// <summary>The longest prefix of <paramref name="text"/> of at most <paramref name="maxBytes"/> UTF-8 bytes, not splitting a surrogate pair.</summary>
    private static string Utf8Prefix(string text, int maxBytes)
    {
        int bytes = 0;
        int i = 0;
        while (i < text.Length)
        {
            int width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            int b = Encoding.UTF8.GetByteCount(text.AsSpan(i, width));
            if (bytes + b > maxBytes)
            {
                break;
            }

            bytes += b;
            i += width;
        }

        return text[..i];
    }

    private static string RemoveWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
