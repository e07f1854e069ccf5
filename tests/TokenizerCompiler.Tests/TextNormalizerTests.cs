using System;
using System.Buffers;
using System.Linq;
using System.Text;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.HuggingFace;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The normal-form chunk path normalizes UTF-8 into pooled buffers (<see cref="TextNormalizer.NormalizeToUtf8"/>);
/// it must give exactly what the string path gives, also where it falls back to strings.
/// </summary>
public class TextNormalizerTests
{
    public static TheoryData<string> Texts => new()
    {
        "plain ASCII",
        "ﬁnance café Å ½ ①",                       // compatibility and canonical forms both change these
        "e\u0301 a\u030A \uAC00\u11A8",            // decomposed letters and Hangul that compose
        "before\uFFFEafter ﬁ",                     // U+FFFE: the string path normalizes around it
        new string('\uFDFA', 1000),                // each of its 3 bytes becomes 6 characters: past the buffers, strings
        "",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void SpanPathEqualsStringPath(string text)
    {
        foreach (NormalizerKind kind in new[] { NormalizerKind.Nfc, NormalizerKind.Nfd, NormalizerKind.Nfkc, NormalizerKind.Nfkd })
        {
            AssertSame(new TextNormalizer(new[] { new NormalizerStep(kind) }), text);
        }

        // Two forms in a row, and a step that is not a form (the string path throughout).
        AssertSame(new TextNormalizer(new[] { new NormalizerStep(NormalizerKind.Nfd), new NormalizerStep(NormalizerKind.Nfkc) }), text);
        AssertSame(new TextNormalizer(new[] { new NormalizerStep(NormalizerKind.Nfkc), new NormalizerStep(NormalizerKind.Lowercase) }), text);
    }

    [Fact]
    public void FormsAllocateNoStrings()
    {
        // The string path allocates the UTF-16 text and its normal form (16 KB here); the span path nothing but what
        // the runtime's normalization calls allocate before they are optimized (96 bytes each, then none).
        var normalizer = new TextNormalizer(new[] { new NormalizerStep(NormalizerKind.Nfkc) });
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("plain ASCII words with one ligature: \uFB01. ", 100)));
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            byte[] bytes = normalizer.NormalizeToUtf8(text, out _);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            ArrayPool<byte>.Shared.Return(bytes);
        }

        Assert.InRange(least, 0, 2 * 96);
    }

    private static void AssertSame(TextNormalizer normalizer, string text)
    {
        byte[] bytes = normalizer.NormalizeToUtf8(Encoding.UTF8.GetBytes(text), out int length);
        try
        {
            Assert.Equal(normalizer.Normalize(text), Encoding.UTF8.GetString(bytes, 0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
