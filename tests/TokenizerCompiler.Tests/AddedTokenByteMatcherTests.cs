using System;
using System.Linq;
using System.Text;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.HuggingFace;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The added-token matcher finds the leftmost, then longest, added token (the first declared on equal spellings),
/// whether it skips ahead with a vectorized search (few first bytes) or tests every byte (many, as KL3M has).
/// </summary>
public class AddedTokenByteMatcherTests
{
    [Theory]
    [InlineData("ab|abc|b|<x>")]                                   // 3 first bytes
    [InlineData("ab|abc|b|<x>| a|  |Co|Con|1|2|\n\n|é")]         // 10 first bytes
    [InlineData(" |  | a|\n|\n\n|1|12|(a)|<x|Co|é|b")]              // a space and a line break are tokens (KL3M-001)
    public void FindsWhatANaiveSearchFinds(string joined)
    {
        string[] spellings = joined.Split('|');
        var tokens = spellings.Select((s, i) => new AddedToken(100 + i, s, false, false, false, false, false))
            .Append(new AddedToken(999, "abc", false, false, false, false, false)) // a later duplicate never wins
            .ToList();
        var matcher = new AddedTokenByteMatcher(tokens);
        const string Alphabet = "abcCon<x> 12\né";
        var random = new Random(spellings.Length);
        for (int round = 0; round < 500; round++)
        {
            byte[] text = Encoding.UTF8.GetBytes(new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray()));
            for (int from = 0; from <= text.Length; from += 1 + random.Next(5))
            {
                int start = matcher.FindNext(text, from, out int length, out int id);
                (int Start, int Length, int Id) expected = Naive(tokens, text, from);
                Assert.Equal(expected, (start, length, id));
            }
        }
    }

    private static (int Start, int Length, int Id) Naive(System.Collections.Generic.List<AddedToken> tokens, byte[] text, int from)
    {
        for (int start = from; start < text.Length; start++)
        {
            AddedToken? best = null;
            int bestLength = 0;
            foreach (AddedToken token in tokens)
            {
                byte[] spelling = Encoding.UTF8.GetBytes(token.Content);
                if (spelling.Length > bestLength && text.AsSpan(start).StartsWith(spelling))
                {
                    best = token;
                    bestLength = spelling.Length;
                }
            }

            if (best is not null)
            {
                return (start, bestLength, best.Id);
            }
        }

        return (-1, 0, -1);
    }
}
