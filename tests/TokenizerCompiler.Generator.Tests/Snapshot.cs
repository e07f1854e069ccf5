using System;
using System.IO;
using Xunit;

namespace TokenizerCompiler.Generator.Tests;

/// <summary>
/// Checked-in snapshots of generated source. A mismatch fails with both texts; run the tests with
/// UPDATE_SNAPSHOTS=1 to rewrite the files after an intended change, and review the diff.
/// </summary>
internal static class Snapshot
{
    private static string Directory => Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "TokenizerCompiler.Generator.Tests", "Snapshots");

    public static void Match(string name, string actual)
    {
        string path = Path.Combine(Directory, name);
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"snapshot {path} is missing: run with UPDATE_SNAPSHOTS=1 to create it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }
}
