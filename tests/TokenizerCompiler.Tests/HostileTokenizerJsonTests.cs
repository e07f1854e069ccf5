using System.Collections.Generic;
using System.Linq;
using TokenizerCompiler.Core.Compilation;
using TokenizerCompiler.Core.Diagnostics;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// Malformed and unsupported tokenizer.json files: each is an error diagnostic with the id, line and column of the
/// offending value and its JSON path, never an exception and never a tokenizer that would give different ids.
/// </summary>
public class HostileTokenizerJsonTests
{
    private const string Vocab = "\"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2}";

    public static TheoryData<string, string, string, string, string> Cases() => new()
    {
        { "truncated", "{\"model\": {\"type\": \"BPE\", " + Vocab, DiagnosticIds.MalformedVocabulary, "<end>", "not valid JSON" },
        { "not an object", "[1, 2]", DiagnosticIds.MalformedVocabulary, "[1", "holds one object" },
        { "no model", "{\"normalizer\": null}", DiagnosticIds.MalformedVocabulary, "{", "missing model" },
        { "vocab is an array", "{\"model\": {\"type\": \"BPE\", \"vocab\": [\"a\"], \"merges\": []}}", DiagnosticIds.MalformedVocabulary, "[\"a\"]", "model.vocab" },
        { "id is a string", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"0\"}, \"merges\": []}}", DiagnosticIds.TokenIdOutOfRange, "\"0\"", "model.vocab[\"a\"]" },
        { "negative id", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": -1}, \"merges\": []}}", DiagnosticIds.TokenIdOutOfRange, "-1", "between 0 and" },
        { "huge id", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 99999999999}, \"merges\": []}}", DiagnosticIds.TokenIdOutOfRange, "99999999999", "between 0 and" },
        { "duplicate id", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 0}, \"merges\": []}}", DiagnosticIds.DuplicateToken, "0}", "also the id of 'a'" },
        { "empty vocabulary", "{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}", DiagnosticIds.EmptyVocabulary, "{}", "empty" },
        { "merge of an unknown token", "{\"model\": {\"type\": \"BPE\", " + Vocab + ",\n \"merges\": [\"a b\", \"a c\"]}}", DiagnosticIds.UnknownMergeToken, "\"a c\"", "model.merges[1]" },
        { "merge result missing", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": [[\"a\", \"b\"]]}}", DiagnosticIds.UnknownMergeToken, "[\"a\", \"b\"]", "refers to 'ab'" },
        { "merge is a number", "{\"model\": {\"type\": \"BPE\", " + Vocab + ", \"merges\": [7]}}", DiagnosticIds.MalformedVocabulary, "7]", "model.merges[0]" },
        { "unknown model", "{\"model\": {\"type\": \"Transformer\", \"vocab\": [[\"a\", 0.0]]}}", DiagnosticIds.UnsupportedComponent, "\"Transformer\"", "model 'Transformer'" },
        { "Unigram unk_id out of range", "{\"model\": {\"type\": \"Unigram\", \"unk_id\": 5, \"vocab\": [[\"a\", -1.5]]}}", DiagnosticIds.TokenIdOutOfRange, "5,", "model.unk_id" },
        { "Unigram entry without score", "{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\"]]}}", DiagnosticIds.MalformedVocabulary, "[\"a\"]]", "model.vocab[0]" },
        { "WordPiece unknown token missing", "{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {\"a\": 0}}}", DiagnosticIds.InvalidSpecialToken, "\"[UNK]\"", "'[UNK]'" },
        { "Unigram with ByteLevel", "{\"pre_tokenizer\": {\"type\": \"ByteLevel\"}, \"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", -1.0]]}}", DiagnosticIds.UnsupportedComponent, "<0>", "ByteLevel pre-tokenizer with a Unigram model" },
        { "BPE dropout", "{\"model\": {\"type\": \"BPE\", \"dropout\": 0.1, " + Vocab + ", \"merges\": []}}", DiagnosticIds.UnsupportedComponent, "0.1", "model.dropout" },
        { "Precompiled normalizer", "{\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFC\"}, {\"type\": \"Precompiled\"}]},\n\"model\": {\"type\": \"BPE\", " + Vocab + ", \"merges\": []}}", DiagnosticIds.UnsupportedComponent, "\"Precompiled\"", "normalizer.normalizers[1].type" },
        { "unknown pre-tokenizer", "{\"pre_tokenizer\": {\"type\": \"UnicodeScripts\"}, \"model\": {\"type\": \"BPE\", " + Vocab + ", \"merges\": []}}", DiagnosticIds.UnsupportedComponent, "\"UnicodeScripts\"", "pre_tokenizer.type" },
        { "invalid split regex", "{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(unclosed\"}, \"behavior\": \"Isolated\"}, \"model\": {\"type\": \"BPE\", " + Vocab + ", \"merges\": []}}", DiagnosticIds.MalformedVocabulary, "{\"Regex\"", "does not compile" },
        { "unknown split behaviour", "{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"String\": \" \"}, \"behavior\": \"Sideways\"}, \"model\": {\"type\": \"BPE\", " + Vocab + ", \"merges\": []}}", DiagnosticIds.UnsupportedComponent, "\"Sideways\"", "split behaviour 'Sideways'" },
        { "unknown decoder", "{\"decoder\": {\"type\": \"CTC\"}, \"model\": {\"type\": \"BPE\", " + Vocab + ", \"merges\": []}}", DiagnosticIds.UnsupportedComponent, "\"CTC\"", "decoder.type" },
        { "unk token not in vocabulary", "{\"model\": {\"type\": \"BPE\", \"unk_token\": \"<unk>\", " + Vocab + ", \"merges\": []}}", DiagnosticIds.InvalidSpecialToken, "\"<unk>\"", "'<unk>'" },
        { "added token without id", "{\"added_tokens\": [{\"content\": \"<x>\"}], \"model\": {\"type\": \"BPE\", " + Vocab + ", \"merges\": []}}", DiagnosticIds.MalformedVocabulary, "{\"content\"", "added_tokens[0]" },
        { "added token twice", "{\"added_tokens\": [{\"id\": 3, \"content\": \"<x>\"}, {\"id\": 3, \"content\": \"<y>\"}], \"model\": {\"type\": \"BPE\", " + Vocab + ", \"merges\": []}}", DiagnosticIds.InvalidSpecialToken, "{\"id\": 3, \"content\": \"<y>\"}", "added twice" },
        { "bad escape", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"\\q\": 0}, \"merges\": []}}", DiagnosticIds.MalformedVocabulary, "\\q", "invalid escape" },
        { "deep nesting", new string('[', 10000) + new string(']', 10000), DiagnosticIds.MalformedVocabulary, "<257>", "nesting deeper" },
        { "binary garbage", "\u0000\u0001\u0002PK\u0003\u0004", DiagnosticIds.MalformedVocabulary, "\u0000", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProblemIsADiagnosticAtItsLocation(string name, string json, string id, string anchor, string message)
    {
        // The diagnostic points at the offending value: the anchor's first occurrence ("<end>": the end of the text,
        // "<N>": offset N).
        int expected = anchor == "<end>" ? json.Length
            : anchor.StartsWith('<') && anchor.EndsWith('>') && int.TryParse(anchor[1..^1], out int offset) ? offset
            : json.IndexOf(anchor, System.StringComparison.Ordinal);
        Assert.True(expected >= 0, $"{name}: anchor not found");

        CompilationOutput output = VocabularyCompiler.Compile("tokenizer.json", json, new CompileOptions());

        Assert.Null(output.Image);
        CompilerDiagnostic error = output.Diagnostics.First(d => d.Severity == DiagnosticSeverityLevel.Error);
        Assert.True(error.Id == id, $"{name}: {error}");
        Assert.True(error.Span.Offset == expected, $"{name}: expected offset {expected}: {error}");
        Assert.Equal(new Core.Diagnostics.LineMap(json).SpanAt(expected, 1).Line, error.Span.Line);
        Assert.Contains(message, error.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void MinimalValidTokenizerCompilesAndEncodes()
    {
        string json = "{\"model\": {\"type\": \"BPE\", " + Vocab + ", \"merges\": [\"a b\"]}, \"decoder\": null}";

        Tokenizer tokenizer = Tokenizer.FromVocabularyText("tokenizer.json", json);

        Assert.Equal(new[] { 2, 1, 2 }, tokenizer.EncodeToIds("abbab"));
        Assert.Equal(new[] { 0 }, tokenizer.EncodeToIds("a c"));   // no unk token: characters outside the vocabulary are dropped, as in Hugging Face
        Assert.Equal("ab b ab", tokenizer.Decode(new[] { 2, 1, 2 })); // no decoder: Hugging Face joins tokens with spaces
    }
}
