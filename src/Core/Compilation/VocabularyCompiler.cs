using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.Core.Parsing;
using TokenizerCompiler.Core.Patterns;
using TokenizerCompiler.Core.Tables;

namespace TokenizerCompiler.Core.Compilation;

/// <summary>
/// The compiler's front door: parse → validate → build tables. The source generator, the run-time loader and
/// the CLI all compile vocabularies through here.
/// </summary>
public static class VocabularyCompiler
{
    /// <summary>Compiles the vocabulary in <paramref name="text"/>.</summary>
    /// <param name="filePath">The file's path (for diagnostics, and to infer format, pattern and encoding).</param>
    /// <param name="text">The file's content.</param>
    /// <param name="options">What the declaration says.</param>
    /// <param name="name">A display name stored in the image; the file name when <see langword="null"/>.</param>
    /// <remarks>Never throws for bad input: even a bug in the compiler comes back as an error diagnostic, so the
    /// generator cannot fail silently (CS8785) and the build task and loaders report it like any other problem.</remarks>
    /// <param name="readSibling">Reads a file beside <paramref name="filePath"/> by name (merges.txt and tokenizer_config.json
    /// beside a vocab.json), returning <see langword="null"/> when it does not exist. The core does no file I/O itself (it also runs
    /// inside the compiler): hosts that read files pass <c>name =&gt; File.Exists(p) ? File.ReadAllText(p) : null</c>.</param>
    public static CompilationOutput Compile(string filePath, string text, CompileOptions options, string? name = null,
        Func<string, string?>? readSibling = null)
    {
        var diagnostics = new List<CompilerDiagnostic>();
        try
        {
            TokenizerDefinition? definition = Parse(filePath, text, options, diagnostics, readSibling);
            if (definition is null || diagnostics.Any(d => d.Severity == DiagnosticSeverityLevel.Error))
            {
                return new CompilationOutput(null, null, diagnostics);
            }

            byte[] image = ImageWriter.Write(definition, name ?? DisplayNameOf(filePath));
            return new CompilationOutput(definition, image, diagnostics);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.MalformedVocabulary, DiagnosticSeverityLevel.Error,
                $"the vocabulary could not be compiled: {e.GetType().Name}: {e.Message}", filePath, SourceSpan.FileStart));
            return new CompilationOutput(null, null, diagnostics);
        }
    }

    /// <summary>
    /// Compiles a vocabulary file of any format from its bytes: a binary one (SentencePiece <c>.model</c>) as it is, a text
    /// one decoded as <c>File.ReadAllText</c> decodes (UTF-8, or the encoding its byte order mark names), with the files a
    /// <c>vocab.json</c> needs read beside it. The one entry point for hosts that read files (the build task, the run-time
    /// loader, <c>tkc compile</c>); the core itself does no file I/O because it also runs inside the compiler.
    /// </summary>
    /// <param name="filePath">The file's path (for diagnostics, the format and where its sibling files are).</param>
    /// <param name="content">The file's bytes.</param>
    /// <param name="options">What the declaration says.</param>
    /// <param name="readFile">Reads a file by path, returning <see langword="null"/> when it does not exist.</param>
    /// <param name="name">A display name stored in the image; derived from the path when <see langword="null"/>.</param>
    public static CompilationOutput CompileFile(string filePath, byte[] content, CompileOptions options, Func<string, byte[]?> readFile,
        string? name = null)
    {
        if (IsBinaryFormat(filePath, options))
        {
            return CompileBinary(filePath, content, options, name);
        }

        string directory = Path.GetDirectoryName(filePath) ?? string.Empty;
        return Compile(filePath, DecodeText(content), options, name,
            sibling => readFile(Path.Combine(directory, sibling)) is byte[] bytes ? DecodeText(bytes) : null);
    }

    private static string DecodeText(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Compiles a binary vocabulary (a SentencePiece <c>.model</c>); never throws for bad input.</summary>
    /// <param name="filePath">The file's path (for diagnostics).</param>
    /// <param name="data">The file's bytes.</param>
    /// <param name="options">What the declaration says.</param>
    /// <param name="name">A display name stored in the image; the file name when <see langword="null"/>.</param>
    public static CompilationOutput CompileBinary(string filePath, byte[] data, CompileOptions options, string? name = null)
    {
        var diagnostics = new List<CompilerDiagnostic>();
        try
        {
            VocabularyFormat format = options.Format == VocabularyFormat.Auto ? FormatOf(filePath) : options.Format;
            if (format != VocabularyFormat.SentencePiece)
            {
                diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.UnsupportedComponent, DiagnosticSeverityLevel.Error,
                    $"'{filePath}' is not a binary vocabulary format (supported: SentencePiece .model)", filePath, SourceSpan.FileStart));
                return new CompilationOutput(null, null, diagnostics);
            }

            TokenizerDefinition? definition = SentencePiece.SentencePieceModelReader.Read(filePath, data, diagnostics);
            if (definition is null || diagnostics.Any(d => d.Severity == DiagnosticSeverityLevel.Error))
            {
                return new CompilationOutput(null, null, diagnostics);
            }

            return new CompilationOutput(definition, ImageWriter.Write(definition, name ?? DisplayNameOf(filePath)), diagnostics);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.MalformedVocabulary, DiagnosticSeverityLevel.Error,
                $"the vocabulary could not be compiled: {e.GetType().Name}: {e.Message}", filePath, SourceSpan.FileStart));
            return new CompilationOutput(null, null, diagnostics);
        }
    }

    /// <summary>Whether <paramref name="filePath"/> names a binary vocabulary format (compiled with <see cref="CompileBinary"/>).</summary>
    private static bool IsBinaryFormat(string filePath, CompileOptions options) =>
        (options.Format == VocabularyFormat.Auto ? FormatOf(filePath) : options.Format) == VocabularyFormat.SentencePiece;

    /// <summary>Parses and validates without building tables.</summary>
    public static TokenizerDefinition? Parse(string filePath, string text, CompileOptions options, List<CompilerDiagnostic> diagnostics,
        Func<string, string?>? readSibling = null)
    {
        VocabularyFormat format = options.Format == VocabularyFormat.Auto ? FormatOf(filePath) : options.Format;
        switch (format)
        {
            case VocabularyFormat.Tiktoken:
                return ParseTiktoken(filePath, text, options, diagnostics);
            case VocabularyFormat.TokenizerJson:
                return TokenizerJsonReader.Read(filePath, text, diagnostics);
            case VocabularyFormat.Gpt2Vocabulary:
                return ParseGpt2Files(filePath, text, options, diagnostics, readSibling ?? (_ => null));
            default:
                diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.UnsupportedComponent, DiagnosticSeverityLevel.Error,
                    $"'{filePath}' is not a vocabulary format the compiler reads (supported: .tiktoken, tokenizer.json or another .json holding a Hugging Face tokenizer, vocab.json with merges.txt)",
                    filePath, SourceSpan.FileStart));
                return null;
        }
    }

    /// <summary>
    /// A tokenizer's display name from its file: the encoding for a rank file (<c>o200k_base</c>), the model folder for
    /// the file names every model uses (<c>llama3/tokenizer.json</c> is <c>llama3</c>).
    /// </summary>
    public static string DisplayNameOf(string filePath)
    {
        string file = Path.GetFileName(filePath);
        if (file is "tokenizer.json" or "vocab.json" or "tokenizer.model")
        {
            string? folder = Path.GetFileName(Path.GetDirectoryName(filePath));
            return string.IsNullOrEmpty(folder) ? Path.GetFileNameWithoutExtension(file) : folder!;
        }

        return KnownEncodings.EncodingNameFromFileName(filePath);
    }

    /// <summary>The format a file name implies, or <see cref="VocabularyFormat.Auto"/> when it implies none.</summary>
    public static VocabularyFormat FormatOf(string filePath)
    {
        if (filePath.EndsWith(".tiktoken", StringComparison.OrdinalIgnoreCase))
        {
            return VocabularyFormat.Tiktoken;
        }

        if (filePath.EndsWith(".model", StringComparison.OrdinalIgnoreCase))
        {
            return VocabularyFormat.SentencePiece;
        }

        if (string.Equals(Path.GetFileName(filePath), "vocab.json", StringComparison.OrdinalIgnoreCase))
        {
            return VocabularyFormat.Gpt2Vocabulary;
        }

        return filePath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? VocabularyFormat.TokenizerJson : VocabularyFormat.Auto;
    }

    private static TokenizerDefinition? ParseGpt2Files(string filePath, string text, CompileOptions options, List<CompilerDiagnostic> diagnostics,
        Func<string, string?> readSibling)
    {
        string directory = Path.GetDirectoryName(filePath) ?? string.Empty;
        string mergesPath = Path.Combine(directory, Gpt2FilesReader.MergesFileName);
        string? merges = readSibling(Gpt2FilesReader.MergesFileName);
        if (merges is null)
        {
            diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.VocabularyFileNotFound, DiagnosticSeverityLevel.Error,
                $"a vocab.json needs the {Gpt2FilesReader.MergesFileName} beside it ('{mergesPath}' was not found)", filePath, SourceSpan.FileStart));
            return null;
        }

        string configPath = Path.Combine(directory, Gpt2FilesReader.ConfigFileName);
        return Gpt2FilesReader.Read(filePath, text, mergesPath, merges, configPath, readSibling(Gpt2FilesReader.ConfigFileName), options.Normalizer, diagnostics);
    }

    private static TokenizerDefinition? ParseTiktoken(string filePath, string text, CompileOptions options, List<CompilerDiagnostic> diagnostics)
    {
        string encoding = options.Encoding ?? KnownEncodings.EncodingNameFromFileName(filePath);
        string? patternText = options.Pattern ?? KnownEncodings.PatternNameOf(encoding);
        if (patternText is null)
        {
            diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.InvalidOption, DiagnosticSeverityLevel.Error,
                $"a .tiktoken file holds no split pattern and '{encoding}' is not a known encoding: give a Pattern (o200k, cl100k, p50k, r50k, gpt2 or a regular expression)",
                filePath, SourceSpan.FileStart));
            return null;
        }

        if (!KnownPatterns.TryResolve(patternText, out PreTokenizerSpec preTokenizer) && KnownPatterns.IsName(patternText))
        {
            diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.InvalidOption, DiagnosticSeverityLevel.Error,
                $"'{patternText}' is not a known pattern name (o200k, cl100k, p50k, r50k, gpt2); give the regular expression itself for other patterns",
                filePath, SourceSpan.FileStart));
            return null;
        }

        if (preTokenizer.Kind == PreTokenizerKind.Regex)
        {
            diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.SlowPathPattern, DiagnosticSeverityLevel.Info,
                "the split pattern is not one of the recognised model patterns; it runs through System.Text.RegularExpressions (the slow path)",
                filePath, SourceSpan.FileStart));
        }

        List<byte[]?>? tokens = TiktokenParser.Parse(text, filePath, diagnostics);
        if (tokens is null)
        {
            return null;
        }

        if (!HasEveryByte(tokens, filePath, diagnostics))
        {
            return null;
        }

        IReadOnlyList<SpecialToken> specials = KnownEncodings.SpecialTokensOf(encoding) ?? Array.Empty<SpecialToken>();
        foreach (SpecialToken special in specials)
        {
            if (special.Id < tokens.Count && tokens[special.Id] is not null)
            {
                diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.InvalidSpecialToken, DiagnosticSeverityLevel.Error,
                    $"special token '{special.Text}' of encoding '{encoding}' has id {special.Id}, which an ordinary token already has: is this the right encoding for this file?",
                    filePath, SourceSpan.FileStart));
                return null;
            }
        }

        return new TokenizerDefinition(TokenizerModelKind.RankedBytePairEncoding, tokens, preTokenizer, specials);
    }

    private static bool HasEveryByte(List<byte[]?> tokens, string filePath, List<CompilerDiagnostic> diagnostics)
    {
        var present = new bool[256];
        foreach (byte[]? token in tokens)
        {
            if (token is { Length: 1 })
            {
                present[token[0]] = true;
            }
        }

        int missing = Array.IndexOf(present, false);
        if (missing < 0)
        {
            return true;
        }

        diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.MalformedVocabulary, DiagnosticSeverityLevel.Error,
            $"byte 0x{missing:X2} has no single-byte token; a byte-level BPE vocabulary needs all 256 so that every text can be encoded",
            filePath, SourceSpan.FileStart));
        return false;
    }
}
