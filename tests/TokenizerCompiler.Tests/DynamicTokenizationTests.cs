using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TokenizerCompiler.Dynamic;
using Xunit;
using Xunit.Abstractions;

namespace TokenizerCompiler.Tests;

/// <summary>Dynamic tokenization on real multilingual text, against the naive reference and the paper's rules.</summary>
public sealed class DynamicTokenizationTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Languages() =>
        from encoding in new[] { "o200k_base", "cl100k_base" }
        from file in new[] { "prose-en-python-faq", "russian", "greek", "hindi", "arabic", "cjk-zh", "thai" }
        select new object[] { encoding, file };

    /// <summary>The file's non-empty lines, each one text of the batch, up to about <paramref name="maxChars"/> characters in all.</summary>
    private static List<string> Batch(string file, int maxChars)
    {
        var lines = new List<string>();
        int total = 0;
        foreach (string line in File.ReadLines(Path.Combine(TestData.CorpusDirectory, file + ".txt")))
        {
            if (line.Length == 0)
            {
                continue;
            }

            lines.Add(line);
            total += line.Length;
            if (total >= maxChars)
            {
                break;
            }
        }

        return lines;
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void IncrementalMergerMatchesTheNaiveReference(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        List<string> texts = Batch(file, 12_000);
        int[][] baseIds = texts.Select(t => tokenizer.EncodeToIds(t, SpecialTokenPolicy.TreatAsText)).ToArray();
        var options = new DynamicTokenizationOptions { MaxMerges = 150 };

        DynamicBatch batch = DynamicTokenizer.Merge(tokenizer, baseIds, options);
        NaiveDynamicReference.Result expected = NaiveDynamicReference.Run(tokenizer, baseIds, options);

        Assert.True(batch.NewTokenCount >= 5, $"only {batch.NewTokenCount} merges on {file}");
        Assert.Equal(expected.Merges.Count, batch.NewTokenCount);
        for (int k = 0; k < batch.NewTokenCount; k++)
        {
            Assert.Equal((expected.Merges[k].Left, expected.Merges[k].Right), batch.GetMerge(k));
            Assert.Equal(expected.Merges[k].Count, batch.GetMergeFrequency(k));
            Assert.Equal(expected.NewTokenBytes[k], batch.GetNewTokenBytes(k).ToArray());
        }

        for (int s = 0; s < texts.Count; s++)
        {
            Assert.Equal(expected.Sequences[s], batch.GetSequence(s).ToArray());
        }
    }

    [Theory]
    [InlineData("o200k_base", "prose-en-python-tutorial", MergeBoundary.Word)]
    [InlineData("o200k_base", "prose-en-python-tutorial", MergeBoundary.Sentence)]
    [InlineData("cl100k_base", "hebrew", MergeBoundary.Sentence)]
    [InlineData("o200k_base", "cjk-ja", MergeBoundary.Word)]
    public void BoundaryModesMatchTheNaiveReferenceAndKeepTheirRule(string encoding, string file, MergeBoundary boundary)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        int[][] baseIds = Batch(file, 10_000).Select(t => tokenizer.EncodeToIds(t, SpecialTokenPolicy.TreatAsText)).ToArray();
        var options = new DynamicTokenizationOptions { MaxMerges = 120, Boundary = boundary, MinimumFrequency = 3 };
        DynamicBatch batch = DynamicTokenizer.Merge(tokenizer, baseIds, options);
        NaiveDynamicReference.Result expected = NaiveDynamicReference.Run(tokenizer, baseIds, options);
        Assert.Equal(expected.Merges.Select(m => (m.Left, m.Right)), Enumerable.Range(0, batch.NewTokenCount).Select(batch.GetMerge));
        Assert.Equal(expected.Sequences.SelectMany(s => s), Enumerable.Range(0, batch.SequenceCount).SelectMany(s => batch.GetSequence(s).ToArray()));
        for (int k = 0; k < batch.NewTokenCount; k++)
        {
            Assert.True(DynamicMergeRules.IsValidMerge(tokenizer, batch.GetNewTokenBytes(k), boundary));
        }

        // The looser modes reach tokens the pre-token mode may not make.
        Assert.Contains(Enumerable.Range(0, batch.NewTokenCount),
            k => !DynamicMergeRules.IsValidMerge(tokenizer, batch.GetNewTokenBytes(k), MergeBoundary.PreToken));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void SequencesDecodeToTheTextAndNewTokensAreValidAndDecompose(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        List<string> texts = Batch(file, 40_000);
        DynamicBatch batch = DynamicTokenizer.Tokenize(tokenizer, texts, new DynamicTokenizationOptions { MaxMerges = 2000 });

        Assert.Equal(texts.Sum(t => (long)tokenizer.CountTokens(t.AsSpan(), SpecialTokenPolicy.TreatAsText)), batch.BaseTokenCount);
        Assert.True(batch.TokenCount < batch.BaseTokenCount);
        for (int s = 0; s < texts.Count; s++)
        {
            var bytes = new List<byte>();
            foreach (int id in batch.GetSequence(s))
            {
                bytes.AddRange(batch.GetTokenBytes(id).ToArray());
            }

            Assert.Equal(texts[s], Encoding.UTF8.GetString(bytes.ToArray()));
        }

        (ReadOnlyMemory<int> ids, ReadOnlyMemory<int> offsets) = batch.Decompositions;
        Assert.Equal(batch.NewTokenCount + 1, offsets.Length);
        int[][] arrays = batch.GetDecompositionArrays();
        for (int k = 0; k < batch.NewTokenCount; k++)
        {
            ReadOnlySpan<int> decomposition = batch.GetDecomposition(k);
            Assert.Equal(arrays[k], decomposition.ToArray());
            Assert.Equal(ids.Span[offsets.Span[k]..offsets.Span[k + 1]].ToArray(), arrays[k]);
            Assert.True(decomposition.Length >= 2);
            Assert.All(arrays[k], id => Assert.True(id < batch.BaseVocabularySize));
            Assert.Equal(arrays[k].SelectMany(id => tokenizer.GetTokenBytes(id).ToArray()).ToArray(), batch.GetNewTokenBytes(k).ToArray());
            Assert.True(DynamicMergeRules.IsValidMerge(tokenizer, batch.GetNewTokenBytes(k), MergeBoundary.PreToken));
            Assert.True(batch.GetMergeFrequency(k) >= 2);
        }

        output.WriteLine($"{encoding} {file}: {batch.BaseTokenCount} -> {batch.TokenCount} tokens ({batch.LengthReduction:P1}) with {batch.NewTokenCount} merges");
    }

    [Fact]
    public void TargetLengthModeStopsAtTheFirstMergeThatReachesIt()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        List<string> texts = Batch("russian", 20_000);
        DynamicBatch full = DynamicTokenizer.Tokenize(tokenizer, texts, new DynamicTokenizationOptions { MaxMerges = 5000 });
        long target = (full.BaseTokenCount + full.TokenCount) / 2;
        DynamicBatch targeted = DynamicTokenizer.Tokenize(tokenizer, texts, new DynamicTokenizationOptions { MaxMerges = 5000, TargetTokenCount = target });

        Assert.True(targeted.TokenCount <= target);
        Assert.True(targeted.NewTokenCount < full.NewTokenCount);
        // One merge fewer would not have reached the target.
        DynamicBatch oneFewer = DynamicTokenizer.Tokenize(tokenizer, texts, new DynamicTokenizationOptions { MaxMerges = targeted.NewTokenCount - 1 });
        Assert.True(oneFewer.TokenCount > target);
    }

    [Fact]
    public void MinimumFrequencyAndMaxMergesLimitTheMerges()
    {
        Tokenizer tokenizer = TestData.Tiktoken("cl100k_base");
        List<string> texts = Batch("greek", 20_000);
        DynamicBatch frequent = DynamicTokenizer.Tokenize(tokenizer, texts, new DynamicTokenizationOptions { MaxMerges = 100_000, MinimumFrequency = 5 });
        Assert.All(Enumerable.Range(0, frequent.NewTokenCount), k => Assert.True(frequent.GetMergeFrequency(k) >= 5));
        DynamicBatch all = DynamicTokenizer.Tokenize(tokenizer, texts, new DynamicTokenizationOptions { MaxMerges = 100_000, MinimumFrequency = 1 });
        Assert.True(all.NewTokenCount > frequent.NewTokenCount);
        Assert.Equal(1, all.GetMergeFrequency(all.NewTokenCount - 1));
        Assert.Equal(7, DynamicTokenizer.Tokenize(tokenizer, texts, new DynamicTokenizationOptions { MaxMerges = 7 }).NewTokenCount);
        Assert.Equal(0, DynamicTokenizer.Tokenize(tokenizer, texts, new DynamicTokenizationOptions { MaxMerges = 0 }).NewTokenCount);
    }

    [Fact]
    public void OverlappingRunsMergeLeftToRightWithoutOverlap()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        // Three identical tokens in a row: one merge takes the first two, the third stays.
        Assert.True(tokenizer.TryGetTokenId("ab"u8, out int ab));
        int[][] batch = { new[] { ab, ab, ab }, new[] { ab, ab, ab, ab } };
        var options = new DynamicTokenizationOptions { MaxMerges = 1, Boundary = MergeBoundary.Word };
        DynamicBatch result = DynamicTokenizer.Merge(tokenizer, batch, options);
        int merged = result.BaseVocabularySize;
        Assert.Equal((ab, ab), result.GetMerge(0));
        Assert.Equal(5, result.GetMergeFrequency(0));
        Assert.Equal(new[] { merged, ab }, result.GetSequence(0).ToArray());
        Assert.Equal(new[] { merged, merged }, result.GetSequence(1).ToArray());
        NaiveDynamicReference.Result naive = NaiveDynamicReference.Run(tokenizer, batch, options);
        Assert.Equal(naive.Sequences[1], result.GetSequence(1).ToArray());
    }

    [Fact]
    public void SpecialTokensNeverMergeAndForeignIdsAreRejected()
    {
        Tokenizer tokenizer = TestData.Tiktoken("cl100k_base");
        Assert.True(tokenizer.TryGetSpecialTokenId("<|endoftext|>", out int eot));
        int[] text = tokenizer.EncodeToIds(" the cat", SpecialTokenPolicy.TreatAsText);
        int[][] batch = Enumerable.Repeat(text.Append(eot).Concat(text).ToArray(), 3).ToArray();
        DynamicBatch result = DynamicTokenizer.Merge(tokenizer, batch, new DynamicTokenizationOptions { Boundary = MergeBoundary.Sentence });
        Assert.True(result.NewTokenCount > 0);
        for (int k = 0; k < result.NewTokenCount; k++)
        {
            Assert.DoesNotContain(eot, result.GetDecomposition(k).ToArray());
        }

        Assert.Equal(3, Enumerable.Range(0, 3).Sum(s => result.GetSequence(s).ToArray().Count(id => id == eot)));
        Assert.Throws<ArgumentException>(() => DynamicTokenizer.Merge(tokenizer, new[] { new[] { tokenizer.VocabularySize } }));
        Assert.Throws<ArgumentException>(() => DynamicTokenizer.Merge(tokenizer, new[] { new[] { -1 } }));
    }

    [Fact]
    public void EmptyTextsAndAnEmptyBatchWork()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        DynamicBatch empty = DynamicTokenizer.Tokenize(tokenizer, Array.Empty<string>());
        Assert.Equal(0, empty.SequenceCount);
        Assert.Equal(0.0, empty.LengthReduction);
        Assert.Throws<ArgumentOutOfRangeException>(() => empty.GetSequence(0).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => empty.GetDecomposition(0).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => empty.GetTokenBytes(empty.BaseVocabularySize).Length);
        DynamicBatch some = DynamicTokenizer.Tokenize(TestData.Tiktoken("cl100k_base"), new[] { "", "Ελληνικά Ελληνικά Ελληνικά", "", "Ελληνικά" });
        Assert.Equal(4, some.SequenceCount);
        Assert.Equal(0, some.GetSequence(0).Length);
        Assert.Equal(0, some.GetSequence(2).Length);
        Assert.True(some.NewTokenCount > 0);
        // Merging stops inside the word: the last new token is the whole word, with or without its space.
        Assert.Contains(Encoding.UTF8.GetString(some.GetNewTokenBytes(some.NewTokenCount - 1)), new[] { "Ελληνικά", " Ελληνικά" });
    }

    [Theory]
    [InlineData(" hello", MergeBoundary.PreToken, true)]
    [InlineData("   ", MergeBoundary.PreToken, true)]
    [InlineData(" hello world", MergeBoundary.PreToken, false)]
    [InlineData("hello ", MergeBoundary.PreToken, false)]
    [InlineData(" hello,", MergeBoundary.PreToken, false)]
    [InlineData(" hello,", MergeBoundary.Word, true)]
    [InlineData(" hello world", MergeBoundary.Word, false)]
    [InlineData(" hello world", MergeBoundary.Sentence, true)]
    [InlineData("end. Next", MergeBoundary.Sentence, false)]
    [InlineData("3.14 apples", MergeBoundary.Sentence, true)]
    [InlineData("line\nnext", MergeBoundary.Sentence, false)]
    [InlineData("文。次", MergeBoundary.Sentence, false)]
    [InlineData(" Привет", MergeBoundary.PreToken, true)]
    public void ValidityRules(string merged, MergeBoundary boundary, bool valid)
    {
        Assert.Equal(valid, DynamicMergeRules.IsValidMerge(TestData.Tiktoken("o200k_base"), Encoding.UTF8.GetBytes(merged), boundary));
    }

    [Fact]
    public void CutCharactersAreJudgedByTheirCompleteCharacters()
    {
        Tokenizer tokenizer = TestData.Tiktoken("o200k_base");
        byte[] word = Encoding.UTF8.GetBytes(" слово");
        // " сл" and the first byte of "о": the complete characters form one pre-token.
        Assert.True(DynamicMergeRules.IsValidMerge(tokenizer, word[..4], MergeBoundary.PreToken));
        byte[] twoWords = Encoding.UTF8.GetBytes("ab, c");
        Assert.False(DynamicMergeRules.IsValidMerge(tokenizer, twoWords.Concat(new byte[] { 0xD0 }).ToArray(), MergeBoundary.PreToken));
    }

    [Fact]
    public void CountPreTokensFollowsThePattern()
    {
        Assert.Equal(4, TestData.Tiktoken("o200k_base").CountPreTokens("Hello, world!"u8));
        Assert.Equal(0, TestData.Tiktoken("o200k_base").CountPreTokens(ReadOnlySpan<byte>.Empty));
        // cl100k splits numbers into runs of at most three digits.
        Assert.Equal(2, TestData.Tiktoken("cl100k_base").CountPreTokens("12345"u8));
        Assert.Equal(1, TestData.Tiktoken("r50k_base").CountPreTokens(" don"u8));
        // Invalid UTF-8 counts as U+FFFD, which is punctuation-like: one piece with the comma after it.
        Assert.Equal(2, TestData.Tiktoken("o200k_base").CountPreTokens(new byte[] { (byte)'a', 0xFF, (byte)',' }));
    }

    [Fact]
    public void CountPreTokensRunsACustomPatternThroughRegex()
    {
        var options = new TokenizerCompiler.Core.Compilation.CompileOptions(Pattern: @" ?\w+| ?[^\w\s]+|\s+");
        Tokenizer custom = Tokenizer.FromVocabularyFile(TestData.VocabularyPath("r50k_base"), options);
        Assert.Equal(4, custom.CountPreTokens("Hello, world!"u8));
        Assert.Equal(3, custom.CountPreTokens("Ελληνικά  κείμενο"u8));
        Assert.True(DynamicMergeRules.IsValidMerge(custom, " world"u8, MergeBoundary.PreToken));
        Assert.False(DynamicMergeRules.IsValidMerge(custom, "world!"u8, MergeBoundary.PreToken));
    }
}
