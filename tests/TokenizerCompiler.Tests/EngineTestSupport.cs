using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Shared helpers for the engine tests: corpus access and id-list assertions.</summary>
internal static class EngineTestSupport
{
    private static readonly ConcurrentDictionary<string, string> s_texts = new();

    /// <summary>Every corpus file name without extension, in ordinal order.</summary>
    public static string[] AllCorpusFiles { get; } = Directory.GetFiles(TestData.CorpusDirectory, "*.txt")
        .Select(f => Path.GetFileNameWithoutExtension(f)!)
        .OrderBy(f => f, StringComparer.Ordinal)
        .ToArray();

    /// <summary>A spread of scripts and shapes: prose, CJK, emoji, code, whitespace, RTL, hostile.</summary>
    public static readonly string[] RepresentativeFiles =
    {
        "prose-en-python-faq",
        "cjk-ja",
        "cjk-zh",
        "emoji-unicode-emoji-test",
        "code-js-jquery-min",
        "code-python-test-re",
        "hostile-mixed",
        "whitespace-rst-grid-tables",
        "thai",
        "arabic",
    };

    public static string Corpus(string name) =>
        s_texts.GetOrAdd(name, n => File.ReadAllText(Path.Combine(TestData.CorpusDirectory, n + ".txt"), Encoding.UTF8));

    public static int[] Golden(string encoding, string name) =>
        TestData.ReadIds(Path.Combine(TestData.TiktokenGoldens, encoding, name + ".ids.gz"));

    public static IEnumerable<object[]> Cross(IEnumerable<string> encodings, IEnumerable<string> files) =>
        from e in encodings from f in files select new object[] { e, f };

    public static void SameIds(Tokenizer tokenizer, ReadOnlySpan<int> expected, ReadOnlySpan<int> actual, string context = "")
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }

        try
        {
            TiktokenConformanceTests.AssertSameIds(tokenizer, expected.ToArray(), actual.ToArray());
        }
        catch (Exception e) when (context.Length > 0)
        {
            Assert.Fail(context + ": " + e.Message);
        }
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty));
}
