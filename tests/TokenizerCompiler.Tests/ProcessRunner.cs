using System.Diagnostics;
using System.IO;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Runs the .NET CLI for the package tests: packs the package into a folder feed, and runs a command with its output captured.</summary>
internal static class ProcessRunner
{
    /// <summary>Packs src/Runtime (the one TokenizerCompiler package) into <paramref name="feed"/>.</summary>
    /// <remarks>
    /// One pack at a time: test classes run in parallel, and each pack builds and publishes (ReadyToRun) into the
    /// runtime project's own obj folders.
    /// </remarks>
    public static void Pack(string feed)
    {
        lock (s_packLock)
        {
            Run("dotnet", $"pack \"{Path.Combine(TestData.RepositoryRoot, "src", "Runtime")}\" -c Release -o \"{feed}\" -p:ContinuousIntegrationBuild=true", TestData.RepositoryRoot);
        }
    }

    private static readonly object s_packLock = new();

    /// <summary>Runs a command in <paramref name="directory"/>; asserts it succeeded (or failed, with <paramref name="expectSuccess"/> false) and returns stdout.</summary>
    public static string Run(string fileName, string arguments, string directory, bool expectSuccess = true)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True((process.ExitCode == 0) == expectSuccess, $"{fileName} {arguments} exited with {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
