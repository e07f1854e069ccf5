namespace TokenizerCompiler.Core.Diagnostics;

/// <summary>
/// A location inside a vocabulary file: a character offset and length plus the 0-based line and column of
/// its start, which is what both Roslyn (<c>LinePositionSpan</c>) and a command line error need.
/// </summary>
public readonly record struct SourceSpan(int Offset, int Length, int Line, int Column)
{
    /// <summary>A location that points at the start of the file (used when no better one exists).</summary>
    public static SourceSpan FileStart => new(0, 0, 0, 0);
}
