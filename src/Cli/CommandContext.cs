using System;
using System.IO;
using System.Text;

namespace TokenizerCompiler.CommandLine;

/// <summary>
/// The process's standard streams, passed in rather than taken from <see cref="Console"/> so that the whole
/// tool runs in-process under test. "-" as a file name means stdin or stdout.
/// </summary>
internal sealed class CommandContext(Stream stdin, Stream stdout, TextWriter stderr)
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public Stream Stdin { get; } = stdin;

    public Stream Stdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;

    /// <summary>A UTF-8 (no BOM), LF-terminated writer over stdout; dispose it to flush (stdout stays open).</summary>
    public TextWriter CreateTextOut() => new StreamWriter(Stdout, s_utf8, bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\n" };

    /// <summary>Opens an input file, or stdin for null/"-"; the file must exist.</summary>
    public StreamLease OpenInput(string? path, string what)
    {
        if (path is null || path == "-")
        {
            return new StreamLease(Stdin, owned: false);
        }

        if (!File.Exists(path))
        {
            throw new CliException(Directory.Exists(path) ? $"{what} '{path}' is a directory, not a file" : $"{what} '{path}' not found");
        }

        return new StreamLease(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan), owned: true);
    }

    /// <summary>Creates (or truncates) an output file, or stdout for "-".</summary>
    public StreamLease OpenOutput(string path)
    {
        if (path == "-")
        {
            return new StreamLease(new BufferedStream(Stdout, 1 << 20), owned: false);
        }

        return new StreamLease(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20), owned: true);
    }
}

/// <summary>A stream that is closed on dispose only when this tool opened it (never stdin/stdout); always flushed.</summary>
internal sealed class StreamLease(Stream stream, bool owned) : IDisposable
{
    public Stream Stream { get; } = stream;

    public void Dispose()
    {
        if (owned)
        {
            Stream.Dispose();
        }
        else if (Stream.CanWrite)
        {
            Stream.Flush();
        }
    }
}
