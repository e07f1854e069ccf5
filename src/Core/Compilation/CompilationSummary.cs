using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.Compilation;

/// <summary>
/// What the build step that compiles a vocabulary tells the source generator: where the image went, the facts
/// the typed class needs (vocabulary size, special tokens, pattern) and every diagnostic. A few hundred bytes
/// of text instead of the megabytes of the vocabulary, so the generator's work per compilation stays tiny.
/// One record a line, tab-separated, fields escaped.
/// </summary>
public sealed class CompilationSummary
{
    private const string Header = "tkc-summary\t1";

    /// <summary>Creates a summary.</summary>
    public CompilationSummary(string sourcePath, string resourceName, int vocabularySize, PreTokenizerKind preTokenizer,
        IReadOnlyList<SpecialToken> specialTokens, IReadOnlyList<CompilerDiagnostic> diagnostics, IReadOnlyList<int>? unusedIdRanges = null)
    {
        UnusedIdRanges = unusedIdRanges ?? Array.Empty<int>();
        SourcePath = sourcePath;
        ResourceName = resourceName;
        VocabularySize = vocabularySize;
        PreTokenizer = preTokenizer;
        SpecialTokens = specialTokens;
        Diagnostics = diagnostics;
    }

    /// <summary>The vocabulary file that was compiled.</summary>
    public string SourcePath { get; }

    /// <summary>The manifest resource name of the image; empty when compilation failed.</summary>
    public string ResourceName { get; }

    /// <summary>One more than the largest id.</summary>
    public int VocabularySize { get; }

    /// <summary>The pre-tokenizer the image was built with.</summary>
    public PreTokenizerKind PreTokenizer { get; }

    /// <summary>The special tokens.</summary>
    public IReadOnlyList<SpecialToken> SpecialTokens { get; }

    /// <summary>Ids below the vocabulary size that name no token, as inclusive (first, last) pairs (analyzers flag them).</summary>
    public IReadOnlyList<int> UnusedIdRanges { get; }

    /// <summary>The compiler's diagnostics for the file.</summary>
    public IReadOnlyList<CompilerDiagnostic> Diagnostics { get; }

    /// <summary>Whether an image was produced.</summary>
    public bool Succeeded => ResourceName.Length > 0;

    /// <summary>Builds the summary of a compilation.</summary>
    public static CompilationSummary From(string sourcePath, string resourceName, CompilationOutput output) =>
        new(sourcePath,
            output.Succeeded ? resourceName : string.Empty,
            output.Definition?.VocabularySize ?? 0,
            output.Definition?.PreTokenizer.Kind ?? PreTokenizerKind.None,
            SpecialTokensOf(output.Definition),
            output.Diagnostics,
            output.Definition is null ? null : Compilation.UnusedIdRanges.Find(output.Definition));

    /// <summary>
    /// The tokens the typed class names: every special token of a tiktoken encoding; of a Hugging Face tokenizer the
    /// added tokens marked special (Gemma adds thousands of ordinary ones, which are text, not control tokens).
    /// </summary>
    private static IReadOnlyList<SpecialToken> SpecialTokensOf(TokenizerDefinition? definition)
    {
        if (definition?.Pipeline is not { } pipeline)
        {
            return definition?.SpecialTokens ?? Array.Empty<SpecialToken>();
        }

        var specials = new List<SpecialToken>();
        foreach (HuggingFace.AddedToken added in pipeline.AddedTokens)
        {
            if (added.Special)
            {
                specials.Add(new SpecialToken(added.Content, added.Id));
            }
        }

        return specials;
    }

    /// <summary>Serialises the summary.</summary>
    public string Write()
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        Line(text, "source", SourcePath);
        Line(text, "resource", ResourceName);
        Line(text, "vocabularySize", Number(VocabularySize));
        Line(text, "preTokenizer", Number((int)PreTokenizer));
        foreach (SpecialToken special in SpecialTokens)
        {
            Line(text, "special", Number(special.Id), special.Text);
        }

        for (int i = 0; i + 1 < UnusedIdRanges.Count; i += 2)
        {
            Line(text, "unused", Number(UnusedIdRanges[i]), Number(UnusedIdRanges[i + 1]));
        }

        foreach (CompilerDiagnostic d in Diagnostics)
        {
            Line(text, "diagnostic", d.Id, Number((int)d.Severity), d.FilePath, Number(d.Span.Offset), Number(d.Span.Length),
                Number(d.Span.Line), Number(d.Span.Column), d.Message);
        }

        return text.ToString();
    }

    /// <summary>Parses a summary written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The text is not a summary of this version.</exception>
    public static CompilationSummary Read(string text)
    {
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 0 || lines[0] != Header)
        {
            throw new FormatException("not a tokenizer compilation summary (version 1)");
        }

        string source = string.Empty, resource = string.Empty;
        int size = 0;
        var kind = PreTokenizerKind.None;
        var specials = new List<SpecialToken>();
        var unused = new List<int>();
        var diagnostics = new List<CompilerDiagnostic>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            string[] f = lines[i].Split('\t');
            for (int j = 0; j < f.Length; j++)
            {
                f[j] = Unescape(f[j]);
            }

            int expected = f[0] switch { "special" or "unused" => 3, "diagnostic" => 9, _ => 2 };
            if (f.Length < expected)
            {
                throw new FormatException($"summary record '{f[0]}' has {f.Length} fields, expected {expected}");
            }

            switch (f[0])
            {
                case "source":
                    source = f[1];
                    break;
                case "resource":
                    resource = f[1];
                    break;
                case "vocabularySize":
                    size = Parse(f[1]);
                    break;
                case "preTokenizer":
                    kind = (PreTokenizerKind)Parse(f[1]);
                    break;
                case "special":
                    specials.Add(new SpecialToken(f[2], Parse(f[1])));
                    break;
                case "unused":
                    unused.Add(Parse(f[1]));
                    unused.Add(Parse(f[2]));
                    break;
                case "diagnostic":
                    diagnostics.Add(new CompilerDiagnostic(f[1], (DiagnosticSeverityLevel)Parse(f[2]), f[8], f[3],
                        new SourceSpan(Parse(f[4]), Parse(f[5]), Parse(f[6]), Parse(f[7]))));
                    break;
                default:
                    throw new FormatException($"unknown summary record '{f[0]}'");
            }
        }

        return new CompilationSummary(source, resource, size, kind, specials, diagnostics, unused);
    }

    private static void Line(StringBuilder text, params string[] fields)
    {
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                text.Append('\t');
            }

            text.Append(Escape(fields[i]));
        }

        text.Append('\n');
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Parse(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number)
            ? number
            : throw new FormatException($"'{value}' is not a number");

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");

    private static string Unescape(string value)
    {
        if (value.IndexOf('\\') < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                char next = value[++i];
                text.Append(next switch { 't' => '\t', 'n' => '\n', 'r' => '\r', _ => next });
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }
}
