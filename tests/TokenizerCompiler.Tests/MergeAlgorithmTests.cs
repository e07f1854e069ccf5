using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using TokenizerCompiler.Core.Tables;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The merge paths by piece length (array, stack heap, sweep) and the token filter are accelerations of one
/// algorithm: each must give tiktoken's ids. Long single pieces go through the sweep; the filter must never
/// turn a token into "not a token", and an image whose filter would is rejected when opened.
/// </summary>
public class MergeAlgorithmTests
{
    [Theory]
    [InlineData("o200k_base", "ab", 300)]
    [InlineData("o200k_base", "ab", 5000)]
    [InlineData("o200k_base", "etaoinshrdlu", 257)]
    [InlineData("o200k_base", "etaoinshrdlu", 4096)]
    [InlineData("cl100k_base", "aab", 3000)]
    [InlineData("cl100k_base", "etaoinshrdlu", 2500)]
    public void LongRandomPiecesMatchTheReferenceMerge(string encoding, string alphabet, int length)
    {
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        var random = new Random(length * 31 + alphabet.Length);
        for (int round = 0; round < 3; round++)
        {
            string text = new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            Assert.Equal(1, tokenizer.CountPreTokens(Encoding.UTF8.GetBytes(text)));
            EngineTestSupport.SameIds(tokenizer, PathologicalInputTests.ReferenceMerge(tokenizer, Encoding.UTF8.GetBytes(text)), tokenizer.EncodeToIds(text), $"{alphabet} x {length}, round {round}");
        }
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void LongCjkRunsMatchTheReferenceMerge(string encoding)
    {
        // Han text without punctuation is one piece; the corpus' own characters, shuffled, so that pairs are both
        // common and rare.
        Tokenizer tokenizer = TestData.Tiktoken(encoding);
        char[] han = EngineTestSupport.Corpus("cjk-zh").Where(c => c is >= '\u4E00' and <= '\u9FFF').Distinct().ToArray();
        var random = new Random(7);
        foreach (int chars in new[] { 90, 400, 2000 })
        {
            string text = new(Enumerable.Range(0, chars).Select(_ => han[random.Next(Math.Min(han.Length, 300))]).ToArray());
            EngineTestSupport.SameIds(tokenizer, PathologicalInputTests.ReferenceMerge(tokenizer, Encoding.UTF8.GetBytes(text)), tokenizer.EncodeToIds(text), $"{chars} Han chars");
        }
    }

    [Fact]
    public void SweepMergerAppliesMergesInTheGlobalOrderOfRandomRuleSets()
    {
        // Random merge systems where one token has several splits and merges can make lower-ranked pairs
        // (which real vocabularies rarely do): every branch of the sweep's ordering is exercised, against the
        // plain definition (lowest rank, leftmost on ties, until no pair merges).
        var random = new Random(2026);
        for (int system = 0; system < 300; system++)
        {
            var rules = new RandomRules(random, baseSymbols: 2 + random.Next(3), results: 4 + random.Next(40));
            for (int text = 0; text < 5; text++)
            {
                int[] symbols = Enumerable.Range(0, 1 + random.Next(400)).Select(_ => random.Next(rules.BaseSymbols)).ToArray();
                int[] expected = rules.Reference(symbols);
                int[] actual = (int[])symbols.Clone();
                int count = Internal.SweepMerger.Merge(ref rules, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual.AsSpan(0, count)), $"system {system}, text {text}: [{string.Join(",", symbols)}]");
            }
        }
    }

    [Fact]
    public void AFilterThatLetsEverythingThroughGivesTheSameIds()
    {
        byte[] image = CompileSeed();
        Span<byte> filter = image.AsSpan(FilterSection(image));
        filter.Fill(0xFF);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(ImageFormat.ChecksumOffset), ImageWriter.Checksum(image));
        Tokenizer open = Tokenizer.FromImage(image);
        Tokenizer intact = Tokenizer.FromImage(CompileSeed());
        string text = EngineTestSupport.Corpus("prose-en-python-faq")[..4000];
        Assert.Equal(intact.EncodeToIds(text, SpecialTokenPolicy.TreatAsText), open.EncodeToIds(text, SpecialTokenPolicy.TreatAsText));
    }

    [Fact]
    public void AnImageWhoseFilterMissesATokenIsRejected()
    {
        byte[] image = CompileSeed();
        image.AsSpan(FilterSection(image)).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(ImageFormat.ChecksumOffset), ImageWriter.Checksum(image));
        Assert.Contains("perfect hash", Assert.Throws<InvalidTokenizerImageException>(() => Tokenizer.FromImage(image)).Message);
    }

    private static byte[] CompileSeed()
    {
        string seed = Path.Combine(TestData.RepositoryRoot, "fuzz", "seeds", "tiktoken", "r50k-head.tiktoken");
        return Core.Compilation.VocabularyCompiler.Compile(seed, File.ReadAllText(seed), new Core.Compilation.CompileOptions(Pattern: "cl100k")).Image!;
    }

    /// <summary>The byte range of the token-filter section, found through the image's section table.</summary>
    private static Range FilterSection(byte[] image)
    {
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(12));
        for (int i = 0; i < count; i++)
        {
            int entry = ImageFormat.HeaderSize + (i * ImageFormat.SectionEntrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(entry)) == ImageFormat.TokenFilterSection)
            {
                int offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(entry + 8));
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(entry + 12));
                return offset..(offset + length);
            }
        }

        throw new InvalidOperationException("the image has no token filter");
    }

    /// <summary>A random merge system: each result id (above the base symbols) is made by one or more id pairs; its rank is its id.</summary>
    private struct RandomRules : Internal.IMergeRules
    {
        private readonly System.Collections.Generic.Dictionary<(int, int), int> _pairs = new();

        public RandomRules(Random random, int baseSymbols, int results)
        {
            BaseSymbols = baseSymbols;
            for (int id = baseSymbols; id < baseSymbols + results; id++)
            {
                _pairs.TryAdd((random.Next(id), random.Next(id)), id);
            }

            // Extra splits, some mapping to lower ids than their parts (a merge that makes a lower-ranked pair).
            for (int extra = 0; extra < results; extra++)
            {
                _pairs.TryAdd((random.Next(baseSymbols + results), random.Next(baseSymbols + results)), baseSymbols + random.Next(results));
            }
        }

        public int BaseSymbols { get; }

        public readonly int Merge(int left, int right, int start, int end, out int rank)
        {
            rank = _pairs.TryGetValue((left, right), out int result) ? result : int.MaxValue;
            return rank == int.MaxValue ? -1 : result;
        }

        public readonly int[] Reference(int[] symbols)
        {
            var parts = symbols.ToList();
            while (true)
            {
                int best = -1, bestRank = int.MaxValue;
                for (int i = 0; i + 1 < parts.Count; i++)
                {
                    if (_pairs.TryGetValue((parts[i], parts[i + 1]), out int rank) && rank < bestRank)
                    {
                        best = i;
                        bestRank = rank;
                    }
                }

                if (best < 0)
                {
                    return parts.ToArray();
                }

                parts[best] = bestRank;
                parts.RemoveAt(best + 1);
            }
        }
    }
}
