using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The package as a user gets it: pack it into a local folder feed, restore the QuickStart sample from that
/// feed alone (into an empty package folder, so no stale copy is used), build it and run it.
/// </summary>
public class PackageConsumerTests
{
    [Fact]
    public void PackedPackageBuildsAndRunsTheQuickStartSample()
    {
        string work = Path.Combine(Path.GetTempPath(), "tkc-package-test-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed");
        string sample = Path.Combine(work, "QuickStart");
        Directory.CreateDirectory(sample);
        try
        {
            Run("dotnet", $"pack \"{Path.Combine(TestData.RepositoryRoot, "src", "Runtime")}\" -c Release -o \"{feed}\" -p:ContinuousIntegrationBuild=true", TestData.RepositoryRoot);

            string source = Path.Combine(TestData.RepositoryRoot, "samples", "QuickStart");
            File.Copy(Path.Combine(source, "Program.cs"), Path.Combine(sample, "Program.cs"));
            string project = File.ReadAllText(Path.Combine(source, "QuickStart.csproj"))
                .Replace("../../vocabularies/tiktoken/o200k_base.tiktoken", TestData.VocabularyPath("o200k_base"), StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(sample, "QuickStart.csproj"), project);
            File.WriteAllText(Path.Combine(sample, "nuget.config"),
                $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
            File.WriteAllText(Path.Combine(sample, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(sample, "Directory.Packages.props"), "<Project />");

            Run("dotnet", $"build -c Release --packages \"{Path.Combine(work, "packages")}\"", sample);
            string output = Run("dotnet", "run -c Release --no-build -- Hello, world!", sample);

            Assert.Contains("4 tokens: 13225 11 2375 0", output, StringComparison.Ordinal);
            Assert.Contains("decoded: Hello, world!", output, StringComparison.Ordinal);
            Assert.Contains("vocabulary size 200019, <|endoftext|> = 199999", output, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Leave the folder for inspection when the build server still holds a file.
            }
        }
    }

    private static string Run(string fileName, string arguments, string directory)
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
        Assert.True(process.ExitCode == 0, $"{fileName} {arguments} failed ({process.ExitCode}):\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
