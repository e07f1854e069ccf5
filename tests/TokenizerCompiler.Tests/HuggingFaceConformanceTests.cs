using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Every Hugging Face vocabulary the project knows, every corpus file: ids identical to the Hugging Face Rust
/// core (npm tokenizers 0.23.2, tools/goldens/hf-goldens.mjs), each file encoded whole in one call.
/// </summary>
public class HuggingFaceConformanceTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (string name in HuggingFaceVocabularies.Shared.Concat(HuggingFaceVocabularies.Npm))
        {
            foreach (string file in Directory.GetFiles(Path.Combine(HuggingFaceVocabularies.GoldensDirectory, name), "*.ids.gz").OrderBy(f => f, StringComparer.Ordinal))
            {
                string corpusFile = Path.GetFileName(file)[..^".ids.gz".Length];
                if (!corpusFile.StartsWith("latin1-", StringComparison.Ordinal) && !corpusFile.StartsWith("exe-", StringComparison.Ordinal))
                {
                    yield return new object[] { name, corpusFile };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncodeMatchesHuggingFace(string tokenizerName, string corpusFile)
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(tokenizerName);
        string text = File.ReadAllText(Path.Combine(TestData.CorpusDirectory, corpusFile + ".txt"), Encoding.UTF8);
        int[] expected = TestData.ReadIds(Path.Combine(HuggingFaceVocabularies.GoldensDirectory, tokenizerName, corpusFile + ".ids.gz"));

        int[] actual = tokenizer.EncodeToIds(text, SpecialTokenPolicy.Allow);

        TiktokenConformanceTests.AssertSameIds(tokenizer, expected, actual);
        Assert.Equal(expected, tokenizer.EncodeToIds(Encoding.UTF8.GetBytes(text), SpecialTokenPolicy.Allow));
        Assert.Equal(expected.Length, tokenizer.CountTokens(text, SpecialTokenPolicy.Allow));
    }
}
