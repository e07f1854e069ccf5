namespace TokenizerCompiler.Core.Model;

/// <summary>
/// How text is split into pieces before the model sees it. Known patterns of real models run on
/// hand-written scanners at run time; anything else runs through a regular expression.
/// The numeric values are stored in compiled images: never renumber them.
/// </summary>
public enum PreTokenizerKind
{
    /// <summary>No split: the whole text (between special tokens) is one piece.</summary>
    None = 0,

    /// <summary>GPT-2's pattern, used by tiktoken's r50k_base and p50k_base.</summary>
    Gpt2 = 1,

    /// <summary>tiktoken's cl100k_base pattern (GPT-4, GPT-3.5).</summary>
    Cl100k = 2,

    /// <summary>tiktoken's o200k_base pattern (GPT-4o).</summary>
    O200k = 3,

    /// <summary>Qwen's pattern: cl100k's with single digits (<c>\p{N}</c> instead of <c>\p{N}{1,3}</c>).</summary>
    Qwen = 4,

    /// <summary>Any other pattern, run through System.Text.RegularExpressions (the slow path).</summary>
    Regex = 100,
}
