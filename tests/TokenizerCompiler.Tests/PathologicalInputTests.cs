using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Long single pieces and degenerate inputs, checked for correctness (not speed): round trips, and the merge result
/// against an independent, deliberately naive implementation of tiktoken's <c>byte_pair_merge</c>. Pieces longer than
/// the engine's small-piece limit (64 bytes) take its heap-based path, so this cross-checks that path.
/// </summary>
public class PathologicalInputTests
{
    /// <summary>
    /// tiktoken's byte_pair_merge, straightforwardly: start from single bytes; repeatedly find the adjacent pair whose
    /// concatenation is a token with the lowest rank (id), leftmost on ties, and merge it; stop when no pair is a token.
    /// </summary>
    internal static int[] ReferenceMerge(Tokenizer tokenizer, byte[] piece)
    {
        if (tokenizer.TryGetTokenId(piece, out int whole))
        {
            return new[] { whole };
        }

        var starts = Enumerable.Range(0, piece.Length + 1).ToList(); // part i is [starts[i], starts[i+1])
        int Rank(int i) => i + 2 < starts.Count && tokenizer.TryGetTokenId(piece.AsSpan(starts[i], starts[i + 2] - starts[i]), out int id) ? id : int.MaxValue;
        var ranks = Enumerable.Range(0, starts.Count - 1).Select(Rank).ToList(); // ranks[i]: merge of part i and i+1
        while (true)
        {
            int best = -1;
            for (int i = 0; i < ranks.Count; i++)
            {
                if (ranks[i] != int.MaxValue && (best < 0 || ranks[i] < ranks[best]))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            starts.RemoveAt(best + 1);
            ranks.RemoveAt(best + 1);
            ranks[best] = Rank(best);
            if (best > 0)
            {
                ranks[best - 1] = Rank(best - 1);
            }
        }

        var ids = new int[starts.Count - 1];
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.True(tokenizer.TryGetTokenId(piece.AsSpan(starts[i], starts[i + 1] - starts[i]), out ids[i]), "every single byte is a token");
        }

        return ids;
    }

    private static string RandomLetters(Random random, int length, string alphabet) =>
        new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

    public static IEnumerable<object[]> SinglePieces() =>
        from encoding in new[] { "o200k_base", "cl100k_base", "r50k_base" }
        from name in s_pieces.Value.Keys
        select new object[] { encoding, name };

    private static string PieceText(string name) => s_pieces.Value[name];

    private static readonly Lazy<Dictionary<string, string>> s_pieces = new(() =>
    {
        var random = new Random(20240601);
        string cjk = EngineTestSupport.Corpus("cjk-zh");
        return new Dictionary<string, string>
        {
            ["a*5000"] = new string('a', 5000),
            ["a*65"] = new string('a', 65),
            ["a*64"] = new string('a', 64),
            ["ab*2500"] = string.Concat(Enumerable.Repeat("ab", 2500)),
            ["abc*1001"] = string.Concat(Enumerable.Repeat("abc", 1001)),
            ["random-lower-3000"] = RandomLetters(random, 3000, "abcdefghijklmnopqrstuvwxyz"),
            ["random-aeiou-3000"] = RandomLetters(random, 3000, "aeioun"),
            ["random-lower-70"] = RandomLetters(random, 70, "abcdefghijklmnopqrstuvwxyz"),
            ["cjk-run-2000"] = new string(cjk.Where(c => c >= '\u4E00' && c <= '\u9FFF').Take(2000).ToArray()),
            ["hangul-run-1500"] = new string(EngineTestSupport.Corpus("cjk-ko").Where(c => c >= '\uAC00' && c <= '\uD7A3').Take(1500).ToArray()),
            ["thai-run-1500"] = new string(EngineTestSupport.Corpus("thai").Where(c => c >= '\u0E01' && c <= '\u0E30').Take(1500).ToArray()),
            ["digits-like-letters"] = string.Concat(Enumerable.Repeat("xyzzy", 700)),
        };
    });

    [Theory]
    [MemberData(nameof(SinglePieces))]
    public void LongPieceMatchesReferenceMerge(string encoding, string name)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string text = PieceText(name);
        Assert.True(text.Length >= 64, name);

        // Make sure the text really is one pre-token under this encoding's pattern (tiktoken's regex, run by .NET).
        Match match = new Regex(tokenizer.Pattern).Match(text);
        if (!(match.Success && match.Index == 0 && match.Length == text.Length))
        {
            // Not one piece here (e.g. r50k splits CJK); compare piece by piece instead.
            var expectedIds = new List<int>();
            foreach (Match m in new Regex(tokenizer.Pattern).Matches(text))
            {
                expectedIds.AddRange(ReferenceMerge(tokenizer, Encoding.UTF8.GetBytes(m.Value)));
            }

            EngineTestSupport.SameIds(tokenizer, expectedIds.ToArray(), tokenizer.EncodeToIds(text), name + " (pieces)");
            return;
        }

        int[] expected = ReferenceMerge(tokenizer, Encoding.UTF8.GetBytes(text));
        int[] actual = tokenizer.EncodeToIds(text);
        EngineTestSupport.SameIds(tokenizer, expected, actual, name);
        Assert.Equal(text, tokenizer.Decode(actual));
        Assert.Equal(expected.Length, tokenizer.CountTokens(text));
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    [InlineData("p50k_base")]
    public void ShortPiecesMatchReferenceMerge(string encoding)
    {
        // Many words and runs from the corpus, short and long, through both merge paths.
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        var regex = new Regex(tokenizer.Pattern);
        int checkedPieces = 0;
        foreach (string file in EngineTestSupport.RepresentativeFiles)
        {
            string text = EngineTestSupport.Corpus(file);
            foreach (Match m in regex.Matches(text[..Math.Min(text.Length, 8000)]))
            {
                byte[] piece = Encoding.UTF8.GetBytes(m.Value);
                if (piece.Length < 2)
                {
                    continue;
                }

                EngineTestSupport.SameIds(tokenizer, ReferenceMerge(tokenizer, piece), tokenizer.EncodeToIds(piece, SpecialTokenPolicy.TreatAsText), $"{file}: '{m.Value}'");
                checkedPieces++;
            }
        }

        Assert.True(checkedPieces > 1000);
    }

    public static IEnumerable<object[]> Degenerate() => new[]
    {
        new object[] { "a*100000" },
        new object[] { "ab*50000" },
        new object[] { "prose-no-whitespace-200k" },
        new object[] { "latin1-random-100k" },
        new object[] { "spaces-100000" },
        new object[] { "newlines-crlf-50000" },
        new object[] { "digits-100000" },
        new object[] { "punctuation-100000" },
        new object[] { "emoji-zwj-20000" },
        new object[] { "combining-marks-50000" },
    };

    private static string DegenerateText(string name)
    {
        var random = new Random(name.Length * 7919);
        switch (name)
        {
            case "a*100000": return new string('a', 100_000);
            case "ab*50000": return string.Concat(Enumerable.Repeat("ab", 50_000));
            case "prose-no-whitespace-200k":
            {
                var builder = new StringBuilder();
                string[] sources = { "prose-en-python-tutorial", "prose-en-node-api-docs", "prose-en-python-faq", "legal-gnu-licences" };
                foreach (string s in sources)
                {
                    builder.Append(EngineTestSupport.Corpus(s).Where(c => !char.IsWhiteSpace(c)).ToArray());
                }

                return builder.ToString(0, Math.Min(builder.Length, 200_000));
            }

            case "latin1-random-100k":
            {
                var bytes = new byte[100_000];
                random.NextBytes(bytes);
                return Encoding.Latin1.GetString(bytes);
            }

            case "spaces-100000": return new string(' ', 100_000);
            case "newlines-crlf-50000": return string.Concat(Enumerable.Repeat("\r\n", 50_000));
            case "digits-100000": return new string(Enumerable.Range(0, 100_000).Select(_ => (char)('0' + random.Next(10))).ToArray());
            case "punctuation-100000": return new string(Enumerable.Range(0, 100_000).Select(_ => "!@#$%^&*()_+-=[]{};:,./<>?|~`"[random.Next(29)]).ToArray());
            case "emoji-zwj-20000": return string.Concat(Enumerable.Repeat("👩\u200D👩\u200D👧\u200D👦", 2_000));
            case "combining-marks-50000": return "a" + new string('\u0301', 50_000);
            default: throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(Degenerate))]
    public void DegenerateInputsRoundTrip(string name)
    {
        string text = DegenerateText(name);
        foreach (string encoding in new[] { "o200k_base", "cl100k_base" })
        {
            Tokenizer tokenizer = TestData.Tiktoken(encoding);
            int[] ids = tokenizer.EncodeToIds(text);
            Assert.Equal(text, tokenizer.Decode(ids));
            Assert.Equal(ids.Length, tokenizer.CountTokens(text));
            Assert.Equal(ids, tokenizer.EncodeToIds(Encoding.UTF8.GetBytes(text)));
            Assert.All(ids, id => Assert.True(tokenizer.IsValidId(id)));
            if (encoding != "o200k_base")
            {
                continue;
            }

            int half = tokenizer.GetIndexByTokenCount(text, ids.Length / 2, out int count);
            Assert.True(count <= ids.Length / 2);
            Assert.Equal(ids.AsSpan(0, count).ToArray(), tokenizer.EncodeToIds(text[..half]));
            int from = tokenizer.GetIndexByTokenCountFromEnd(text, ids.Length / 2, out int tail);
            Assert.True(tail <= ids.Length / 2);
            Assert.Equal(ids.AsSpan(ids.Length - tail).ToArray(), tokenizer.EncodeToIds(text[from..]));
        }
    }

    [Fact]
    public void RepeatedLetterMatchesReferenceAtManyLengths()
    {
        // 'a' * n around the small/large boundary and a little beyond, for the three vocabularies.
        foreach (string encoding in new[] { "o200k_base", "cl100k_base", "r50k_base" })
        {
            Tokenizer tokenizer = TestData.Tiktoken(encoding);
            foreach (int n in Enumerable.Range(1, 140).Concat(new[] { 255, 256, 257, 511, 1000, 1023, 1024, 1025 }))
            {
                foreach (char c in "az")
                {
                    string text = new string(c, n);
                    EngineTestSupport.SameIds(tokenizer, ReferenceMerge(tokenizer, Encoding.UTF8.GetBytes(text)), tokenizer.EncodeToIds(text), $"{encoding} '{c}'*{n}");
                }
            }
        }
    }
}
