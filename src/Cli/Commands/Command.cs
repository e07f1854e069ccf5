namespace TokenizerCompiler.CommandLine.Commands;

/// <summary>One tkc sub-command: its name, its help text, what arguments it takes and what it does.</summary>
internal abstract class Command
{
    public abstract string Name { get; }

    /// <summary>One line for the top-level command list.</summary>
    public abstract string Summary { get; }

    /// <summary>The full text of <c>tkc NAME --help</c>.</summary>
    public abstract string Help { get; }

    public abstract CommandSpec Spec { get; }

    /// <summary>Runs the command; returns the exit code. Throws <see cref="UsageException"/> or <see cref="CliException"/> for user errors.</summary>
    public abstract int Execute(ParsedArguments args, CommandContext context);
}

/// <summary>The options every command that loads a tokenizer shares, with their help text.</summary>
internal static class CommonOptions
{
    public const string Vocab = "--vocab";
    public const string Pattern = "--pattern";
    public const string Encoding = "--encoding";
    public const string Normalizer = "--normalizer";

    public const string Help =
        "  --vocab PATH|NAME     a .tiktoken file, a Hugging Face tokenizer.json, a vocab.json (merges.txt and\n" +
        "                        tokenizer_config.json beside it), a compiled image (.tkc, from 'tkc compile'), or one of\n" +
        "                        o200k_base, cl100k_base, p50k_base, r50k_base (the repository's vocabularies/tiktoken/,\n" +
        "                        or the folder named by TKC_VOCABULARIES). Default: o200k_base.\n" +
        "  --pattern NAME|REGEX  split pattern for a .tiktoken file: o200k, cl100k, p50k, r50k, gpt2 or a regular\n" +
        "                        expression. Default: inferred from the file name (o200k_base.tiktoken -> o200k).\n" +
        "  --encoding NAME       the tiktoken encoding whose special tokens apply. Default: inferred from the file name.\n" +
        "  --normalizer NAME     for a vocab.json, which records none: NFC, NFD, NFKC, NFKD or Lowercase (KL3M-003: NFKC).\n";

    public static Tokenizer LoadTokenizer(ParsedArguments args) =>
        VocabularyResolver.Load(args.Get(Vocab), args.Get(Pattern), args.Get(Encoding), args.Get(Normalizer));
}
