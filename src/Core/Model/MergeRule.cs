namespace TokenizerCompiler.Core.Model;

/// <summary>One BPE merge: the adjacent symbols <paramref name="Left"/> and <paramref name="Right"/> become <paramref name="Result"/>.</summary>
/// <param name="Left">The left symbol's id.</param>
/// <param name="Right">The right symbol's id.</param>
/// <param name="Result">The merged token's id.</param>
public readonly record struct MergeRule(int Left, int Right, int Result);
