namespace TokenizerCompiler.Core.Compilation;

/// <summary>The file formats the compiler reads.</summary>
public enum VocabularyFormat
{
    /// <summary>Decide from the file name.</summary>
    Auto = 0,

    /// <summary>A tiktoken rank file (<c>.tiktoken</c>).</summary>
    Tiktoken = 1,

    /// <summary>A Hugging Face <c>tokenizer.json</c>.</summary>
    TokenizerJson = 2,

    /// <summary>A GPT-2 style <c>vocab.json</c>, with <c>merges.txt</c> (and optionally <c>tokenizer_config.json</c>) beside it.</summary>
    Gpt2Vocabulary = 3,

    /// <summary>A SentencePiece <c>.model</c> (binary protobuf; compiled with <see cref="VocabularyCompiler.CompileBinary"/>).</summary>
    SentencePiece = 4,
}
