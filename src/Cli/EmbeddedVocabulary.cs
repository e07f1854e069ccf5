using TokenizerCompiler;

namespace TokenizerCompiler.CommandLine;

/// <summary>o200k_base, compiled into tkc at build time: the vocabulary <c>tkc encode</c> uses when none is given.</summary>
[Tokenizer("o200k_base.tiktoken", Pattern = "o200k")]
internal static partial class EmbeddedVocabulary;
