using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using TokenizerCompiler.HuggingFace;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// KL3M-001 has a space as an added token, so its encoder goes a word at a time from its segment cache. The same
/// tokenizer with one idle normalizer step runs the general pipeline (its own added-token matcher and regex), which
/// must give the same ids; the corpus goldens pin both to Hugging Face.
/// </summary>
public class SpaceSegmentsTests
{
    private const string Name = "kl3m-001-32k";

    private static readonly Lazy<Tokenizer> General = new(() => OffTheScannedPath(Name, SharedJson()));

    private static string SharedJson() => File.ReadAllText(Path.Combine(TestData.SharedVocabularies, Name, "tokenizer.json"));

    /// <summary>The tokenizer <paramref name="json"/> with an idle normalizer, which keeps it off the scanned path.</summary>
    private static Tokenizer OffTheScannedPath(string name, string json)
    {
        const string NoNormalizer = "\"normalizer\": null,";
        Assert.Contains(NoNormalizer, json);
        Tokenizer general = Tokenizer.FromVocabularyText(name + "-general/tokenizer.json", json.Replace(NoNormalizer, "\"normalizer\": " + IdleReplace + ",", StringComparison.Ordinal));
        Assert.False(general.IsScannedPipeline);
        return general;
    }

    /// <summary>A normalizer step that changes nothing in the test texts but keeps a pipeline off the scanned path.</summary>
    private const string IdleReplace = "{\"type\": \"Replace\", \"pattern\": {\"String\": \"\uFFFF\"}, \"content\": \"\uFFFF\"}";

    private static Tokenizer Fast => HuggingFaceVocabularies.Get(Name);

    public static TheoryData<string> CorpusFiles => new(EngineTestSupport.AllCorpusFiles);

    [Fact]
    public void AMatcherKnowsWhichTokensRunOverASpaceOrLineBreak()
    {
        var kl3m = new AddedTokenByteMatcher(new[] { Token(" ", 10), Token("\t ", 11), Token(" href=", 12), Token("(a)", 13), Token("\r\n", 14), Token("\n", 15) });
        Assert.True(kl3m.IsTokenByItself((byte)' '));
        Assert.True(kl3m.IsTokenByItself((byte)'\n'));
        Assert.False(kl3m.IsTokenByItself((byte)'\t'));
        Assert.True(kl3m.NoTokenRunsOver((byte)' ', (byte)'a'));
        Assert.False(kl3m.NoTokenRunsOver((byte)' ', (byte)'\t')); // "\t " runs over the space
        Assert.True(kl3m.NoTokenRunsOver((byte)' ', (byte)'=')); // " href=" ends before any space
        Assert.False(kl3m.NoTokenRunsOver((byte)'\n', (byte)'\r')); // "\r\n" runs over the line break
        Assert.True(kl3m.NoTokenRunsOver((byte)'\n', (byte)'\t'));
        Assert.False(new AddedTokenByteMatcher(new[] { Token("  ", 10), Token("<s>", 11) }).IsTokenByItself((byte)' '));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void SameIdsAsTheGeneralPipelineColdAndWarm(string corpusFile)
    {
        string text = EngineTestSupport.Corpus(corpusFile);
        foreach (SpecialTokenPolicy policy in new[] { SpecialTokenPolicy.Allow, SpecialTokenPolicy.TreatAsText })
        {
            int[] expected = General.Value.EncodeToIds(text, policy);

            // The first encode fills the thread's segment cache, the second is served from it; a count takes groups too.
            Assert.Equal(expected, Fast.EncodeToIds(text, policy));
            Assert.Equal(expected, Fast.EncodeToIds(text, policy));
            Assert.Equal(expected.Length, Fast.CountTokens(text, policy));
        }
    }

    [Fact]
    public void SameIdsOnSpacesTabsAndTokensThatStartWithASpace()
    {
        // Runs of spaces, "\t " (a token that runs over a space), " href=" (a token that starts with one), words of
        // 14 to 17 bytes around the segment limit, special tokens in short segments, and spaces at both ends.
        string[] texts =
        {
            " leading", "trailing ", "  two  spaces  ", "a\t b \t c", "<a href=\"x\">y</a> z", "a href= b", " href",
            "x <|end|> y <|start|>", "(a) (b) 1776 http://x.y www.z", "abcdefghijklmn o", "abcdefghijklmno p",
            "abcdefghijklmnop q", "q abcdefghijklmnopq r", "word\nword \n word", "", " ", "  ", "é è ü 中文 字 🙂 x",
            "the court shall, in its discretion, award the prevailing party",
        };
        foreach (string text in texts)
        {
            foreach (SpecialTokenPolicy policy in new[] { SpecialTokenPolicy.Allow, SpecialTokenPolicy.TreatAsText })
            {
                int[] expected = General.Value.EncodeToIds(text, policy);
                Assert.Equal(expected, Fast.EncodeToIds(text, policy));
                Assert.Equal(expected, Fast.EncodeToIds(text, policy));
            }
        }
    }

    [Fact]
    public void ATokenizerDoesNotReadAnotherTokenizersSegments()
    {
        // The thread's segment cache is shared. A copy of KL3M-001 with "shall" as one more added token encodes
        // " shall" as the space and that token, where KL3M-001 has the space and its own "shall": the same bytes,
        // two ids each, different ids. Each must keep getting its own.
        const string Added = "\"added_tokens\": [";
        string json = SharedJson();
        Assert.Contains(Added, json);
        json = json.Replace(Added,
            Added + "{\"id\": 32768, \"content\": \"shall\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": true, \"special\": false},",
            StringComparison.Ordinal);
        Tokenizer withShall = Tokenizer.FromVocabularyText(Name + "-shall/tokenizer.json", json);
        string text = string.Concat(Enumerable.Repeat("the court shall decide ", 50));
        int[] original = General.Value.EncodeToIds(text, SpecialTokenPolicy.Allow);
        int[] shall = OffTheScannedPath(Name + "-shall", json).EncodeToIds(text, SpecialTokenPolicy.Allow);
        Assert.Equal(original.Length, shall.Length);
        Assert.Contains(32768, shall);
        Assert.DoesNotContain(32768, original);
        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(original, Fast.EncodeToIds(text, SpecialTokenPolicy.Allow));
            Assert.Equal(shall, withShall.EncodeToIds(text, SpecialTokenPolicy.Allow));
        }
    }

    [Fact]
    public void SameIdsOnGeneratedText()
    {
        Gen.Int[0, 11].Array[0, 300].Select(ix => string.Concat(ix.Select(i => new[] { " ", "  ", "\t", "a", "href=", "h", "(b)", "\n", "1776", "é", "x,", "<|end|>" }[i])))
            .Sample(text => Fast.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(General.Value.EncodeToIds(text, SpecialTokenPolicy.Allow))
                && Fast.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(General.Value.EncodeToIds(text, SpecialTokenPolicy.Allow)), iter: 1000);
        PropertyTests.Text.Sample(text =>
            Fast.EncodeToIds(text, SpecialTokenPolicy.TreatAsText).AsSpan().SequenceEqual(General.Value.EncodeToIds(text, SpecialTokenPolicy.TreatAsText)), iter: 300);
    }

    [Fact]
    public void ASmallDestinationStopsBetweenWordsAndResumesExactly()
    {
        // A segment refused as a group is offered again piece by piece, so a destination stops at a piece boundary.
        string text = EngineTestSupport.Corpus("legal-gnu-licences")[..6000];
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int[] all = Fast.EncodeToIds(text, SpecialTokenPolicy.Allow);
        foreach (int size in new[] { 8, 16, 97 })
        {
            var collected = new List<int>();
            int position = 0;
            int[] window = new int[size];
            while (position < utf8.Length)
            {
                Fast.EncodeToIds(utf8.AsSpan(position), window, out int consumed, out int written, SpecialTokenPolicy.Allow);
                Assert.True(written > 0 || consumed > 0, $"no progress at byte {position} with room for {size}");
                collected.AddRange(window.AsSpan(0, written).ToArray());
                position += consumed;
            }

            Assert.Equal(all, collected.ToArray());
        }
    }

    [Theory]
    [InlineData("llama3")]
    [InlineData("gpt4o")]
    [InlineData("qwen3")]
    public void ScannedSegmentsGiveTheRegexPathsIds(string name)
    {
        // Segments are used where finding added tokens tests every position: twelve added tokens with different first
        // bytes make it so. Then a space after a printable ASCII character splits these patterns' text. Around that
        // rule: spaces after Unicode whitespace (no-break, ideographic, em space), after digits, marks and letters,
        // contractions, tabs and line breaks before spaces, added tokens next to spaces, words at the sixteen-byte
        // limit. Each text twice: cold, then from the cache.
        string json = WithAddedTokens(HuggingFaceVocabularies.NpmTokenizerJson(name), 200_000, "zq", "Xq", "9q", "#q", "(q)", "=q", "+q", "~q", "!q", "&q", "%q", "@q");
        Tokenizer scanned = Tokenizer.FromVocabularyText(name + "-added/tokenizer.json", json);
        Assert.True(scanned.IsScannedPipeline);
        Tokenizer regex = Tokenizer.FromVocabularyText(name + "-added-regex/tokenizer.json", json.Replace("\"Regex\": \"", "\"Regex\": \"(?:)", StringComparison.Ordinal));
        Assert.False(regex.IsScannedPipeline);
        AssertSameIdsOnTrickyText(scanned, regex);
    }

    [Fact]
    public void Gpt2SegmentsWithoutASpaceTokenGiveTheGeneralPathsIds()
    {
        // KL3M-001 without its space token: its many added tokens stay, so the segments split where GPT-2's pattern
        // does (a space after a printable ASCII character that no added token holds before a space).
        const string SpaceToken = "{\n      \"id\": 31673,\n      \"content\": \" \",\n      \"single_word\": false,\n      \"lstrip\": false,\n      \"rstrip\": false,\n      \"normalized\": true,\n      \"special\": false\n    },";
        string json = SharedJson();
        Assert.Contains(SpaceToken, json);
        json = json.Replace(SpaceToken, "", StringComparison.Ordinal);
        Tokenizer scanned = Tokenizer.FromVocabularyText(Name + "-nospace/tokenizer.json", json);
        Assert.True(scanned.IsScannedPipeline);
        AssertSameIdsOnTrickyText(scanned, OffTheScannedPath(Name + "-nospace", json));
    }

    /// <summary>Generated text around the split rule must encode alike on both tokenizers, cold and warm, and count alike.</summary>
    private static void AssertSameIdsOnTrickyText(Tokenizer segmented, Tokenizer reference)
    {
        string[] pieces =
        {
            " ", "  ", "a", "Word", "'s", "'LL", "123", "4", ",", "!?", "\u00A0", "\u3000", "\u2003", "\t", "\n", "\r\n", "é", "\u0301",
            "中文", "🙂", "abcdefghijklmno", "zq", "(q)", "\t ", " href=", "(a)", "1776",
        };
        Gen.Int[0, pieces.Length - 1].Array[0, 200].Select(ix => string.Concat(ix.Select(i => pieces[i])))
            .Sample(text =>
            {
                int[] expected = reference.EncodeToIds(text, SpecialTokenPolicy.Allow);
                return segmented.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(expected)
                    && segmented.EncodeToIds(text, SpecialTokenPolicy.Allow).AsSpan().SequenceEqual(expected)
                    && segmented.CountTokens(text, SpecialTokenPolicy.Allow) == expected.Length;
            }, iter: 600);
    }

    /// <summary><paramref name="json"/> with non-special added tokens <paramref name="contents"/>, numbered from <paramref name="firstId"/>.</summary>
    private static string WithAddedTokens(string json, int firstId, params string[] contents)
    {
        const string Added = "\"added_tokens\": [";
        Assert.Contains(Added, json);
        string tokens = string.Concat(contents.Select((content, i) =>
            $"{{\"id\": {firstId + i}, \"content\": {System.Text.Json.JsonSerializer.Serialize(content)}, \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": false}},"));
        return json.Replace(Added, Added + tokens, StringComparison.Ordinal);
    }

    private static TokenizerCompiler.Core.HuggingFace.AddedToken Token(string content, int id) =>
        new(id, content, Special: false, Normalized: true, LStrip: false, RStrip: false, SingleWord: false);
}
