using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using TokenizerCompiler.CommandLine.Commands;

namespace TokenizerCompiler.CommandLine;

/// <summary>
/// tkc's entry point and command dispatch. <see cref="Run"/> takes the standard streams as arguments so the
/// tests (and any host) run the tool in-process; <see cref="Main"/> only wires it to the console.
/// Exit codes: 0 success, 1 a file or data problem, 2 a command-line mistake.
/// </summary>
public static class Cli
{
    private static readonly IReadOnlyList<Command> s_commands = new Command[]
    {
        new EncodeCommand(),
        new DecodeCommand(),
        new CompileCommand(),
        new InspectCommand(),
        new DynamicCommand(),
        new TransferCommand(),
    };

    public static int Main(string[] args)
    {
        using Stream stdin = Console.OpenStandardInput();
        using Stream stdout = Console.OpenStandardOutput();
        int code = Run(args, stdin, stdout, Console.Error);
        stdout.Flush();
        Console.Error.Flush();
        return code;
    }

    public static int Run(string[] args, Stream stdin, Stream stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var context = new CommandContext(stdin, stdout, stderr);
        Command? command = null;
        try
        {
            if (args.Length == 0)
            {
                stderr.Write(TopLevelHelp());
                return ExitCodes.Usage;
            }

            string first = args[0];
            if (first is "-h" or "--help" or "-?" or "help")
            {
                if (first == "help" && args.Length > 1)
                {
                    WriteText(context, Find(args[1]).Help);
                }
                else
                {
                    WriteText(context, TopLevelHelp());
                }

                return ExitCodes.Success;
            }

            if (first == "--version")
            {
                WriteText(context, Version() + "\n");
                return ExitCodes.Success;
            }

            command = Find(first);
            ParsedArguments parsed = ArgumentParser.Parse(args[1..], command.Spec);
            if (parsed.HelpRequested)
            {
                WriteText(context, command.Help);
                return ExitCodes.Success;
            }

            return command.Execute(parsed, context);
        }
        catch (UsageException e)
        {
            string? name = e.Command ?? command?.Name;
            stderr.WriteLine($"tkc: {e.Message}");
            stderr.WriteLine(name is null ? "Run 'tkc --help' for usage." : $"Run 'tkc {name} --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (CliException e)
        {
            stderr.WriteLine($"tkc: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // File-system problems are the user's to fix (path, permissions, disk full): the message names the path.
            stderr.WriteLine($"tkc: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static Command Find(string name)
    {
        foreach (Command command in s_commands)
        {
            if (string.Equals(command.Name, name, StringComparison.Ordinal))
            {
                return command;
            }
        }

        throw new UsageException(name.StartsWith('-') ? $"expected a command before '{name}'" : $"unknown command '{name}'");
    }

    private static void WriteText(CommandContext context, string text)
    {
        using TextWriter output = context.CreateTextOut();
        output.Write(text);
    }

    private static string TopLevelHelp()
    {
        var lines = new List<string>
        {
            "tkc - the TokenizerCompiler command-line tool",
            string.Empty,
            "Usage: tkc <command> [options]",
            string.Empty,
            "Commands:",
        };
        foreach (Command command in s_commands)
        {
            lines.Add($"  {command.Name,-10}{command.Summary}");
        }

        lines.Add(string.Empty);
        lines.Add("Run 'tkc <command> --help' for a command's options. Vocabularies are given as PATH|NAME (--vocab; transfer takes");
        lines.Add("--source-vocab and --target-vocab): a .tiktoken file, a tokenizer.json, a vocab.json with merges.txt beside it,");
        lines.Add("a SentencePiece .model, a .tkc image, or o200k_base, cl100k_base, p50k_base, r50k_base (default o200k_base).");
        lines.Add(string.Empty);
        lines.Add("Exit codes: 0 success, 1 a file or vocabulary problem, 2 a command-line mistake.");
        lines.Add("Environment: TKC_VOCABULARIES  the folder holding <name>.tiktoken for the named vocabularies.");
        return string.Join("\n", lines) + "\n";
    }

    private static string Version() =>
        "tkc " + (typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");
}
