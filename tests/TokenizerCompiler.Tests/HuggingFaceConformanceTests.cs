using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Every Hugging Face vocabulary the project knows, every corpus file: ids identical to the Hugging Face Rust
/// core (npm tokenizers 0.23.2, tools/goldens/hf-goldens.mjs), each file encoded whole in one call.
/// </summary>
public class HuggingFaceConformanceTests
{
    public static IEnumerable<object[]> Cases() => CasesOf(HuggingFaceVocabularies.Shared.Concat(HuggingFaceVocabularies.Npm));

    /// <summary>The published vocabularies and the Unigram / WordPiece / WordLevel ones trained by Hugging Face's core.</summary>
    public static IEnumerable<object[]> EncodeCases() => CasesOf(HuggingFaceVocabularies.Shared.Concat(HuggingFaceVocabularies.Npm).Concat(HuggingFaceVocabularies.Trained));

    private static IEnumerable<object[]> CasesOf(IEnumerable<string> names)
    {
        foreach (string name in names)
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
    [MemberData(nameof(EncodeCases))]
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

    /// <summary>
    /// Decoding the reference ids gives what Hugging Face's decode gave, as the golden manifest records it: the input
    /// itself, its NFC/NFKC form, or (tokenizers without a decoder, which join tokens with spaces) a text whose length
    /// and first differing stretch are recorded.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodeMatchesHuggingFace(string tokenizerName, string corpusFile)
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(tokenizerName);
        string text = File.ReadAllText(Path.Combine(TestData.CorpusDirectory, corpusFile + ".txt"), Encoding.UTF8);
        int[] ids = TestData.ReadIds(Path.Combine(HuggingFaceVocabularies.GoldensDirectory, tokenizerName, corpusFile + ".ids.gz"));
        string? roundtrip = RoundTrip(tokenizerName, corpusFile + ".ids.gz");

        string decoded = tokenizer.Decode(ids);

        switch (roundtrip)
        {
            case null:
                Assert.Fail("the manifest records no round trip for this file");
                break;
            case "exact":
                Assert.Equal(text, decoded);
                break;
            case "equals NFKC(input)":
                Assert.Equal(text.Normalize(NormalizationForm.FormKC), decoded);
                break;
            case "equals NFC(input)":
                Assert.Equal(text.Normalize(NormalizationForm.FormC), decoded);
                break;
            default:
                Match differs = Regex.Match(roundtrip, "^differs: input \\d+ UTF-16 units, decoded (\\d+); first difference at (\\d+): (\".*\") vs (\".*\")$");
                Assert.True(differs.Success, roundtrip);
                Assert.Equal(int.Parse(differs.Groups[1].Value), decoded.Length);
                string excerpt = JsonSerializer.Deserialize<string>(differs.Groups[4].Value)!;
                int at = int.Parse(differs.Groups[2].Value);
                Assert.Equal(excerpt, decoded.Substring(at, Math.Min(excerpt.Length, decoded.Length - at)));
                break;
        }
    }

    private static string? RoundTrip(string tokenizerName, string goldenFile)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(HuggingFaceVocabularies.GoldensDirectory, "manifest.json")));
        return manifest.RootElement.GetProperty("tokenizers").GetProperty(tokenizerName).GetProperty("files").GetProperty(goldenFile)
            .TryGetProperty("roundtrip", out JsonElement value) ? value.GetString() : null;
    }
}
