using System;

namespace TokenizerCompiler.CommandLine;

/// <summary>
/// The command line itself is wrong (unknown option, missing value, bad number): exit code 2. Kept apart from
/// <see cref="CliException"/> so scripts can tell "you called me wrong" from "your data is wrong".
/// </summary>
internal sealed class UsageException(string message, string? command = null) : Exception(message)
{
    /// <summary>The command whose usage applies (for the "see tkc X --help" hint); null for the top level.</summary>
    public string? Command { get; } = command;
}

/// <summary>A user-facing failure about files or data (missing file, malformed vocabulary, invalid id): exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>The process exit codes tkc documents.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
