using System;
using System.IO;
using System.Text;
using TokenizerCompiler.CommandLine;
using Xunit;

namespace TokenizerCompiler.CommandLine.Tests;

/// <summary>A 100 MB input streams through the UTF-8 API in bounded memory: the process never holds the input.</summary>
public class BoundedMemoryTests
{
    [Fact]
    public void HundredMegabytesStreamInBoundedMemory()
    {
        string corpus = File.ReadAllText(Path.Combine(CliHarness.RepositoryRoot, "tests", "data", "corpus", "prose-en-python-faq.txt"));
        byte[] block = Encoding.UTF8.GetBytes(corpus);
        const long total = 100L * 1024 * 1024;
        var input = new RepeatingStream(block, total);
        var sink = new CountingSink();
        var encoder = new StreamingEncoder(EmbeddedTokenizer(), SpecialTokenPolicy.TreatAsText);

        // Bytes this thread allocates (other tests running in parallel do not count): holding the input or all
        // of its ids would take hundreds of megabytes.
        long before = GC.GetAllocatedBytesForCurrentThread();
        (long tokens, long bytes) = encoder.Encode(input, ReadOnlySpan<byte>.Empty, sink);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(total, bytes);
        Assert.Equal(tokens, sink.Count);
        Assert.True(allocated < 48L * 1024 * 1024, $"encoding allocated {allocated / 1048576} MB");

        // The block ends with a newline and starts with a letter, so each repetition starts a new piece: the count is
        // the block's count per whole block plus the count of the final partial block.
        Tokenizer tokenizer = EmbeddedTokenizer();
        long perBlock = tokenizer.CountTokens(block, SpecialTokenPolicy.TreatAsText);
        int tail = (int)(total % block.Length);
        Assert.Equal((perBlock * (total / block.Length)) + tokenizer.CountTokens(block.AsSpan(0, tail), SpecialTokenPolicy.TreatAsText), tokens);
    }

    private static Tokenizer EmbeddedTokenizer() => VocabularyResolver.Load((string?)null, null, null);

    private sealed class CountingSink : IdSink
    {
        public long Count { get; private set; }

        public override void Write(ReadOnlySpan<int> ids)
        {
            Count += ids.Length;
        }
    }

    /// <summary>Yields <paramref name="block"/> over and over up to a length, without holding more than the block.</summary>
    private sealed class RepeatingStream(byte[] block, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int written = 0;
            while (written < count && _position < length)
            {
                int at = (int)(_position % block.Length);
                int n = (int)Math.Min(Math.Min(count - written, block.Length - at), length - _position);
                Array.Copy(block, at, buffer, offset + written, n);
                written += n;
                _position += n;
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
