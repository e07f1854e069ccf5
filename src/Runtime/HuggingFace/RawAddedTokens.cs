using System.Collections.Generic;
using System.Linq;
using TokenizerCompiler.Core.HuggingFace;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// The added tokens of a pipeline whose fast path finds them all on the raw UTF-8 text (the word-by-word and the
/// whole-stretch paths): one byte trie over all of them, one over the ordinary ones, picked by the policy.
/// </summary>
internal sealed class RawAddedTokens
{
    private readonly AddedTokenByteMatcher _all, _ordinary;

    public RawAddedTokens(IReadOnlyList<AddedToken> added)
    {
        _all = new AddedTokenByteMatcher(added);
        _ordinary = new AddedTokenByteMatcher(added.Where(t => !t.Special));
    }

    /// <summary>
    /// Whether every token of <paramref name="added"/> is matched on the raw text as it is: none matched on the
    /// normalized text, none that strips whitespace around it or stands only as a whole word (the general path's).
    /// </summary>
    public static bool AllPlain(IReadOnlyList<AddedToken> added) => added.All(t => !t.Normalized && !t.LStrip && !t.RStrip && !t.SingleWord);

    /// <summary>The matcher for <paramref name="policy"/>: special tokens too only under <see cref="SpecialTokenPolicy.Allow"/>.</summary>
    public AddedTokenByteMatcher For(SpecialTokenPolicy policy) => policy == SpecialTokenPolicy.Allow ? _all : _ordinary;
}
