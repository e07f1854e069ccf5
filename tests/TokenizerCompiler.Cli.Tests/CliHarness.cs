using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace TokenizerCompiler.CommandLine.Tests;

/// <summary>Runs tkc in-process with captured streams, and locates the repository's test data.</summary>
internal static class CliHarness
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Corpus(string name) => Path.Combine(RepositoryRoot, "tests", "data", "corpus", name);

    public static string Golden(string encoding, string name) =>
        Path.Combine(RepositoryRoot, "tests", "data", "goldens", "tiktoken", encoding, name + ".ids.gz");

    public static CliResult Run(params string[] args) => RunWithInput(Array.Empty<byte>(), args);

    public static CliResult RunWithInput(byte[] stdin, params string[] args)
    {
        using var input = new MemoryStream(stdin, writable: false);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        int code = Cli.Run(args, input, output, error);
        return new CliResult(code, output.ToArray(), error.ToString());
    }

    public static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    public static int[] ToIds(byte[] uint32LittleEndian)
    {
        var ids = new int[uint32LittleEndian.Length / 4];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = BitConverter.ToInt32(uint32LittleEndian, i * 4);
        }

        return ids;
    }

    private static string FindRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory, "TokenizerCompiler.sln")))
            {
                return directory;
            }

            directory = Path.GetDirectoryName(directory);
        }

        throw new InvalidOperationException("Cannot find the repository root (TokenizerCompiler.sln) above " + AppContext.BaseDirectory);
    }
}

internal sealed record CliResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public override string ToString() => $"exit {ExitCode}\nstdout: {StdoutText}\nstderr: {Stderr}";
}

/// <summary>A temporary folder, deleted with its contents on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tkc-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
