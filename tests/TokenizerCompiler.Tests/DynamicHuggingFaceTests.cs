using System.IO;
using System.Linq;
using System.Text;
using TokenizerCompiler.Dynamic;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Dynamic tokenization and pre-token counting on Hugging Face vocabularies, whose pre-tokenizers are pipelines.</summary>
public class DynamicHuggingFaceTests
{
    [Fact]
    public void PreTokensOfAPipelineFollowItsPreTokenizer()
    {
        // Llama 3's split pattern is cl100k's; Gemma 3 has no effective split (spaces become ▁ before its Split on " ").
        string text = File.ReadAllText(Path.Combine(TestData.CorpusDirectory, "prose-en-python-faq.txt"), Encoding.UTF8)[..4000];
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        Assert.Equal(TestData.Tiktoken("cl100k_base").CountPreTokens(utf8), HuggingFaceVocabularies.Get("llama3").CountPreTokens(utf8));
        Assert.Equal(1, HuggingFaceVocabularies.Get("gemma3").CountPreTokens("two words"u8));
        Assert.Equal(2, HuggingFaceVocabularies.Get("qwen3").CountPreTokens("12"u8)); // Qwen splits every digit
    }

    [Theory]
    [InlineData("llama3", "russian")]
    [InlineData("qwen3", "cjk-zh")]
    public void MergedSequencesSpellTheTextAndMergesArePreTokens(string name, string file)
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(name);
        string[] texts = File.ReadAllText(Path.Combine(TestData.CorpusDirectory, file + ".txt"), Encoding.UTF8)[..20000]
            .Split('\n').Where(line => line.Length > 0).ToArray();

        DynamicBatch batch = DynamicTokenizer.Tokenize(tokenizer, texts, new DynamicTokenizationOptions { MaxMerges = 300 });

        Assert.True(batch.TokenCount < batch.BaseTokenCount);
        for (int s = 0; s < texts.Length; s++)
        {
            byte[] bytes = batch.GetSequence(s).ToArray().SelectMany(id => batch.GetTokenBytes(id).ToArray()).ToArray();
            Assert.Equal(texts[s].Normalize(NormalizationForm.FormC), Encoding.UTF8.GetString(bytes));
        }

        for (int k = 0; k < batch.NewTokenCount; k++)
        {
            Assert.True(DynamicMergeRules.IsValidMerge(tokenizer, batch.GetNewTokenBytes(k), MergeBoundary.PreToken));
        }
    }
}
