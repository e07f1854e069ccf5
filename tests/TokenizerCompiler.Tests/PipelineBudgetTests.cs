using System;
using System.Buffers;
using System.IO;
using System.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Token budgets, resumable encoding and growing outputs on Hugging Face pipelines: every cut re-encodes to exactly
/// the kept ids, resumed encoding gives the whole text's ids, and a normalizer that expands text does not truncate.
/// </summary>
public class PipelineBudgetTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "llama3", "code-python-test-re" },
        { "qwen3", "mixed-udhr-article1-all-languages" },
        { "gemma3", "prose-en-python-tutorial" },
        { "kl3m-003-64k", "legal-gnu-licences" },
        { "kl3m-004-char-4k-cased", "cjk-ja" },
        { "deepseek_v3", "emoji-unicode-emoji-test" },
        { "kl3m-005-multi-word-example-32k", "whitespace-crlf-dotnet-xmldoc" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BudgetCutsReEncodeToTheKeptIds(string name, string corpusFile)
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(name);
        string text = File.ReadAllText(Path.Combine(TestData.CorpusDirectory, corpusFile + ".txt"), Encoding.UTF8)[..6000];
        int[] all = tokenizer.EncodeToIds(text, SpecialTokenPolicy.Allow);

        foreach (int budget in new[] { 0, 1, 7, all.Length / 3, all.Length - 1, all.Length, all.Length + 5 })
        {
            int end = tokenizer.GetIndexByTokenCount(text, budget, out int kept, SpecialTokenPolicy.Allow);
            Assert.InRange(kept, 0, Math.Min(budget, all.Length));
            Assert.Equal(all.AsSpan(0, kept).ToArray(), tokenizer.EncodeToIds(text[..end], SpecialTokenPolicy.Allow));

            int start = tokenizer.GetIndexByTokenCountFromEnd(text, budget, out int keptFromEnd, SpecialTokenPolicy.Allow);
            Assert.InRange(keptFromEnd, 0, Math.Min(budget, all.Length));
            Assert.Equal(all.AsSpan(all.Length - keptFromEnd).ToArray(), tokenizer.EncodeToIds(text[start..], SpecialTokenPolicy.Allow));
        }

        // Without a normalizer the units are pre-tokens, so a third of the budget keeps most of it.
        if (name is "llama3" or "deepseek_v3")
        {
            tokenizer.GetIndexByTokenCount(text, all.Length / 3, out int third, SpecialTokenPolicy.Allow);
            Assert.True(third > all.Length / 3 - 10, $"kept {third} of a budget of {all.Length / 3}");
        }
    }

    /// <summary>All but kl3m-005, which has no pre-tokenizer: its whole text is one BPE word, which only a destination for all its ids takes.</summary>
    public static TheoryData<string, string> ResumableCases()
    {
        var cases = new TheoryData<string, string>();
        foreach (object[] row in Cases())
        {
            if ((string)row[0] != "kl3m-005-multi-word-example-32k")
            {
                cases.Add((string)row[0], (string)row[1]);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(ResumableCases))]
    public void DestinationTooSmallResumesExactly(string name, string corpusFile)
    {
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(name);
        string text = File.ReadAllText(Path.Combine(TestData.CorpusDirectory, corpusFile + ".txt"), Encoding.UTF8)[..6000];
        int[] all = tokenizer.EncodeToIds(text, SpecialTokenPolicy.Allow);

        var collected = new System.Collections.Generic.List<int>();
        int position = 0;
        int[] window = new int[Math.Max(64, all.Length / 5)];
        while (position < text.Length)
        {
            OperationStatus status = tokenizer.EncodeToIds(text.AsSpan(position), window, out int consumed, out int written, SpecialTokenPolicy.Allow);
            collected.AddRange(window.AsSpan(0, written).ToArray());
            Assert.True(status == OperationStatus.Done || consumed > 0, "no progress");
            position += consumed;
        }

        Assert.Equal(all, collected.ToArray());
    }

    [Fact]
    public void NormalizerThatExpandsTextIsNotTruncated()
    {
        // NFKC turns U+FDFA (3 UTF-8 bytes) into 18 Arabic letters; a character-level vocabulary needs more ids than bytes.
        Tokenizer tokenizer = HuggingFaceVocabularies.Get("kl3m-004-char-4k-cased");
        string text = "\uFDFA";

        int[] ids = tokenizer.EncodeToIds(text, SpecialTokenPolicy.Allow);

        Assert.True(ids.Length > Encoding.UTF8.GetByteCount(text), $"{ids.Length} ids");
        Assert.Equal(text.Normalize(NormalizationForm.FormKC), tokenizer.Decode(ids));
        var writer = new ArrayBufferWriter<int>();
        Assert.Equal(ids.Length, tokenizer.EncodeToIds(Encoding.UTF8.GetBytes(text), writer, SpecialTokenPolicy.Allow));
        Assert.Equal(ids, writer.WrittenSpan.ToArray());
        Assert.Equal(OperationStatus.DestinationTooSmall, tokenizer.EncodeToIds(text, new int[3], out int consumed, out int written));
        Assert.Equal((0, 0), (consumed, written));
    }

    [Fact]
    public void NoncharacterFFFEPassesThroughNormalization()
    {
        // .NET's Normalize rejects U+FFFE; Unicode normalization (and so Hugging Face) leaves it as it is.
        Tokenizer tokenizer = HuggingFaceVocabularies.Get("kl3m-004-char-4k-cased");
        string text = "ﬁ\uFFFE ﬁ";

        int[] ids = tokenizer.EncodeToIds(text, SpecialTokenPolicy.Allow);

        Assert.Equal("fi\uFFFE fi", tokenizer.Decode(ids));
    }
}
