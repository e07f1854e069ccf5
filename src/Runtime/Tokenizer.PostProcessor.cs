using System;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// The ids a Hugging Face post-processor puts before one sequence when special tokens are asked for
    /// (TemplateProcessing's <c>single</c> template, RobertaProcessing / BertProcessing's <c>cls</c>, a SentencePiece
    /// model's <c>&lt;s&gt;</c>); empty for tiktoken vocabularies, which add none.
    /// </summary>
    public ReadOnlySpan<int> SpecialTokensBefore => _prefixIds;

    /// <summary>The ids the post-processor puts after one sequence (for example <c>&lt;|end|&gt;</c> or <c>sep</c>).</summary>
    public ReadOnlySpan<int> SpecialTokensAfter => _suffixIds;

    /// <summary>
    /// Encodes <paramref name="text"/> and, when <paramref name="addSpecialTokens"/> is true, surrounds the ids with the
    /// post-processor's special tokens, as Hugging Face's <c>encode(text, add_special_tokens=True)</c> does.
    /// </summary>
    public int[] EncodeToIds(string text, bool addSpecialTokens, SpecialTokenPolicy policy = SpecialTokenPolicy.Disallow)
    {
        int[] ids = EncodeToIds(text, policy);
        if (!addSpecialTokens || (_prefixIds.Length == 0 && _suffixIds.Length == 0))
        {
            return ids;
        }

        var result = new int[_prefixIds.Length + ids.Length + _suffixIds.Length];
        _prefixIds.CopyTo(result, 0);
        ids.CopyTo(result, _prefixIds.Length);
        _suffixIds.CopyTo(result, _prefixIds.Length + ids.Length);
        return result;
    }

    private static int[] ValidIds(TokenizerTables tables, System.Collections.Generic.IReadOnlyList<int> ids)
    {
        var result = new int[ids.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = ids[i];
            if ((uint)result[i] >= (uint)tables.VocabularySize)
            {
                throw new InvalidTokenizerImageException($"post-processor id {result[i]} is outside the vocabulary");
            }
        }

        return result;
    }
}
