using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.HuggingFace;
using TokenizerCompiler.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The code points' quick check (<see cref="NormalizationQuickCheck"/>) answers yes or no only where the runtime's
/// normalization agrees, for every code point, for random mixes of marks, Hangul jamo, precomposed and compatibility
/// characters, and for every line of the corpus; and the pipelines that normalize still give Hugging Face's ids once
/// its tables are built.
/// </summary>
public class NormalizationQuickCheckTests
{
    public static TheoryData<NormalizationForm> Forms => new()
    {
        NormalizationForm.FormC, NormalizationForm.FormD, NormalizationForm.FormKC, NormalizationForm.FormKD,
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void EveryCodePointAnswersAsTheRuntime(NormalizationForm form)
    {
        NormalizationQuickCheck check = NormalizationQuickCheck.WaitFor(form);
        int yes = 0, no = 0;
        for (int codePoint = 0; codePoint < 0x110000; codePoint++)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            string text = char.ConvertFromUtf32(codePoint);
            QuickCheckResult answer = check.Check(Encoding.UTF8.GetBytes(text));
            if (answer != QuickCheckResult.Maybe)
            {
                Assert.True(text.IsNormalized(form) == (answer == QuickCheckResult.Yes), $"U+{codePoint:X4}: {answer}");
                yes += answer == QuickCheckResult.Yes ? 1 : 0;
                no += answer == QuickCheckResult.No ? 1 : 0;
            }
        }

        // Most assigned characters get an answer (the check is worth its tables), and every script's letters do.
        Assert.InRange(yes, 100_000, 0x110000);
        Assert.InRange(no, 1_000, 0x110000);
        foreach (string letters in new[] { "é", "й", "ά", "で", "가", "अ", "ก", "ש", "ع", "中" })
        {
            Assert.Equal(form is NormalizationForm.FormD or NormalizationForm.FormKD && letters.Normalize(form) != letters ? QuickCheckResult.No : QuickCheckResult.Yes,
                check.Check(Encoding.UTF8.GetBytes(letters)));
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void RandomMixesAnswerAsTheRuntime(NormalizationForm form)
    {
        NormalizationQuickCheck check = NormalizationQuickCheck.WaitFor(form);
        string[] pool = Pool();
        var random = new Random(20261207);
        int answered = 0, orderedMarks = 0;
        for (int trial = 0; trial < 200_000; trial++)
        {
            var builder = new StringBuilder();
            int length = random.Next(1, 6);
            for (int k = 0; k < length; k++)
            {
                builder.Append(pool[random.Next(pool.Length)]);
            }

            string text = builder.ToString();
            QuickCheckResult answer = check.Check(Encoding.UTF8.GetBytes(text));
            if (answer != QuickCheckResult.Maybe)
            {
                Assert.True(text.IsNormalized(form) == (answer == QuickCheckResult.Yes), $"{Escape(text)}: {answer}");
                answered++;
                orderedMarks += answer == QuickCheckResult.Yes && text.EnumerateRunes().Count(r => check.RankOf(r.Value) != 0) >= 2 ? 1 : 0;
            }
        }

        Assert.InRange(answered, 50_000, 200_000);
        Assert.InRange(orderedMarks, 1_000, 200_000); // runs of marks in canonical order were answered, not left to ICU
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void CorpusLinesAnswerAsTheRuntime(NormalizationForm form)
    {
        NormalizationQuickCheck check = NormalizationQuickCheck.WaitFor(form);
        AssertCorpusLinesAnswerAsTheRuntime(form, bytes => check.Check(bytes));
    }

    /// <summary>Every line of the corpus: where <paramref name="answer"/> says yes or no, the runtime agrees.</summary>
    private static void AssertCorpusLinesAnswerAsTheRuntime(NormalizationForm form, Func<byte[], QuickCheckResult> answer)
    {
        foreach (string file in Directory.GetFiles(TestData.CorpusDirectory, "*.txt"))
        {
            foreach (string line in File.ReadAllLines(file, Encoding.UTF8))
            {
                QuickCheckResult said = answer(Encoding.UTF8.GetBytes(line));
                if (said != QuickCheckResult.Maybe)
                {
                    Assert.True(line.IsNormalized(form) == (said == QuickCheckResult.Yes), $"{Path.GetFileName(file)}: {Escape(line)}");
                }
            }
        }
    }

    [Fact]
    public void MarksOutOfOrderAndCompositionsAreNotYes()
    {
        NormalizationQuickCheck nfc = NormalizationQuickCheck.WaitFor(NormalizationForm.FormC);
        Assert.Equal(QuickCheckResult.Yes, nfc.Check(Encoding.UTF8.GetBytes("a\u0316\u0305"))); // classes 220, 230
        Assert.Equal(QuickCheckResult.No, nfc.Check(Encoding.UTF8.GetBytes("a\u0305\u0316")));  // canonical order swaps them
        Assert.NotEqual(QuickCheckResult.Yes, nfc.Check(Encoding.UTF8.GetBytes("e\u0301")));    // composes to é
        Assert.NotEqual(QuickCheckResult.Yes, nfc.Check(Encoding.UTF8.GetBytes("\u1100\u1161"))); // Hangul L V compose
        Assert.Equal(QuickCheckResult.No, nfc.Check(Encoding.UTF8.GetBytes("\u212B")));          // ANGSTROM SIGN → Å
        Assert.NotEqual(QuickCheckResult.Yes, nfc.Check(Encoding.UTF8.GetBytes("a\uFFFEb")));    // the callers' own case
        Assert.Equal(QuickCheckResult.Yes, NormalizationQuickCheck.WaitFor(NormalizationForm.FormC).Check(Encoding.UTF8.GetBytes("ﬁ")));
        Assert.Equal(QuickCheckResult.No, NormalizationQuickCheck.WaitFor(NormalizationForm.FormKC).Check(Encoding.UTF8.GetBytes("ﬁ")));
    }

    /// <summary>
    /// For the composing forms no fast character may start (in its decomposition) with one that composes with something
    /// before it: Unicode 16 has such letters (Kirat Rai U+16D68 = U+16D67 U+16D67; Tulu-Tigalari U+113C5 = U+113C2 ...),
    /// and with ICU 76 the check said yes to U+16D63 U+16D68, which NFC composes. ICU 72 does not know them, so the rule is
    /// tested as a rule here, and the pairs as agreement wherever the runtime's ICU puts them.
    /// </summary>
    [Theory]
    [InlineData(NormalizationForm.FormC)]
    [InlineData(NormalizationForm.FormKC)]
    public void NoFastCharacterStartsWithOneThatComposesBackwards(NormalizationForm form)
    {
        NormalizationQuickCheck check = NormalizationQuickCheck.WaitFor(form);
        var composesBackwards = new HashSet<int>();
        var decompositions = new Dictionary<int, int>();
        for (int codePoint = 0; codePoint < 0x110000; codePoint++)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF
                || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(codePoint) == System.Globalization.UnicodeCategory.OtherNotAssigned)
            {
                continue; // noncharacters, which Normalize rejects, among them
            }

            string text = char.ConvertFromUtf32(codePoint);
            string decomposed = text.Normalize(NormalizationForm.FormD);
            if (decomposed == text)
            {
                continue;
            }

            int[] parts = decomposed.EnumerateRunes().Select(r => r.Value).ToArray();
            decompositions[codePoint] = parts[0];
            if (text.Normalize(NormalizationForm.FormC) == text)
            {
                composesBackwards.UnionWith(parts.Skip(1));
            }
        }

        foreach ((int codePoint, int first) in decompositions)
        {
            Assert.False(!check.IsSlow(codePoint) && composesBackwards.Contains(first), $"U+{codePoint:X4} starts with U+{first:X4}");
        }

        foreach (string pair in new[] { "\U00016D63\U00016D68", "\U00016D69\U00016D68", "\U0001138B\U000113C5", "\U0001138B\U000113C7", "e\u0301" })
        {
            QuickCheckResult answer = check.Check(Encoding.UTF8.GetBytes(pair));
            Assert.True(answer == QuickCheckResult.Maybe || pair.IsNormalized(form) == (answer == QuickCheckResult.Yes), $"{Escape(pair)}: {answer}");
        }
    }

    [Fact]
    public void PointedHebrewIsAnswered()
    {
        // The points follow the first letter of composites that are excluded from composition (U+FB2A and its kin), so
        // nothing composes with them: NFC keeps them, and the check answers without ICU.
        byte[] shalom = Encoding.UTF8.GetBytes("\u05E9\u05B8\u05C1\u05DC\u05D5\u05B9\u05DD");
        Assert.Equal(QuickCheckResult.Yes, NormalizationQuickCheck.WaitFor(NormalizationForm.FormC).Check(shalom));
        Assert.True(Encoding.UTF8.GetString(shalom).IsNormalized(NormalizationForm.FormC));
    }

    /// <summary>
    /// Asking ICU about the stretch around each slow character only (<see cref="NormalizationQuickCheck.CheckAskingAroundSlow"/>)
    /// gives the runtime's answer for the whole text: random mixes with starters between the slow characters (so that
    /// the text has several stretches), and every line of the corpus; no answer is left open for text this short.
    /// </summary>
    [Theory]
    [MemberData(nameof(Forms))]
    public void AskingAroundSlowCharactersAnswersAsTheRuntime(NormalizationForm form)
    {
        NormalizationQuickCheck check = NormalizationQuickCheck.WaitFor(form);
        string[] pool = Pool();
        var random = new Random(20261208);
        int asked = 0, yes = 0, no = 0;
        for (int trial = 0; trial < 100_000; trial++)
        {
            var builder = new StringBuilder();
            int length = random.Next(1, 14);
            for (int k = 0; k < length; k++)
            {
                builder.Append(random.Next(3) == 0 ? "xy "[random.Next(3)].ToString() : pool[random.Next(pool.Length)]);
            }

            string text = builder.ToString();
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            QuickCheckResult answer = check.CheckAskingAroundSlow(utf8);
            Assert.True(answer != QuickCheckResult.Maybe, $"{Escape(text)}: maybe");
            Assert.True(text.IsNormalized(form) == (answer == QuickCheckResult.Yes), $"{Escape(text)}: {answer}");
            asked += check.Check(utf8) == QuickCheckResult.Maybe ? 1 : 0;
            yes += answer == QuickCheckResult.Yes ? 1 : 0;
            no += answer == QuickCheckResult.No ? 1 : 0;
        }

        // The tables alone left these open (the decomposing forms have few slow characters they keep: 1.9 %).
        Assert.InRange(asked, form is NormalizationForm.FormC or NormalizationForm.FormKC ? 20_000 : 1_000, 100_000);
        Assert.InRange(yes, 10_000, 100_000);
        Assert.InRange(no, 10_000, 100_000);
        AssertCorpusLinesAnswerAsTheRuntime(form, bytes => check.CheckAskingAroundSlow(bytes));
    }

    [Fact]
    public void AskingAroundSlowCharactersLeavesOnlyLongStretchesOpen()
    {
        NormalizationQuickCheck nfc = NormalizationQuickCheck.WaitFor(NormalizationForm.FormC);
        QuickCheckResult Ask(string text) => nfc.CheckAskingAroundSlow(Encoding.UTF8.GetBytes(text));

        // A nukta after its letter: U+0958 is excluded from composition, so NFC keeps the pair (the tables alone: maybe).
        Assert.Equal(QuickCheckResult.Maybe, nfc.Check(Encoding.UTF8.GetBytes("the word \u0915\u093C here")));
        Assert.Equal(QuickCheckResult.Yes, Ask("the word \u0915\u093C here"));
        Assert.Equal(QuickCheckResult.No, Ask("caf e\u0301 and more text after it")); // e + acute composes to é
        Assert.Equal(QuickCheckResult.No, Ask("\u0915\u093C then e\u0301"));            // the second stretch decides
        Assert.Equal(QuickCheckResult.Maybe, Ask("a\uFFFEb\u0301"));                     // the callers' own case
        Assert.Equal(QuickCheckResult.Maybe, Ask("\u0915" + new string('\u093C', 200))); // a stretch of 600 bytes
        Assert.Equal(QuickCheckResult.No, Ask("\u0915" + new string('\u093C', 200) + "\u212B")); // a certain no still wins
    }

    [Fact]
    public void AnsweringAllocatesNothing()
    {
        // The build's lambda once captured the form in the method every answer goes through: 24 bytes a call.
        var normalizer = new TextNormalizer(new[] { new NormalizerStep(NormalizerKind.Nfkc) });
        byte[] text = Encoding.UTF8.GetBytes("Всеобщая декларация прав человека; ἄνθρωπος; 世界人権宣言");
        Assert.Equal(QuickCheckResult.Yes, NormalizationQuickCheck.WaitFor(NormalizationForm.FormKC).Check(text));
        // And a text with a stretch the tables leave to ICU (a nukta, which NFKC keeps after its letter).
        byte[] nukta = Encoding.UTF8.GetBytes("हिन्दी: \u0915\u093C, \u0921\u093C; 世界");
        Assert.Equal(QuickCheckResult.Maybe, NormalizationQuickCheck.WaitFor(NormalizationForm.FormKC).Check(nukta));
        foreach (byte[] sample in new[] { text, nukta })
        {
            long least = long.MaxValue;
            for (int attempt = 0; attempt < 100; attempt++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Assert.True(normalizer.LeavesUnchanged(sample));
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            Assert.Equal(0, least);
        }
    }

    /// <summary>
    /// The Hugging Face vocabularies with a Unicode form (Qwen 3 NFC; KL3M-003, -004, -005 and Claude NFKC) give the
    /// reference ids on every corpus file with the quick check's tables ready, so that its answers, not ICU's, pick
    /// the path (the conformance tests may run before the tables are built).
    /// </summary>
    [Theory]
    [InlineData("qwen3")]
    [InlineData("kl3m-003-64k")]
    [InlineData("kl3m-004-char-8k-cased")]
    [InlineData("kl3m-005-multi-word-example-32k")]
    [InlineData("claude")]
    public void NormalizingPipelinesMatchHuggingFace(string tokenizerName)
    {
        NormalizationQuickCheck.WaitFor(NormalizationForm.FormC);
        NormalizationQuickCheck.WaitFor(NormalizationForm.FormKC);
        Tokenizer tokenizer = HuggingFaceVocabularies.Get(tokenizerName);
        foreach (string golden in Directory.GetFiles(Path.Combine(HuggingFaceVocabularies.GoldensDirectory, tokenizerName), "*.ids.gz"))
        {
            string corpusFile = Path.GetFileName(golden)[..^".ids.gz".Length];
            string path = Path.Combine(TestData.CorpusDirectory, corpusFile + ".txt");
            if (!File.Exists(path))
            {
                continue;
            }

            string text = File.ReadAllText(path, Encoding.UTF8);
            Assert.Equal(TestData.ReadIds(golden), tokenizer.EncodeToIds(text, SpecialTokenPolicy.Allow));
        }
    }

    /// <summary>Characters that exercise every branch: marks of many classes, jamo, precomposed, compatibility, ASCII.</summary>
    private static string[] Pool()
    {
        var pool = new List<string> { "a", "e", "o", " ", "1", "\u1100", "\u1161", "\u11A8", "\uAC00", "\uAC01", "ﬁ", "Å", "\u212B", "é", "ά", "で", "て", "\u3099" };
        for (int codePoint = 0x0300; codePoint <= 0x036F; codePoint++)
        {
            pool.Add(((char)codePoint).ToString()); // combining diacritics: classes 1 to 240
        }

        foreach (int codePoint in new[] { 0x05B0, 0x05BC, 0x0651, 0x0654, 0x093C, 0x094D, 0x0BBE, 0x0BC6, 0x0E38, 0x0E48, 0x0F72, 0x0F80, 0x1DCE, 0x20D0, 0x302A, 0x302E, 0x0915, 0x0928, 0x0627, 0x0E01, 0x0F40 })
        {
            pool.Add(char.ConvertFromUtf32(codePoint)); // Hebrew, Arabic, Indic, Thai, Tibetan marks and their letters
        }

        pool.Add(char.ConvertFromUtf32(0x1D165)); // a musical mark outside the BMP (slow)
        pool.Add(char.ConvertFromUtf32(0x1F600)); // an emoji (a starter)
        return pool.ToArray();
    }

    private static string Escape(string text) => string.Join(" ", text.EnumerateRunes().Select(r => $"U+{r.Value:X4}"));
}
