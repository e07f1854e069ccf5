using System;
using System.ComponentModel;

namespace TokenizerCompiler;

/// <summary>
/// Facts about a compiled tokenizer that the source generator puts on each generated class, so that the
/// package's analyzers can check token ids and special-token texts in user code against the vocabulary
/// without reading it. Not meant to be written by hand.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TokenizerFactsAttribute : Attribute
{
    /// <summary>Records the facts of one compiled tokenizer.</summary>
    /// <param name="vocabularySize">One more than the largest id.</param>
    /// <param name="specialTokenTexts">The special tokens' texts, parallel to <paramref name="specialTokenIds"/>.</param>
    /// <param name="specialTokenIds">The special tokens' ids.</param>
    /// <param name="unusedIdRanges">Ids below the vocabulary size that name no token, as inclusive (first, last) pairs.</param>
    public TokenizerFactsAttribute(int vocabularySize, string[] specialTokenTexts, int[] specialTokenIds, int[] unusedIdRanges)
    {
        VocabularySize = vocabularySize;
        SpecialTokenTexts = specialTokenTexts;
        SpecialTokenIds = specialTokenIds;
        UnusedIdRanges = unusedIdRanges;
    }

    /// <summary>One more than the largest id.</summary>
    public int VocabularySize { get; }

    /// <summary>The special tokens' texts, parallel to <see cref="SpecialTokenIds"/>.</summary>
    public string[] SpecialTokenTexts { get; }

    /// <summary>The special tokens' ids.</summary>
    public int[] SpecialTokenIds { get; }

    /// <summary>Ids below the vocabulary size that name no token, as inclusive (first, last) pairs; empty when unknown.</summary>
    public int[] UnusedIdRanges { get; }
}
