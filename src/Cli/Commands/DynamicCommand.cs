using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using TokenizerCompiler.Dynamic;

namespace TokenizerCompiler.CommandLine.Commands;

/// <summary>
/// <c>tkc dynamic</c>: a demonstration of dynamic (batch-level) tokenization on a text file: the file's non-empty
/// lines are the texts, grouped into batches; each batch is merged on its own, and the command prints the
/// length reduction and the first batch's first new tokens.
/// </summary>
internal sealed class DynamicCommand : Command
{
    public override string Name => "dynamic";

    public override string Summary => "dynamic tokenization of a file's lines: batch-level merges and the length reduction";

    public override CommandSpec Spec { get; } = new("dynamic",
        new[] { CommonOptions.Vocab, CommonOptions.Pattern, CommonOptions.Encoding, "--input", "--merges", "--min-frequency", "--batch-lines", "--boundary", "--show" },
        Array.Empty<string>());

    public override string Help =>
        "Usage: tkc dynamic --input FILE [--vocab PATH|NAME] [--merges M] [--min-frequency F] [--batch-lines N]\n" +
        "                   [--boundary pretoken|word|sentence] [--show K]\n" +
        "\n" +
        "Dynamic tokenization (Feher, Vulic, Minixhofer 2024): each non-empty line of FILE is one text; every batch\n" +
        "of N lines is tokenized with the vocabulary, then its most frequent valid adjacent token pair is merged\n" +
        "everywhere, up to M times. Prints the total length before and after, and the first new tokens of the\n" +
        "first batch with their base-id decompositions.\n" +
        "\n" +
        "  --input FILE          UTF-8 text (required).\n" +
        "  --merges M            the most merges per batch. Default 1000.\n" +
        "  --min-frequency F     stop a batch when the best pair occurs fewer than F times. Default 2.\n" +
        "  --batch-lines N       lines per batch; 0 puts the whole file in one batch. Default 0.\n" +
        "  --boundary MODE       what a merged token may not cross: pretoken (default), word or sentence.\n" +
        "  --show K              how many new tokens to list. Default 20.\n" +
        CommonOptions.Help;

    public override int Execute(ParsedArguments args, CommandContext context)
    {
        string input = args.Require("--input");
        var options = new DynamicTokenizationOptions
        {
            MaxMerges = NonNegative(args, "--merges", 1000),
            MinimumFrequency = Math.Max(1, NonNegative(args, "--min-frequency", 2)),
            Boundary = ParseBoundary(args.Get("--boundary")),
        };
        int batchLines = NonNegative(args, "--batch-lines", 0);
        int show = NonNegative(args, "--show", 20);
        Tokenizer tokenizer = CommonOptions.LoadTokenizer(args);

        var batches = new List<List<string>> { new() };
        foreach (string line in File.ReadLines(input))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (batchLines > 0 && batches[^1].Count == batchLines)
            {
                batches.Add(new List<string>());
            }

            batches[^1].Add(line);
        }

        long before = 0, after = 0, merges = 0;
        DynamicBatch? first = null;
        var clock = Stopwatch.StartNew();
        foreach (List<string> texts in batches)
        {
            DynamicBatch batch = DynamicTokenizer.Tokenize(tokenizer, texts, options);
            first ??= batch;
            before += batch.BaseTokenCount;
            after += batch.TokenCount;
            merges += batch.NewTokenCount;
        }

        clock.Stop();
        using TextWriter output = context.CreateTextOut();
        double reduction = before == 0 ? 0 : 1.0 - ((double)after / before);
        output.WriteLine($"vocabulary:      {tokenizer.Name}, boundary {options.Boundary.ToString().ToLowerInvariant()}");
        output.WriteLine($"texts:           {batches.Sum(b => b.Count)} lines in {batches.Count} batch{(batches.Count == 1 ? string.Empty : "es")}");
        output.WriteLine($"base tokens:     {before}");
        output.WriteLine($"after merges:    {after}");
        output.WriteLine(FormattableString.Invariant($"reduction:       {reduction:P1} with {merges} merges ({clock.Elapsed.TotalMilliseconds:F0} ms)"));
        if (first is not null && first.NewTokenCount > 0 && show > 0)
        {
            output.WriteLine($"first new tokens (batch 1; id, frequency, bytes, base ids):");
            for (int k = 0; k < Math.Min(show, first.NewTokenCount); k++)
            {
                output.WriteLine($"  {first.BaseVocabularySize + k,8} {first.GetMergeFrequency(k),7}  {TokenFormatting.Escape(first.GetNewTokenBytes(k))}  [{string.Join(' ', first.GetDecomposition(k).ToArray())}]");
            }
        }

        return ExitCodes.Success;
    }

    private static int NonNegative(ParsedArguments args, string option, int fallback)
    {
        string? value = args.Get(option);
        if (value is null)
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            throw new UsageException($"{option} takes a non-negative integer, not '{value}'");
        }

        return number;
    }

    private static MergeBoundary ParseBoundary(string? value) => value switch
    {
        null or "pretoken" => MergeBoundary.PreToken,
        "word" => MergeBoundary.Word,
        "sentence" => MergeBoundary.Sentence,
        _ => throw new UsageException($"--boundary takes pretoken, word or sentence, not '{value}'"),
    };
}
