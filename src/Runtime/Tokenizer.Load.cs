using System;
using System.IO;
using System.Linq;
using TokenizerCompiler.Core.Compilation;
using TokenizerCompiler.Core.Diagnostics;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Compiles a vocabulary file at run time (for vocabularies only known then) through the same compiler
    /// core the source generator uses, and opens the resulting tables.
    /// </summary>
    /// <param name="path">A vocabulary file: <c>.tiktoken</c>, a Hugging Face <c>tokenizer.json</c> (any other <c>.json</c> is read
    /// as one too), a <c>vocab.json</c> with <c>merges.txt</c> (and optionally <c>tokenizer_config.json</c>) beside it, or a
    /// SentencePiece <c>.model</c> (BPE).</param>
    /// <param name="options">Pattern, encoding and format; inferred from the file name when <see langword="null"/>.</param>
    /// <exception cref="VocabularyException">The file is malformed or unsupported; the exception lists every problem with its line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Tokenizer FromVocabularyFile(string path, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromCompilation(VocabularyCompiler.CompileFile(path, File.ReadAllBytes(path), options ?? new CompileOptions(),
            sibling => File.Exists(sibling) ? File.ReadAllBytes(sibling) : null));
    }

    /// <summary>Compiles vocabulary text at run time; <paramref name="path"/> names it in errors and implies its format.</summary>
    /// <exception cref="VocabularyException">The text is malformed or unsupported.</exception>
    /// <param name="path">The file's name or path.</param>
    /// <param name="text">Its content.</param>
    /// <param name="options">Pattern, encoding, format and normalizer; inferred from the file name when <see langword="null"/>.</param>
    /// <param name="readSibling">For a <c>vocab.json</c>: returns the content of <c>merges.txt</c> / <c>tokenizer_config.json</c> by name, or <see langword="null"/>.</param>
    public static Tokenizer FromVocabularyText(string path, string text, CompileOptions? options = null, Func<string, string?>? readSibling = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        return FromCompilation(VocabularyCompiler.Compile(path, text, options ?? new CompileOptions(), readSibling: readSibling));
    }

    /// <summary>Compiles a SentencePiece <c>.model</c> held in memory; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="VocabularyException">The data is malformed or unsupported.</exception>
    public static Tokenizer FromVocabularyBytes(string path, ReadOnlySpan<byte> data, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromCompilation(VocabularyCompiler.CompileBinary(path, data.ToArray(), options ?? new CompileOptions(VocabularyFormat.SentencePiece)));
    }

    private static Tokenizer FromCompilation(CompilationOutput output)
    {
        if (output.Image is null)
        {
            throw new VocabularyException(output.Diagnostics.Where(d => d.Severity == DiagnosticSeverityLevel.Error).ToArray());
        }

        return FromImage(output.Image);
    }
}
