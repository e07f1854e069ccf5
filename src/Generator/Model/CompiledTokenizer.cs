namespace TokenizerCompiler.Generator.Model;

/// <summary>The expensive step's result: everything the emitter needs, with no Roslyn objects.</summary>
/// <param name="Declaration">The declaration.</param>
/// <param name="Image">The compiled tables; empty when compilation failed.</param>
/// <param name="VocabularySize">One more than the largest id.</param>
/// <param name="SpecialTokens">Special tokens as (text, id).</param>
/// <param name="Diagnostics">Problems to report.</param>
/// <param name="ResourceName">When the build step precompiled the vocabulary: the manifest resource holding the image.</param>
/// <param name="UnusedIdRanges">Ids below the vocabulary size that name no token, as inclusive (first, last) pairs; from the compilation or the build summary.</param>
internal sealed record CompiledTokenizer(
    TokenizerDeclaration Declaration,
    EquatableArray<byte> Image,
    int VocabularySize,
    EquatableArray<SpecialTokenInfo> SpecialTokens,
    EquatableArray<DiagnosticInfo> Diagnostics,
    string ResourceName = "",
    EquatableArray<int> UnusedIdRanges = default)
{
    /// <summary>Whether there is anything to emit.</summary>
    public bool HasTables => Image.Count > 0 || ResourceName.Length > 0;
}

/// <summary>A special token for emission.</summary>
internal sealed record SpecialTokenInfo(string Text, int Id);
