using System;
using System.Collections.Generic;

namespace TokenizerCompiler.CommandLine;

/// <summary>What a command accepts: options that take a value, options that are bare flags, and whether it takes positionals.</summary>
internal sealed record CommandSpec(string Name, IReadOnlyCollection<string> ValueOptions, IReadOnlyCollection<string> Flags, bool AllowPositionals = false);

/// <summary>The result of parsing one command's arguments.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public ParsedArguments(string command) => Command = command;

    public string Command { get; }

    public bool HelpRequested { get; internal set; }

    public List<string> Positionals { get; } = new();

    /// <summary>The value of <paramref name="option"/> (e.g. <c>--vocab</c>), or null when it was not given.</summary>
    public string? Get(string option) => _values.TryGetValue(option, out string? value) ? value : null;

    public bool Has(string option) => _values.ContainsKey(option) || _flags.Contains(option);

    /// <summary>The value of an option the command cannot do without.</summary>
    public string Require(string option) =>
        Get(option) ?? throw new UsageException($"missing required option {option}", Command);

    internal void SetValue(string option, string value)
    {
        if (!_values.TryAdd(option, value))
        {
            throw new UsageException($"option {option} was given more than once", Command);
        }
    }

    internal void SetFlag(string option) => _flags.Add(option);
}

/// <summary>
/// A deliberately small parser: <c>--name value</c>, <c>--name=value</c>, bare flags, <c>-h</c>/<c>--help</c> and
/// <c>--</c> to end options. Hand-rolled so the tool has no dependency beyond the runtime and the compiler core.
/// </summary>
internal static class ArgumentParser
{
    public static ParsedArguments Parse(IReadOnlyList<string> args, CommandSpec spec)
    {
        var result = new ParsedArguments(spec.Name);
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || !LooksLikeOption(arg))
            {
                if (!spec.AllowPositionals)
                {
                    throw new UsageException($"unexpected argument '{arg}'", spec.Name);
                }

                result.Positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (arg is "-h" or "--help" or "-?")
            {
                result.HelpRequested = true;
                continue;
            }

            string name = arg;
            string? inlineValue = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                name = arg[..equals];
                inlineValue = arg[(equals + 1)..];
            }

            if (Contains(spec.ValueOptions, name))
            {
                if (inlineValue is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"option {name} needs a value", spec.Name);
                    }

                    inlineValue = args[++i];
                }

                result.SetValue(name, inlineValue);
            }
            else if (Contains(spec.Flags, name))
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"option {name} takes no value", spec.Name);
                }

                result.SetFlag(name);
            }
            else
            {
                throw new UsageException($"unknown option '{name}'", spec.Name);
            }
        }

        return result;
    }

    // "-" alone means stdin/stdout, and "-5" is a (bad) number rather than an option: both are values.
    private static bool LooksLikeOption(string arg) =>
        arg.Length > 1 && arg[0] == '-' && !char.IsAsciiDigit(arg[1]);

    private static bool Contains(IReadOnlyCollection<string> names, string name)
    {
        foreach (string candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
