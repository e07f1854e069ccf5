using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>CountTokens agrees with EncodeToIds everywhere; the UTF-8 and UTF-16 entry points agree.</summary>
public class CountAndConcurrencyTests
{
    public static IEnumerable<object[]> AllFiles() =>
        EngineTestSupport.Cross(new[] { "o200k_base", "cl100k_base", "p50k_base", "r50k_base" }, EngineTestSupport.AllCorpusFiles);

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void CountEqualsEncodeLengthAndEntryPointsAgree(string encoding, string file)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        string text = EngineTestSupport.Corpus(file);
        byte[] utf8 = Encoding.UTF8.GetBytes(text);

        // The conformance test covers the string and byte-array overloads with TreatAsText; here the other entry points.
        int[] expected = EngineTestSupport.Golden(encoding, file);

        // No corpus file holds special-token text, so every policy gives the same count.
        Assert.Equal(expected.Length, tokenizer.CountTokens(text.AsSpan(), SpecialTokenPolicy.Allow));
        Assert.Equal(expected.Length, tokenizer.CountTokens(utf8));

        var exact = new int[expected.Length];
        Assert.Equal(expected.Length, tokenizer.EncodeToIds(text.AsSpan(), exact));
        Assert.Equal(expected, exact);
        Array.Clear(exact);
        Assert.Equal(expected.Length, tokenizer.EncodeToIds(utf8.AsSpan(), exact, SpecialTokenPolicy.Allow));
        Assert.Equal(expected, exact);

        var writer = new ArrayBufferWriter<int>();
        Assert.Equal(expected.Length, tokenizer.EncodeToIds(utf8, writer, SpecialTokenPolicy.TreatAsText));
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }
}

/// <summary>One tokenizer used from many threads at once gives the single-threaded (golden) ids.</summary>
public class ConcurrencyTests
{
    [Fact]
    public void OneTokenizerManyThreads()
    {
        string[] files = EngineTestSupport.AllCorpusFiles;
        var texts = files.Select(EngineTestSupport.Corpus).ToArray();
        foreach (string encoding in new[] { "o200k_base" })
        {
            Tokenizer tokenizer = TestData.Tiktoken(encoding);
            int[][] expected = files.Select(f => EngineTestSupport.Golden(encoding, f)).ToArray();
            int failures = 0;
            string? firstFailure = null;
            var options = new ParallelOptions { MaxDegreeOfParallelism = 8 };
            Parallel.For(0, 8, options, worker =>
            {
                for (int round = 0; round < 3; round++)
                {
                    for (int k = 0; k < texts.Length; k++)
                    {
                        int i = (k + (worker * 5) + round) % texts.Length; // threads work on different files at once
                        string text = texts[i];
                        bool ok = (worker % 4) switch
                        {
                            0 => tokenizer.EncodeToIds(text, SpecialTokenPolicy.TreatAsText).AsSpan().SequenceEqual(expected[i]),
                            1 => tokenizer.EncodeToIds(Encoding.UTF8.GetBytes(text), SpecialTokenPolicy.TreatAsText).AsSpan().SequenceEqual(expected[i]),
                            2 => tokenizer.CountTokens(text, SpecialTokenPolicy.TreatAsText) == expected[i].Length
                                 && tokenizer.Decode(expected[i]) == text,
                            _ => StreamingEncodeTests.EncodeInChunks(tokenizer, text, 500, SpecialTokenPolicy.TreatAsText).AsSpan().SequenceEqual(expected[i]),
                        };
                        if (!ok)
                        {
                            Interlocked.Increment(ref failures);
                            Interlocked.CompareExchange(ref firstFailure, $"worker {worker} round {round} file {files[i]}", null);
                        }
                    }
                }
            });

            Assert.True(failures == 0, $"{encoding}: {failures} mismatches; first: {firstFailure}");
        }
    }

    [Fact]
    public void TokenizersCompiledConcurrentlyAgree()
    {
        // Opening tokenizers from the same image on many threads at once, then using them, gives the same ids.
        byte[] image = VocabularyApiTests.CompileImage("r50k_base");
        string text = EngineTestSupport.Corpus("prose-en-python-faq");
        int[] expected = TestData.Tiktoken("r50k_base").EncodeToIds(text);
        var results = new int[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            Tokenizer tokenizer = Tokenizer.FromImage(image);
            results[i] = tokenizer.EncodeToIds(text);
        });
        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
