using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Special tokens added around a sequence match Hugging Face's <c>addSpecialTokens: true</c> (tools/goldens/hf-special-goldens.mjs).</summary>
public class PostProcessorTests
{
    public static IEnumerable<object[]> Cases()
    {
        using JsonDocument goldens = JsonDocument.Parse(File.ReadAllText(Path.Combine(HuggingFaceVocabularies.GoldensDirectory, "with-special-tokens.json")));
        string[] texts = goldens.RootElement.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToArray();
        foreach (JsonProperty tokenizer in goldens.RootElement.GetProperty("ids").EnumerateObject())
        {
            int i = 0;
            foreach (JsonElement ids in tokenizer.Value.EnumerateArray())
            {
                yield return new object[] { tokenizer.Name, texts[i++], ids.EnumerateArray().Select(id => id.GetInt32()).ToArray() };
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AddSpecialTokensMatchesHuggingFace(string name, string text, int[] expected)
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(name);

        Assert.Equal(expected, tokenizer.EncodeToIds(text, addSpecialTokens: true, SpecialTokenPolicy.Allow));
        Assert.Equal(tokenizer.EncodeToIds(text, SpecialTokenPolicy.Allow), tokenizer.EncodeToIds(text, addSpecialTokens: false, SpecialTokenPolicy.Allow));
    }

    [Fact]
    public void SentencePieceModelAddsItsBeginningOfSentence()
    {
        Tokenizer tokenizer = Tokenizer.FromVocabularyFile(Path.Combine(TestData.SharedVocabularies, "llama2-sentencepiece", "tokenizer.model"));
        Assert.Equal(new[] { 1 }, tokenizer.SpecialTokensBefore.ToArray());
        Assert.Empty(tokenizer.SpecialTokensAfter.ToArray());
        Assert.Empty(TestData.Tiktoken("o200k_base").SpecialTokensBefore.ToArray());
    }
}
