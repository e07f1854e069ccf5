using Microsoft.CodeAnalysis;

namespace TokenizerCompiler.Analyzers;

/// <summary>The analyzers' rules. Ids are TKC1xxx (TKC0xxx belongs to the generator) and are never renumbered.</summary>
internal static class Rules
{
    public const string UnknownSpecialTokenId = "TKC1001";
    public const string TokenIdOutOfRangeId = "TKC1002";
    public const string TokenizerMismatchId = "TKC1003";
    public const string HotPathAllocationId = "TKC1004";
    public const string MigrateToCompiledTokenizerId = "TKC1005";
    public const string ModelConfigMismatchId = "TKC1006";

    public static readonly DiagnosticDescriptor UnknownSpecialToken = Create(UnknownSpecialTokenId,
        "Unknown special token",
        "'{0}' is not a special token of {1}{2}",
        "Tokenizer", DiagnosticSeverity.Error,
        "The text names no special token of the compiled tokenizer, so the lookup always fails at run time.");

    public static readonly DiagnosticDescriptor TokenIdOutOfRange = Create(TokenIdOutOfRangeId,
        "Token id outside the vocabulary",
        "Token id {0} {1} of {2}",
        "Tokenizer", DiagnosticSeverity.Error,
        "The constant is used as a token id of a compiled tokenizer but names no token of it: it is at least the vocabulary size, negative, or an unused slot.");

    public static readonly DiagnosticDescriptor TokenizerMismatch = Create(TokenizerMismatchId,
        "Token ids of one tokenizer used with another",
        "Token ids from {0} are used with {1}",
        "Tokenizer", DiagnosticSeverity.Warning,
        "Ids are only meaningful for the vocabulary that produced them; decoding or comparing them with another tokenizer gives plausible garbage.");

    public static readonly DiagnosticDescriptor HotPathAllocation = Create(HotPathAllocationId,
        "Allocating tokenizer call in a hot path",
        "'{0}' allocates {1} on every call {2}: use the span overload with a pooled buffer",
        "Performance", DiagnosticSeverity.Warning,
        "Inside loops and [TokenizerHotPath] methods, the overloads that return a new array or string allocate per call; the span overloads write into a caller's buffer and allocate nothing.");

    public static readonly DiagnosticDescriptor MigrateToCompiledTokenizer = Create(MigrateToCompiledTokenizerId,
        "Vocabulary known at compile time is loaded at run time",
        "{0} loads '{1}' at run time: declare [Tokenizer(\"{2}\")] to compile it into the assembly",
        "Usage", DiagnosticSeverity.Info,
        "The vocabulary is a constant, so it can be compiled at build time: no file I/O, parsing or table building at start-up, and the analyzers can check ids and special tokens.");

    public static readonly DiagnosticDescriptor ModelConfigMismatch = Create(ModelConfigMismatchId,
        "Model configuration does not match its tokenizer",
        "'{0}' in {1} {2}",
        "Tokenizer", DiagnosticSeverity.Warning,
        "A model's configuration file linked to a compiled tokenizer (TokenizerClass metadata) disagrees with the vocabulary: the model would see ids its embedding table lacks, stop on the wrong token, or be prompted with special tokens encoded as text.");

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description,
            helpLinkUri: $"https://github.com/tokenizercompiler/tokenizercompiler/blob/main/docs/rules/{id}.md");
}
