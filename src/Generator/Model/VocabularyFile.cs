using System;

namespace TokenizerCompiler.Generator.Model;

/// <summary>
/// A vocabulary file's path and content, compared by path and a 64-bit content hash rather than by the
/// (megabytes of) text, so the cheap first pipeline step stays cached when the compiler server hands the
/// generator new AdditionalText objects for unchanged files.
/// </summary>
internal sealed class VocabularyFile : IEquatable<VocabularyFile>
{
    public VocabularyFile(string path, string text, ulong contentHash)
    {
        Path = path;
        Text = text;
        ContentHash = contentHash;
    }

    public string Path { get; }

    public string Text { get; }

    public ulong ContentHash { get; }

    public bool Equals(VocabularyFile? other) =>
        other is not null && other.ContentHash == ContentHash && string.Equals(other.Path, Path, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as VocabularyFile);

    public override int GetHashCode() => unchecked((int)ContentHash ^ StringComparer.Ordinal.GetHashCode(Path));
}
