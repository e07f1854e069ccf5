using System.Linq;

namespace TokenizerCompiler.Generator.Model;

/// <summary>What one <c>[Tokenizer]</c> declaration says: where the class is and how to compile which file.</summary>
/// <param name="Namespace">The class's namespace, empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the enclosing types, outermost first (e.g. <c>partial class Outer</c>).</param>
/// <param name="TypeKeyword">The declaration's keywords up to the name (e.g. <c>static partial class</c>).</param>
/// <param name="ClassName">The class's name.</param>
/// <param name="VocabularyFile">The file name or relative path given to the attribute.</param>
/// <param name="Pattern">The Pattern argument, or null.</param>
/// <param name="Encoding">The Encoding argument, or null.</param>
/// <param name="AttributeLocation">Where the attribute is, for diagnostics.</param>
internal sealed record TokenizerDeclaration(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeKeyword,
    string ClassName,
    string VocabularyFile,
    string? Pattern,
    string? Encoding,
    LocationInfo? AttributeLocation)
{
    /// <summary>The hint-name stem: <c>{Namespace}.{Class}</c>.</summary>
    public string QualifiedName => (Namespace.Length == 0 ? string.Empty : Namespace + ".")
        + string.Join(".", ContainingTypes.Select(Last).ToArray()) + (ContainingTypes.Count == 0 ? string.Empty : ".") + ClassName;

    private static string Last(string declaration)
    {
        string[] parts = declaration.Split(' ');
        return parts[parts.Length - 1];
    }
}
