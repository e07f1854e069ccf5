using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Every corpus file, every OpenAI encoding: ids identical to the official tiktoken core (npm tiktoken 1.0.22).</summary>
public class TiktokenConformanceTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (string encoding in new[] { "o200k_base", "cl100k_base", "p50k_base", "r50k_base" })
        {
            foreach (string file in Directory.GetFiles(Path.Combine(TestData.TiktokenGoldens, encoding), "*.ids.gz").OrderBy(f => f, StringComparer.Ordinal))
            {
                yield return new object[] { encoding, Path.GetFileName(file)[..^".ids.gz".Length] };
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncodeMatchesTiktoken(string encoding, string corpusFile)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string text = File.ReadAllText(Path.Combine(TestData.CorpusDirectory, corpusFile + ".txt"), Encoding.UTF8);
        int[] expected = TestData.ReadIds(Path.Combine(TestData.TiktokenGoldens, encoding, corpusFile + ".ids.gz"));

        int[] actual = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);

        AssertSameIds(tokenizer, expected, actual);
        Assert.Equal(expected.Length, tokenizer.CountTokens(text, SpecialTokenPolicy.TreatAsText));
        Assert.Equal(text, tokenizer.Decode(actual));

        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        Assert.Equal(expected, tokenizer.EncodeToIds(utf8, SpecialTokenPolicy.TreatAsText));
    }

    internal static void AssertSameIds(Tokenizer tokenizer, int[] expected, int[] actual)
    {
        int mismatch = 0;
        while (mismatch < Math.Min(expected.Length, actual.Length) && expected[mismatch] == actual[mismatch])
        {
            mismatch++;
        }

        if (mismatch == expected.Length && mismatch == actual.Length)
        {
            return;
        }

        string Show(int[] ids) => string.Join(" ", ids.Skip(Math.Max(0, mismatch - 3)).Take(8)
            .Select(id => $"{id}:{Escape(tokenizer.Decode(new[] { id }))}"));
        Assert.Fail($"first mismatch at id index {mismatch} (expected {expected.Length} ids, got {actual.Length})\n" +
                    $"expected: {Show(expected)}\nactual:   {Show(actual)}");
    }

    private static string Escape(string s) => s.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");
}
