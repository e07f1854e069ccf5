namespace TokenizerCompiler.Core.Compilation;

/// <summary>What a declaration (or a CLI call) says about how to compile a vocabulary.</summary>
/// <param name="Format">The file format; <see cref="VocabularyFormat.Auto"/> decides from the extension.</param>
/// <param name="Pattern">A known pattern name (<c>o200k</c>, <c>cl100k</c>, <c>p50k</c>, <c>r50k</c>, <c>gpt2</c>) or a regular expression; <see langword="null"/> infers it from the file name.</param>
/// <param name="Encoding">The tiktoken encoding whose special tokens apply; <see langword="null"/> infers it from the file name.</param>
/// <param name="Normalizer">For <c>vocab.json</c> + <c>merges.txt</c>, which record none: NFC, NFD, NFKC, NFKD or Lowercase.</param>
public sealed record CompileOptions(VocabularyFormat Format = VocabularyFormat.Auto, string? Pattern = null, string? Encoding = null, string? Normalizer = null);
