using System;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// Names the input (see <see cref="Corpus.Input"/>) a benchmark method runs on, for the MB/s column, when it is
/// not the <c>Text</c> parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InputAttribute(string name) : Attribute
{
    /// <summary>The input name.</summary>
    public string Name { get; } = name;
}
