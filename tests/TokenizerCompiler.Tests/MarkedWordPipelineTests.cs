using System;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Gemma 3 (spaces become ▁, nothing else) is encoded word by word from UTF-8; the same tokenizer with one more,
/// idle normalizer step runs the general pipeline. Both must give the same ids (the corpus goldens already pin the
/// fast path to Hugging Face), and every word boundary it reports must be a place to stop and resume.
/// </summary>
public class MarkedWordPipelineTests
{
    private static readonly Lazy<Tokenizer> General = new(() =>
    {
        string json = HuggingFaceVocabularies.NpmTokenizerJson("gemma3");
        const string Replace = "\"normalizer\": {\n    \"type\": \"Replace\",\n    \"pattern\": {\n      \"String\": \" \"\n    },\n    \"content\": \"\u2581\"\n  },";
        Assert.Contains(Replace, json);
        string sequence = "\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Replace\", \"pattern\": {\"String\": \" \"}, \"content\": \"\u2581\"}, "
            + IdleReplace + "]},";
        return Tokenizer.FromVocabularyText("gemma3-general/tokenizer.json", json.Replace(Replace, sequence, StringComparison.Ordinal));
    });

    /// <summary>Llama 2 (Prepend then Replace) with an idle step in front of its normalizers.</summary>
    private static readonly Lazy<Tokenizer> Llama2General = new(() =>
    {
        string json = HuggingFaceVocabularies.NpmTokenizerJson("llama2");
        const string Normalizers = "\"normalizers\": [";
        Assert.Contains(Normalizers, json);
        return Tokenizer.FromVocabularyText("llama2-general/tokenizer.json", json.Replace(Normalizers, Normalizers + IdleReplace + ",", StringComparison.Ordinal));
    });

    /// <summary>A normalizer step that changes nothing in the test texts but keeps a pipeline off the word path.</summary>
    private const string IdleReplace = "{\"type\": \"Replace\", \"pattern\": {\"String\": \"\uFFFF\"}, \"content\": \"\uFFFF\"}";

    public static TheoryData<string> CorpusFiles => new(EngineTestSupport.AllCorpusFiles);

    [Fact]
    public void OnlyPipelinesThatJustReplaceSpacesTakeThePath()
    {
        Assert.True(HuggingFaceVocabularies.Get("gemma3").IsMarkedWordPipeline);
        Assert.False(General.Value.IsMarkedWordPipeline);
        Assert.True(HuggingFaceVocabularies.Get("llama2").IsMarkedWordPipeline); // Prepend too: whole stretches to the sink
        Assert.False(Llama2General.Value.IsMarkedWordPipeline);
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void SameIdsAsTheGeneralPipeline(string corpusFile)
    {
        string text = EngineTestSupport.Corpus(corpusFile);
        foreach (SpecialTokenPolicy policy in new[] { SpecialTokenPolicy.Allow, SpecialTokenPolicy.TreatAsText })
        {
            Assert.Equal(General.Value.EncodeToIds(text, policy), HuggingFaceVocabularies.Get("gemma3").EncodeToIds(text, policy));
            Assert.Equal(Llama2General.Value.EncodeToIds(text, policy), HuggingFaceVocabularies.Get("llama2").EncodeToIds(text, policy));
        }
    }

    [Fact]
    public void PrependedPipelinesStopOnlyAtAddedTokensAndResumeExactly()
    {
        // Llama 2's stretches between added tokens go to the sink whole; a destination too small for one makes no
        // progress, and text with added tokens resumes after them with the same ids as the whole.
        Tokenizer llama2 = HuggingFaceVocabularies.Get("llama2");
        string text = string.Concat(Enumerable.Repeat("Hello world, this is Llama.</s> And again <s>  with spaces</s>", 20));
        int[] all = llama2.EncodeToIds(text, SpecialTokenPolicy.Allow);
        Assert.Equal(Llama2General.Value.EncodeToIds(text, SpecialTokenPolicy.Allow), all);
        var collected = new System.Collections.Generic.List<int>();
        ReadOnlySpan<char> rest = text;
        int[] window = new int[40];
        while (!rest.IsEmpty)
        {
            llama2.EncodeToIds(rest, window, out int used, out int written, SpecialTokenPolicy.Allow);
            Assert.True(used > 0, "progress");
            collected.AddRange(window.AsSpan(0, written).ToArray());
            rest = rest[used..];
        }

        Assert.Equal(all, collected.ToArray());
    }

    [Fact]
    public void SameIdsOnSpacesAddedTokensAndMarks()
    {
        // Runs of spaces (▁▁ is never cut), literal ▁, a character some token has before ▁ ('>'), added tokens
        // (<b>, tabs, newlines) between and inside words.
        Tokenizer fast = HuggingFaceVocabularies.Get("gemma3");
        string[] texts =
        {
            " leading", "trailing ", "  two  spaces  ", "a\u2581b \u2581c", "<b>bold</b> text", "x> y", "a >  b",
            "\t\ttabs and\nnew\n\nlines", "<start_of_turn>user\nhi<end_of_turn>", "", " ", "\u2581", "é è ü 中文 字 🙂 x",
            // The space search looks sixteen bytes ahead: spaces just past an added token that ends a stretch, words
            // of more than sixteen bytes, and many spaces in one window.
            "ab<b> cd ef", "x<b>y z", "word<b>  ", "averyveryverylongwordwithoutspaces and more", "a b c d e f g h i j k l m n o p",
        };
        foreach (string text in texts)
        {
            Assert.Equal(General.Value.EncodeToIds(text, SpecialTokenPolicy.Allow), fast.EncodeToIds(text, SpecialTokenPolicy.Allow));
        }
    }

    [Fact]
    public void SameIdsAndCountsForWordsOfEveryLength()
    {
        // Words of up to thirteen bytes after a space are normalized with one vector store when sixteen bytes can be
        // read from the space, the rest by copies: every length on both sides of that limit, in the middle of the
        // text and within sixteen bytes of its end, with multi-byte characters in them.
        string[] letters = { "a", "é", "中", "🙂" };
        foreach (string letter in letters)
        {
            for (int length = 1; length <= 20; length++)
            {
                string word = string.Concat(Enumerable.Repeat(letter, length));
                foreach (string text in new[] { "x " + word + " y z", "x " + word, word + " " + word + " " + word + " and some more words after it" })
                {
                    foreach ((Tokenizer fast, Tokenizer general) in new[] { (HuggingFaceVocabularies.Get("gemma3"), General.Value), (HuggingFaceVocabularies.Get("llama2"), Llama2General.Value) })
                    {
                        int[] expected = general.EncodeToIds(text, SpecialTokenPolicy.Allow);
                        Assert.Equal(expected, fast.EncodeToIds(text, SpecialTokenPolicy.Allow));
                        Assert.Equal(expected.Length, fast.CountTokens(text, SpecialTokenPolicy.Allow));
                    }
                }
            }
        }
    }

    [Fact]
    public void APrependedStretchThatDoesNotFitWritesNothing()
    {
        // Llama 2's stretch is written straight into the caller's span; when it does not fit, no id counts as
        // written and nothing is consumed, and the same call with room gives the whole stretch.
        Tokenizer llama2 = HuggingFaceVocabularies.Get("llama2");
        string text = "The licensee shall indemnify the licensor against all claims arising hereunder.";
        int[] all = llama2.EncodeToIds(text, SpecialTokenPolicy.Allow);
        int[] small = new int[all.Length - 1];
        llama2.EncodeToIds(text, small, out int consumed, out int written, SpecialTokenPolicy.Allow);
        Assert.Equal(0, consumed);
        Assert.Equal(0, written);
        int[] exact = new int[all.Length];
        llama2.EncodeToIds(text, exact, out consumed, out written, SpecialTokenPolicy.Allow);
        Assert.Equal(text.Length, consumed);
        Assert.Equal(all, exact);
        Assert.Equal(all.Length, llama2.CountTokens(text, SpecialTokenPolicy.Allow));
    }

    [Fact]
    public void SameIdsOnGeneratedText()
    {
        Tokenizer fast = HuggingFaceVocabularies.Get("gemma3");
        PropertyTests.Text.Sample(text =>
            fast.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(General.Value.EncodeToIds(text, SpecialTokenPolicy.Allow)), iter: 500);
        Tokenizer llama2 = HuggingFaceVocabularies.Get("llama2");
        PropertyTests.Text.Sample(text =>
            llama2.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(Llama2General.Value.EncodeToIds(text, SpecialTokenPolicy.Allow)), iter: 500);
        Gen.Int[0, 9].Array[0, 300].Select(ix => string.Concat(ix.Select(i => new[] { " ", "  ", "a", "b>", "\u2581", "\n", "\t", "<b>", "é", "1" }[i])))
            .Sample(text => fast.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(General.Value.EncodeToIds(text, SpecialTokenPolicy.Allow)), iter: 500);
    }

    [Fact]
    public void EveryWordBoundaryIsAPlaceToStopAndResume()
    {
        Tokenizer fast = HuggingFaceVocabularies.Get("gemma3");
        string text = EngineTestSupport.Corpus("legal-gnu-licences")[..4000];
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int[] all = fast.EncodeToIds(text, SpecialTokenPolicy.Allow);
        // A destination of 16 ids still makes progress: the stretches between added tokens are whole lines, so only
        // boundaries between words let it stop that often.
        foreach (int size in new[] { 16, 40, 97 })
        {
            var collected = new System.Collections.Generic.List<int>();
            int position = 0, stops = 0;
            int[] window = new int[size];
            while (position < utf8.Length)
            {
                fast.EncodeToIds(utf8.AsSpan(position), window, out int consumed, out int written, SpecialTokenPolicy.Allow);
                Assert.True(written > 0 || consumed > 0, $"no progress at byte {position} with room for {size}");
                collected.AddRange(window.AsSpan(0, written).ToArray());
                position += consumed;
                stops++;
            }

            Assert.Equal(all, collected.ToArray());
            Assert.True(stops >= all.Length / size, $"{stops} stops for {all.Length} ids with room for {size}");
        }
    }
}
