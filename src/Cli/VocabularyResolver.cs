using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using TokenizerCompiler.Core.Compilation;
using TokenizerCompiler.Core.Diagnostics;

namespace TokenizerCompiler.CommandLine;

/// <summary>What <c>--vocab</c> resolved to: a file, and whether it is a compiled image or a vocabulary to compile.</summary>
internal sealed record VocabularySource(string Path, bool IsImage);

/// <summary>
/// Turns the <c>--vocab</c> value into a file and a <see cref="Tokenizer"/>. The value is a path to a
/// <c>.tiktoken</c> file, a path to a compiled image (<c>tkc compile</c> output), or the name of one of the
/// repository's tiktoken vocabularies (<c>o200k_base</c>, ...), looked up under <c>TKC_VOCABULARIES</c> or the
/// repository's <c>vocabularies/tiktoken/</c> folder.
/// </summary>
internal static class VocabularyResolver
{
    public const string DefaultVocabulary = "o200k_base";

    public const string EnvironmentVariable = "TKC_VOCABULARIES";

    public static readonly IReadOnlyList<string> KnownNames = new[] { "o200k_base", "cl100k_base", "p50k_base", "r50k_base" };

    // Compiling o200k_base from text takes a noticeable fraction of a second; tokenizers are immutable, so
    // in-process callers (the tests, or a host that runs several commands) share them. Keyed on the file's
    // identity and timestamp so an edited file is recompiled.
    private static readonly ConcurrentDictionary<(string Path, DateTime Written, long Length, string? Pattern, string? Encoding, string? Normalizer), Tokenizer> s_cache = new();

    public static VocabularySource Resolve(string? vocab)
    {
        vocab ??= DefaultVocabulary;
        if (vocab.Length == 0)
        {
            throw new UsageException("--vocab needs a file path or a vocabulary name");
        }

        if (File.Exists(vocab))
        {
            return new VocabularySource(vocab, IsImageFile(vocab));
        }

        string? name = KnownName(vocab);
        if (name is not null)
        {
            return new VocabularySource(FindNamedVocabulary(name), IsImage: false);
        }

        if (Directory.Exists(vocab))
        {
            throw new CliException($"vocabulary '{vocab}' is a directory, not a file");
        }

        throw new CliException($"vocabulary file '{vocab}' not found (give a .tiktoken file, a tokenizer.json, a vocab.json, a compiled .tkc image, or one of: {string.Join(", ", KnownNames)})");
    }

    /// <summary>Loads the tokenizer; <paramref name="pattern"/> and <paramref name="encoding"/> only apply to vocabularies that are compiled here.</summary>
    public static Tokenizer Load(VocabularySource source, string? pattern, string? encoding) => Load(source, pattern, encoding, null);

    /// <summary>Loads the tokenizer; <paramref name="normalizer"/> applies to a vocab.json compiled here.</summary>
    public static Tokenizer Load(VocabularySource source, string? pattern, string? encoding, string? normalizer)
    {
        if (source.IsImage)
        {
            if (pattern is not null || encoding is not null || normalizer is not null)
            {
                throw new UsageException($"--pattern, --encoding and --normalizer apply when compiling a vocabulary; '{source.Path}' is already a compiled image");
            }

            return s_cache.GetOrAdd(CacheKey(source.Path, null, null, null), _ => LoadImage(source.Path));
        }

        return s_cache.GetOrAdd(CacheKey(source.Path, pattern, encoding, normalizer), _ => CompileVocabulary(source.Path, pattern, encoding, normalizer));
    }

    public static Tokenizer Load(string? vocab, string? pattern, string? encoding) => Load(vocab, pattern, encoding, null);

    /// <summary>Loads a vocabulary by path or name; <paramref name="normalizer"/> applies to a vocab.json.</summary>
    public static Tokenizer Load(string? vocab, string? pattern, string? encoding, string? normalizer)
    {
        // The default vocabulary is compiled into tkc itself (by the same build step and generator a user's
        // project gets), so the main job needs no vocabulary file and builds no tables at start.
        bool defaultVocabulary = vocab is null || (KnownName(vocab) == DefaultVocabulary && !File.Exists(vocab));
        if (defaultVocabulary && pattern is null && encoding is null && normalizer is null)
        {
            return EmbeddedVocabulary.Tokenizer;
        }

        return Load(Resolve(vocab), pattern, encoding, normalizer);
    }

    /// <summary>Where the named vocabularies live: <c>TKC_VOCABULARIES</c>, else the repository above the executable (or the current directory).</summary>
    public static IEnumerable<string> CandidateDirectories()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            yield return fromEnvironment;
            yield return Path.Combine(fromEnvironment, "tiktoken");
        }

        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            string? root = FindRepositoryRoot(start);
            if (root is not null)
            {
                yield return Path.Combine(root, "vocabularies", "tiktoken");
            }
        }
    }

    private static string FindNamedVocabulary(string name)
    {
        var searched = new List<string>();
        foreach (string directory in CandidateDirectories())
        {
            string candidate = Path.Combine(directory, name + ".tiktoken");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            searched.Add(directory);
        }

        string where = searched.Count == 0 ? "no vocabulary folder was found" : "looked in " + string.Join(", ", searched);
        throw new CliException($"vocabulary '{name}' not found: {where}. Set {EnvironmentVariable} to the folder holding {name}.tiktoken, " +
            "or run vocabularies/restore-tiktoken.sh in the repository.");
    }

    private static string? FindRepositoryRoot(string start)
    {
        string? directory = Path.GetFullPath(start);
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory, "TokenizerCompiler.sln")))
            {
                return directory;
            }

            directory = Path.GetDirectoryName(directory);
        }

        return null;
    }

    private static string? KnownName(string vocab)
    {
        foreach (string name in KnownNames)
        {
            if (string.Equals(vocab, name, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(vocab, name + ".tiktoken", StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Images are recognised by their magic bytes, not their extension, so a renamed image still loads.</summary>
    public static bool IsImageFile(string path)
    {
        Span<byte> magic = stackalloc byte[8];
        try
        {
            using FileStream stream = File.OpenRead(path);
            int read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            return read == magic.Length && BitConverter.ToUInt64(magic) == Core.Tables.ImageFormat.Magic;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static Tokenizer LoadImage(string path)
    {
        try
        {
            return Tokenizer.OpenImageFile(path);
        }
        catch (InvalidTokenizerImageException e)
        {
            throw new CliException($"'{path}' is not a valid tokenizer image: {e.Message}");
        }
    }

    private static Tokenizer CompileVocabulary(string path, string? pattern, string? encoding, string? normalizer)
    {
        try
        {
            return Tokenizer.FromVocabularyFile(path, new CompileOptions(VocabularyFormat.Auto, pattern, encoding, normalizer));
        }
        catch (VocabularyException e)
        {
            // One diagnostic per line, in the compiler format (path(line,col): error TKCnnnn: message).
            var lines = new List<string> { $"the vocabulary '{path}' could not be compiled:" };
            foreach (CompilerDiagnostic diagnostic in e.Diagnostics)
            {
                lines.Add(diagnostic.ToString());
            }

            throw new CliException(string.Join(Environment.NewLine, lines));
        }
    }

    private static (string, DateTime, long, string?, string?, string?) CacheKey(string path, string? pattern, string? encoding, string? normalizer)
    {
        var info = new FileInfo(path);
        return (info.FullName, info.LastWriteTimeUtc, info.Length, pattern, encoding, normalizer);
    }
}
