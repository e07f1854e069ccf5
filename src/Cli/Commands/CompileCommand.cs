using System;
using System.IO;
using System.Linq;
using TokenizerCompiler.Core.Compilation;
using TokenizerCompiler.Core.Diagnostics;

namespace TokenizerCompiler.CommandLine.Commands;

/// <summary>
/// <c>tkc compile</c>: vocabulary to tokenizer image, reporting problems like a compiler does so editors and
/// CI logs can link them to the line (<c>path(line,col): error TKC0002: message</c>).
/// </summary>
internal sealed class CompileCommand : Command
{
    public override string Name => "compile";

    public override string Summary => "compile a vocabulary to a tokenizer image (.tkc)";

    public override CommandSpec Spec { get; } = new("compile",
        new[] { CommonOptions.Vocab, CommonOptions.Pattern, CommonOptions.Encoding, CommonOptions.Normalizer, "--out", "--name" },
        Array.Empty<string>());

    public override string Help =>
        "Usage: tkc compile --vocab PATH|NAME --out FILE.tkc [--pattern NAME|REGEX] [--encoding NAME] [--name NAME]\n" +
        "\n" +
        "Compiles a vocabulary into a tokenizer image, the binary tables the runtime loads directly\n" +
        "(Tokenizer.FromImage, or 'tkc encode --vocab FILE.tkc'). Problems are printed as\n" +
        "'path(line,col): error TKCnnnn: message'; on any error nothing is written and the exit code is 1.\n" +
        "\n" +
        "  --out FILE            the image to write (required).\n" +
        "  --name NAME           the name stored in the image. Default: the vocabulary's file name (o200k_base).\n" +
        CommonOptions.Help;

    public override int Execute(ParsedArguments args, CommandContext context)
    {
        string outPath = args.Require("--out");
        VocabularySource source = VocabularyResolver.Resolve(args.Get(CommonOptions.Vocab));
        if (source.IsImage)
        {
            throw new CliException($"'{source.Path}' is already a compiled tokenizer image");
        }

        var options = new CompileOptions(VocabularyFormat.Auto, args.Get(CommonOptions.Pattern), args.Get(CommonOptions.Encoding), args.Get(CommonOptions.Normalizer));
        CompilationOutput output = VocabularyCompiler.CompileFile(source.Path, File.ReadAllBytes(source.Path), options,
            sibling => File.Exists(sibling) ? File.ReadAllBytes(sibling) : null, args.Get("--name"));
        foreach (CompilerDiagnostic diagnostic in output.Diagnostics)
        {
            context.Stderr.WriteLine(diagnostic.ToString());
        }

        if (output.Image is null)
        {
            int errors = output.Diagnostics.Count(d => d.Severity == DiagnosticSeverityLevel.Error);
            context.Stderr.WriteLine($"tkc: compilation failed with {errors} error{(errors == 1 ? string.Empty : "s")}; '{outPath}' was not written");
            return ExitCodes.Failure;
        }

        File.WriteAllBytes(outPath, output.Image);
        using var stdout = context.CreateTextOut();
        stdout.WriteLine($"{source.Path} -> {outPath} ({output.Image.Length} bytes)");
        return ExitCodes.Success;
    }
}
