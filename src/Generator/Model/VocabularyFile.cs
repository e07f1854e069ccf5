using System;

namespace TokenizerCompiler.Generator.Model;

/// <summary>
/// A vocabulary file's path and content, compared by path and a 64-bit content hash rather than by the
/// (megabytes of) text, so the cheap first pipeline step stays cached when the compiler server hands the
/// generator new AdditionalText objects for unchanged files.
/// </summary>
internal sealed class VocabularyFile : IEquatable<VocabularyFile>
{
    public VocabularyFile(string path, string matchPath, string text, ulong contentHash)
    {
        Path = path;
        MatchPath = matchPath;
        Text = text;
        ContentHash = contentHash;
    }

    public string Path { get; }

    /// <summary>The path a declaration's file name is matched against: the vocabulary a build summary describes, else <see cref="Path"/>.</summary>
    public string MatchPath { get; }

    /// <summary>Whether this is a build step's summary of a precompiled vocabulary rather than the vocabulary itself.</summary>
    public bool IsSummary => Path.EndsWith(SummaryExtension, StringComparison.OrdinalIgnoreCase);

    /// <summary>The extension of the build step's summaries.</summary>
    public const string SummaryExtension = ".tkc-summary";

    public string Text { get; }

    public ulong ContentHash { get; }

    public bool Equals(VocabularyFile? other) =>
        other is not null && other.ContentHash == ContentHash && string.Equals(other.Path, Path, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as VocabularyFile);

    public override int GetHashCode() => unchecked((int)ContentHash ^ StringComparer.Ordinal.GetHashCode(Path));
}
