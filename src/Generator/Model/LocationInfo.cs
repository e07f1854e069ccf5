using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TokenizerCompiler.Generator.Model;

/// <summary>A Roslyn-free, equatable copy of a location, so a cached model never holds a syntax tree.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
