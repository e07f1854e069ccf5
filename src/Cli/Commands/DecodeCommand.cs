using System;
using System.Collections.Generic;
using System.Globalization;

namespace TokenizerCompiler.CommandLine.Commands;

/// <summary><c>tkc decode</c>: token ids back to the exact bytes they stand for.</summary>
internal sealed class DecodeCommand : Command
{
    public override string Name => "decode";

    public override string Summary => "decode token ids to text (raw bytes)";

    public override CommandSpec Spec { get; } = new("decode",
        new[] { CommonOptions.Vocab, CommonOptions.Pattern, CommonOptions.Encoding, CommonOptions.Normalizer, "--ids", "--ids-text", "--out" },
        Array.Empty<string>(), AllowPositionals: true);

    public override string Help =>
        "Usage: tkc decode [--vocab PATH|NAME] (--ids FILE | --ids-text \"1 2 3\" | ID...) [--out FILE]\n" +
        "\n" +
        "Decodes token ids and writes the bytes they stand for, unchanged (no newline is added, and byte-level\n" +
        "tokens that split a UTF-8 sequence are written as they are).\n" +
        "\n" +
        "  --ids FILE            ids as uint32 little-endian, as 'tkc encode --ids-out' writes them ('-': stdin).\n" +
        "  --ids-text TEXT       ids as decimal numbers separated by spaces or commas.\n" +
        "  ID...                 ids as arguments.\n" +
        "  --out FILE            where to write the bytes. Default (or '-'): stdout.\n" +
        CommonOptions.Help;

    public override int Execute(ParsedArguments args, CommandContext context)
    {
        string? idsFile = args.Get("--ids");
        string? idsText = args.Get("--ids-text");
        int sources = (idsFile is null ? 0 : 1) + (idsText is null ? 0 : 1) + (args.Positionals.Count == 0 ? 0 : 1);
        if (sources != 1)
        {
            throw new UsageException(sources == 0
                ? "give the ids to decode: --ids FILE, --ids-text \"1 2 3\" or as arguments"
                : "give the ids one way only: --ids FILE, --ids-text or arguments", Name);
        }

        int[] ids;
        if (idsFile is not null)
        {
            using StreamLease input = context.OpenInput(idsFile, "ids file");
            ids = IdsFormat.ReadBinary(input.Stream, idsFile == "-" ? "stdin" : idsFile);
        }
        else
        {
            var parsed = new List<int>();
            if (idsText is not null)
            {
                IdsFormat.ParseText(idsText, parsed, Name);
            }

            foreach (string argument in args.Positionals)
            {
                IdsFormat.ParseText(argument, parsed, Name);
            }

            ids = parsed.ToArray();
        }

        Tokenizer tokenizer = CommonOptions.LoadTokenizer(args);
        for (int i = 0; i < ids.Length; i++)
        {
            if (!tokenizer.IsValidId(ids[i]))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"{ids[i]} (number {i} of the ids) is not a token id of {tokenizer.Name} (vocabulary size {tokenizer.VocabularySize})"));
            }
        }

        byte[] bytes = tokenizer.DecodeToBytes(ids);
        using StreamLease output = context.OpenOutput(args.Get("--out") ?? "-");
        output.Stream.Write(bytes);
        return ExitCodes.Success;
    }
}
