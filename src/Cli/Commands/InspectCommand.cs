using System;
using System.IO;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.Core.Patterns;

namespace TokenizerCompiler.CommandLine.Commands;

/// <summary><c>tkc inspect</c>: what a vocabulary or image holds, to check it is the one you meant.</summary>
internal sealed class InspectCommand : Command
{
    public override string Name => "inspect";

    public override string Summary => "show a vocabulary's name, size, special tokens and pattern";

    public override CommandSpec Spec { get; } = new("inspect",
        new[] { CommonOptions.Vocab, CommonOptions.Pattern, CommonOptions.Encoding, CommonOptions.Normalizer },
        Array.Empty<string>());

    public override string Help =>
        "Usage: tkc inspect [--vocab PATH|NAME] [--pattern NAME|REGEX] [--encoding NAME]\n" +
        "\n" +
        "Prints the tokenizer's name, source, vocabulary size, longest token, special tokens and split pattern.\n" +
        "\n" +
        CommonOptions.Help;

    public override int Execute(ParsedArguments args, CommandContext context)
    {
        VocabularySource source = VocabularyResolver.Resolve(args.Get(CommonOptions.Vocab));
        Tokenizer tokenizer = VocabularyResolver.Load(source, args.Get(CommonOptions.Pattern), args.Get(CommonOptions.Encoding), args.Get(CommonOptions.Normalizer));

        int ordinary = 0;
        for (int id = 0; id < tokenizer.VocabularySize; id++)
        {
            if (tokenizer.IsValidId(id))
            {
                ordinary++;
            }
        }

        ordinary -= tokenizer.SpecialTokenIds.Length;
        PreTokenizerKind kind = KnownPatterns.FromPattern(tokenizer.Pattern).Kind;
        string patternKind = kind switch
        {
            PreTokenizerKind.O200k => "o200k (built-in scanner)",
            PreTokenizerKind.Qwen => "qwen (built-in scanner)",
            PreTokenizerKind.Cl100k => "cl100k (built-in scanner)",
            PreTokenizerKind.Gpt2 => "gpt2 / r50k / p50k (built-in scanner)",
            PreTokenizerKind.None => "none (no pre-tokenization)",
            _ => "custom regular expression (System.Text.RegularExpressions, slow path)",
        };

        using TextWriter output = context.CreateTextOut();
        output.WriteLine($"name:              {tokenizer.Name}");
        output.WriteLine($"source:            {Path.GetFullPath(source.Path)} ({(source.IsImage ? "compiled image" : "vocabulary, compiled at load")})");
        output.WriteLine($"vocabulary size:   {tokenizer.VocabularySize} (ids 0..{tokenizer.VocabularySize - 1})");
        output.WriteLine($"ordinary tokens:   {ordinary}");
        output.WriteLine($"max token length:  {tokenizer.MaxTokenLength} bytes");
        output.WriteLine($"special tokens:    {tokenizer.SpecialTokenIds.Length}");
        foreach (int id in tokenizer.SpecialTokenIds)
        {
            output.WriteLine($"  {id,8}  {TokenFormatting.Escape(tokenizer.GetTokenBytes(id))}");
        }

        output.WriteLine($"pattern:           {patternKind}");
        if (tokenizer.Pattern.Length > 0)
        {
            output.WriteLine($"  {tokenizer.Pattern}");
        }

        return ExitCodes.Success;
    }
}
