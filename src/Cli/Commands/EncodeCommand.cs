using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace TokenizerCompiler.CommandLine.Commands;

/// <summary><c>tkc encode</c>: text to token ids, either for people (a token table) or for programs (binary ids).</summary>
internal sealed class EncodeCommand : Command
{
    /// <summary>Inputs up to this size get the per-token table; longer ones just the ids.</summary>
    public const int TableLimit = 4096;

    public override string Name => "encode";

    public override string Summary => "encode text to token ids";

    public override CommandSpec Spec { get; } = new("encode",
        new[] { CommonOptions.Vocab, CommonOptions.Pattern, CommonOptions.Encoding, CommonOptions.Normalizer, "--input", "--ids-out", "--special" },
        Array.Empty<string>());

    public override string Help =>
        "Usage: tkc encode [--vocab PATH|NAME] [--input FILE] [--ids-out FILE] [--special text|allow|disallow]\n" +
        "                  [--pattern NAME|REGEX] [--encoding NAME]\n" +
        "\n" +
        "Encodes UTF-8 text (invalid UTF-8 is encoded as U+FFFD, as tiktoken does) into token ids.\n" +
        "\n" +
        "  --input FILE          the text to encode, read as raw UTF-8 bytes. Default (or '-'): stdin.\n" +
        "  --ids-out FILE        write the ids as uint32 little-endian ('-': stdout) and print a summary line\n" +
        "                        (tokens, bytes, MB/s) on stderr. Input of any size is encoded in bounded memory.\n" +
        "  --special MODE        what to do with special-token text such as <|endoftext|> in the input:\n" +
        "                          text      encode it as ordinary text (default; tiktoken's encode_ordinary)\n" +
        "                          allow     encode it as the special token's id\n" +
        "                          disallow  fail with exit code 1 (tiktoken's encode default)\n" +
        CommonOptions.Help +
        "\n" +
        $"Without --ids-out the output is for reading: for inputs up to {TableLimit} bytes, one line per token,\n" +
        "'id<TAB>token text' (tab, CR, LF and backslash escaped as \\t \\r \\n \\\\, other invisible characters\n" +
        "as \\u{XXXX}, bytes that are not complete UTF-8 as <0xE2>), then a line 'N tokens'; for longer inputs\n" +
        "the ids on one line, separated by spaces.\n";

    public override int Execute(ParsedArguments args, CommandContext context)
    {
        SpecialTokenPolicy policy = ParsePolicy(args.Get("--special"));
        using StreamLease input = context.OpenInput(args.Get("--input"), "input file");
        Tokenizer tokenizer = CommonOptions.LoadTokenizer(args);
        var encoder = new StreamingEncoder(tokenizer, policy);

        string? idsOut = args.Get("--ids-out");
        if (idsOut is not null)
        {
            return EncodeToBinary(encoder, tokenizer, input.Stream, idsOut, context);
        }

        // Read just past the table limit to decide which readable form applies.
        byte[] prefix = new byte[TableLimit + 1];
        int length = input.Stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        using TextWriter output = context.CreateTextOut();
        if (length <= TableLimit)
        {
            var collected = new CollectingSink();
            encoder.Encode(Stream.Null, prefix.AsSpan(0, length), collected);
            foreach (int id in collected.Ids)
            {
                output.Write(id.ToString(CultureInfo.InvariantCulture));
                output.Write('\t');
                output.WriteLine(TokenFormatting.Escape(tokenizer.GetTokenBytes(id)));
            }

            output.WriteLine(collected.Ids.Count == 1 ? "1 token" : $"{collected.Ids.Count} tokens");
            return ExitCodes.Success;
        }

        var text = new TextSink(output);
        encoder.Encode(input.Stream, prefix.AsSpan(0, length), text);
        output.WriteLine();
        return ExitCodes.Success;
    }

    private static int EncodeToBinary(StreamingEncoder encoder, Tokenizer tokenizer, Stream input, string idsOut, CommandContext context)
    {
        var stopwatch = Stopwatch.StartNew();
        (long tokens, long bytes) result;
        using (StreamLease output = context.OpenOutput(idsOut))
        {
            result = encoder.Encode(input, ReadOnlySpan<byte>.Empty, new BinarySink(output.Stream));
        }

        stopwatch.Stop();
        double seconds = Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9);
        context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.tokens} tokens, {result.bytes} bytes, {result.bytes / 1e6 / seconds:F1} MB/s ({stopwatch.Elapsed.TotalMilliseconds:F0} ms, {tokenizer.Name}{(encoder.CanSplit ? string.Empty : ", whole input in memory")})"));
        return ExitCodes.Success;
    }

    private static SpecialTokenPolicy ParsePolicy(string? value) => value?.ToLowerInvariant() switch
    {
        null or "text" or "ordinary" => SpecialTokenPolicy.TreatAsText,
        "allow" => SpecialTokenPolicy.Allow,
        "disallow" => SpecialTokenPolicy.Disallow,
        _ => throw new UsageException($"--special must be text, allow or disallow, not '{value}'", "encode"),
    };

    private sealed class BinarySink(Stream output) : IdSink
    {
        public override void Write(ReadOnlySpan<int> ids) => IdsFormat.WriteBinary(output, ids);
    }

    private sealed class CollectingSink : IdSink
    {
        public List<int> Ids { get; } = new();

        public override void Write(ReadOnlySpan<int> ids) => Ids.AddRange(ids);
    }

    /// <summary>Space-separated ids, written as they come so long inputs need no id buffer.</summary>
    private sealed class TextSink(TextWriter output) : IdSink
    {
        private bool _first = true;

        public override void Write(ReadOnlySpan<int> ids)
        {
            Span<char> digits = stackalloc char[11];
            foreach (int id in ids)
            {
                if (!_first)
                {
                    output.Write(' ');
                }

                _first = false;
                id.TryFormat(digits, out int written, provider: CultureInfo.InvariantCulture);
                output.Write(digits[..written]);
            }
        }
    }
}
