namespace TokenizerCompiler.Core.Compilation;

/// <summary>The file formats the compiler reads.</summary>
public enum VocabularyFormat
{
    /// <summary>Decide from the file name.</summary>
    Auto = 0,

    /// <summary>A tiktoken rank file (<c>.tiktoken</c>).</summary>
    Tiktoken = 1,
}
