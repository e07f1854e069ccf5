using System;

namespace TokenizerCompiler;

/// <summary>
/// Declares a compiled tokenizer: the source generator reads the named vocabulary file (added to the
/// project as <c>&lt;TokenizerVocabulary Include="..." /&gt;</c>), builds its tables at compile time and adds a
/// <c>Tokenizer</c> property, a <c>VocabularySize</c> constant and a <c>SpecialTokens</c> class to the
/// partial class it is applied to.
/// </summary>
/// <example>
/// <code>
/// [Tokenizer("o200k_base.tiktoken", Pattern = "o200k")]
/// public static partial class O200k;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class TokenizerAttribute : Attribute
{
    /// <summary>Declares a tokenizer compiled from <paramref name="vocabularyFile"/> (a file name or a path relative to the project).</summary>
    public TokenizerAttribute(string vocabularyFile)
    {
        VocabularyFile = vocabularyFile;
    }

    /// <summary>The vocabulary file.</summary>
    public string VocabularyFile { get; }

    /// <summary>
    /// The split pattern: a known name (<c>o200k</c>, <c>cl100k</c>, <c>p50k</c>, <c>r50k</c>, <c>gpt2</c>) or a regular
    /// expression. Inferred from the file name for the standard tiktoken files.
    /// </summary>
    public string? Pattern { get; set; }

    /// <summary>The tiktoken encoding whose special tokens apply (e.g. <c>cl100k_base</c>); inferred from the file name when absent.</summary>
    public string? Encoding { get; set; }
}
