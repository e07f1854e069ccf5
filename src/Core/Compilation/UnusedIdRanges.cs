using System.Collections.Generic;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.Compilation;

/// <summary>The ids below the vocabulary size that name neither a token nor a special token, as inclusive ranges.</summary>
public static class UnusedIdRanges
{
    /// <summary>Inclusive (first, last) pairs in ascending order.</summary>
    public static int[] Find(TokenizerDefinition definition)
    {
        int size = definition.VocabularySize;
        var special = new HashSet<int>();
        foreach (SpecialToken token in definition.SpecialTokens)
        {
            special.Add(token.Id);
        }

        var ranges = new List<int>();
        int start = -1;
        for (int id = 0; id <= size; id++)
        {
            bool unused = id < size && !special.Contains(id) && (id >= definition.Tokens.Count || definition.Tokens[id] is null);
            if (unused && start < 0)
            {
                start = id;
            }
            else if (!unused && start >= 0)
            {
                ranges.Add(start);
                ranges.Add(id - 1);
                start = -1;
            }
        }

        return ranges.ToArray();
    }
}
