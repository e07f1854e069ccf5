using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// GetIndexByTokenCount / GetIndexByTokenCountFromEnd: the returned cut must re-encode to exactly a prefix (suffix)
/// of the whole text's ids, stay within the budget, keep everything when the budget covers the text, and grow
/// monotonically with the budget.
/// </summary>
public class BudgetTests
{
    private static readonly string[] s_files =
    {
        "prose-en-node-api-docs", "cjk-ja", "code-rust-regex-syntax", "hostile-mixed", "whitespace-tabs-linux-videodev2-h", "hindi",
    };

    public static IEnumerable<object[]> Cases() => EngineTestSupport.Cross(new[] { "o200k_base", "cl100k_base" }, s_files);

    private static IEnumerable<int> Budgets(int total)
    {
        var random = new Random(total);
        var budgets = new SortedSet<int> { 0, 1, 2, 3, 17, 100, 1000, total / 2, total - 1, total, total + 1, int.MaxValue };
        for (int i = 0; i < 4; i++)
        {
            budgets.Add(random.Next(total + 1));
        }

        return budgets.Where(b => b >= 0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrefixBudgetUtf16(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string text = EngineTestSupport.Corpus(file);
        int[] full = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
        int previousIndex = 0, previousCount = 0;
        foreach (int n in Budgets(full.Length))
        {
            int index = tokenizer.GetIndexByTokenCount(text, n, out int count, SpecialTokenPolicy.TreatAsText);
            CheckPrefix(tokenizer, full, n, index, count, text.Length, tokenizer.EncodeToIds(text[..index], SpecialTokenPolicy.TreatAsText), $"{file} n={n}");
            Assert.False(index > 0 && index < text.Length && char.IsLowSurrogate(text[index]) && char.IsHighSurrogate(text[index - 1]), "cut inside a surrogate pair");
            Assert.True(index >= previousIndex && count >= previousCount, $"not monotonic at n={n}");
            (previousIndex, previousCount) = (index, count);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrefixBudgetUtf8(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        byte[] text = Encoding.UTF8.GetBytes(EngineTestSupport.Corpus(file));
        int[] full = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
        int previousIndex = 0;
        foreach (int n in Budgets(full.Length))
        {
            int index = tokenizer.GetIndexByTokenCount(text, n, out int count, SpecialTokenPolicy.TreatAsText);
            CheckPrefix(tokenizer, full, n, index, count, text.Length, tokenizer.EncodeToIds(text.AsSpan(0, index), SpecialTokenPolicy.TreatAsText), $"{file} n={n}");
            Assert.True(index == text.Length || (text[index] & 0xC0) != 0x80, "cut inside a UTF-8 sequence");
            Assert.True(index >= previousIndex);
            previousIndex = index;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SuffixBudgetUtf16(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string text = EngineTestSupport.Corpus(file);
        int[] full = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
        int previousIndex = text.Length, previousCount = 0;
        foreach (int n in Budgets(full.Length))
        {
            int index = tokenizer.GetIndexByTokenCountFromEnd(text, n, out int count, SpecialTokenPolicy.TreatAsText);
            CheckSuffix(tokenizer, full, n, index, count, tokenizer.EncodeToIds(text[index..], SpecialTokenPolicy.TreatAsText), $"{file} n={n}");
            Assert.False(index > 0 && index < text.Length && char.IsLowSurrogate(text[index]) && char.IsHighSurrogate(text[index - 1]), "cut inside a surrogate pair");
            Assert.True(index <= previousIndex && count >= previousCount, $"not monotonic at n={n}");
            (previousIndex, previousCount) = (index, count);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SuffixBudgetUtf8(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        byte[] text = Encoding.UTF8.GetBytes(EngineTestSupport.Corpus(file));
        int[] full = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
        int previousIndex = text.Length;
        foreach (int n in Budgets(full.Length))
        {
            int index = tokenizer.GetIndexByTokenCountFromEnd(text, n, out int count, SpecialTokenPolicy.TreatAsText);
            CheckSuffix(tokenizer, full, n, index, count, tokenizer.EncodeToIds(text.AsSpan(index), SpecialTokenPolicy.TreatAsText), $"{file} n={n}");
            Assert.True(index == text.Length || (text[index] & 0xC0) != 0x80, "cut inside a UTF-8 sequence");
            Assert.True(index <= previousIndex);
            previousIndex = index;
        }
    }

    /// <summary>Every budget from 0 to past the total on short stretches of many files: exhaustive over cut positions.</summary>
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    [InlineData("p50k_base")]
    public void EveryBudgetOnShortTexts(string encoding)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        foreach (string file in EngineTestSupport.AllCorpusFiles)
        {
            string corpus = EngineTestSupport.Corpus(file);
            int start = corpus.Length / 3;
            string text = corpus.Substring(start, Math.Min(400, corpus.Length - start));
            if (char.IsLowSurrogate(text[0]))
            {
                text = text[1..];
            }

            if (char.IsHighSurrogate(text[^1]))
            {
                text = text[..^1];
            }

            int[] full = tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
            for (int n = 0; n <= full.Length + 1; n++)
            {
                int index = tokenizer.GetIndexByTokenCount(text, n, out int count, SpecialTokenPolicy.TreatAsText);
                CheckPrefix(tokenizer, full, n, index, count, text.Length, tokenizer.EncodeToIds(text[..index], SpecialTokenPolicy.TreatAsText), $"{file} prefix n={n}");
                int from = tokenizer.GetIndexByTokenCountFromEnd(text, n, out int tail, SpecialTokenPolicy.TreatAsText);
                CheckSuffix(tokenizer, full, n, from, tail, tokenizer.EncodeToIds(text[from..], SpecialTokenPolicy.TreatAsText), $"{file} suffix n={n}");
            }
        }
    }

    /// <summary>
    /// Regression: cutting after a run of blanks (inside a piece that starts with a blank, or right after the lone
    /// blank piece that tiktoken's <c>\s+(?!\S)</c> leaves before a word) makes the blanks before the cut re-split
    /// differently when the text ends there, so the engine must not offer such a cut unless the re-encoded prefix
    /// really matches. The suffix side once reported the requested count when it had to skip more tokens.
    /// </summary>
    [Theory]
    [InlineData("o200k_base", "word  東京大学")]
    [InlineData("o200k_base", "x   ((((((((((((((((")]
    [InlineData("cl100k_base", "word  東京大学")]
    [InlineData("cl100k_base", "a    ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ")]
    [InlineData("o200k_base", "a\t\t\tαβγδεζηθικλμνξ")]
    [InlineData("r50k_base", "The  Zyzzyva  Qwxyzzy")]
    [InlineData("o200k_base", "#define SQLITE_OPEN_READONLY         0x00000001")] // whole-piece cut after the lone " " piece
    [InlineData("cl100k_base", "#define SQLITE_OPEN_READONLY         0x00000001")]
    [InlineData("p50k_base", "سة\n\nو")]                                            // "\n", "\n" re-merge to "\n\n"
    [InlineData("r50k_base", "a\r\n\r\n  \t b")]
    public void CutAfterWhitespaceRun(string encoding, string text)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        int[] full = tokenizer.EncodeToIds(text);
        for (int n = 0; n <= full.Length; n++)
        {
            int index = tokenizer.GetIndexByTokenCount(text, n, out int count);
            CheckPrefix(tokenizer, full, n, index, count, text.Length, tokenizer.EncodeToIds(text[..index]), $"prefix n={n}");
            int from = tokenizer.GetIndexByTokenCountFromEnd(text, n, out int tail);
            CheckSuffix(tokenizer, full, n, from, tail, tokenizer.EncodeToIds(text[from..]), $"suffix n={n}");
        }
    }

    [Fact]
    public void NegativeBudgetThrows()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetIndexByTokenCount("abc", -1, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetIndexByTokenCountFromEnd("abc"u8, -1, out _));
        Assert.Equal(0, tokenizer.GetIndexByTokenCount(string.Empty, 0, out int count));
        Assert.Equal(0, count);
        Assert.Equal(0, tokenizer.GetIndexByTokenCountFromEnd(string.Empty, 5, out count));
        Assert.Equal(0, count);
    }

    private static void CheckPrefix(Tokenizer tokenizer, int[] full, int n, int index, int count, int length, int[] reencoded, string context)
    {
        Assert.True(count <= n, $"{context}: count {count} over budget");
        Assert.InRange(index, 0, length);
        if (n >= full.Length)
        {
            Assert.True(index == length && count == full.Length, $"{context}: whole text fits but index {index}/{length}, count {count}/{full.Length}");
        }
        else
        {
            Assert.True(index < length, context);
        }

        EngineTestSupport.SameIds(tokenizer, full.AsSpan(0, count), reencoded, context);
    }

    private static void CheckSuffix(Tokenizer tokenizer, int[] full, int n, int index, int count, int[] reencoded, string context)
    {
        Assert.True(count <= n, $"{context}: count {count} over budget");
        if (n >= full.Length)
        {
            Assert.True(index == 0 && count == full.Length, $"{context}: whole text fits but index {index}, count {count}/{full.Length}");
        }
        else
        {
            Assert.True(index > 0, context);
        }

        EngineTestSupport.SameIds(tokenizer, full.AsSpan(full.Length - count), reencoded, context);
    }
}
