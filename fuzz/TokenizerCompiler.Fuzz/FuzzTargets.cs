using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using TokenizerCompiler.Core.Compilation;
using TokenizerCompiler.Core.Tables;

namespace TokenizerCompiler.Fuzz;

/// <summary>
/// The fuzzed entry points. Each takes arbitrary bytes; an exception that escapes is a finding (a crash for AFL).
/// Expected rejections (a corrupt image) are caught here, and every successful result is checked for the
/// invariants that must hold on any input, so a silently wrong answer is a finding too.
/// </summary>
internal static class FuzzTargets
{
    private static readonly Lazy<Tokenizer> s_tokenizer = new(() =>
        Tokenizer.FromVocabularyFile(Path.Combine(RepositoryRoot(), "vocabularies", "tiktoken", "o200k_base.tiktoken")));

    // KL3M-001 (from ../shared): its encoder goes a segment at a time, the path whose split rule most depends on the bytes.
    private static readonly Lazy<Tokenizer> s_segmented = new(() =>
        Tokenizer.FromVocabularyFile(Path.Combine(RepositoryRoot(), "..", "shared", "vocabularies", "kl3m-001-32k", "tokenizer.json")));

    public static Action<byte[]> Get(string name) => name switch
    {
        "encode" => Encode,
        "tiktoken" => ParseRankFile,
        "image" => OpenImage,
        "tokenizer-json" => ParseTokenizerJson,
        _ => throw new ArgumentException($"unknown target '{name}' (encode, tiktoken, image, tokenizer-json)"),
    };

    public static void Warm(string name)
    {
        if (name is "encode" or "image")
        {
            _ = s_tokenizer.Value;
        }

        if (name is "encode")
        {
            _ = s_segmented.Value;
        }
    }

    /// <summary>
    /// Arbitrary bytes as UTF-8 and as Latin-1 UTF-16, through o200k and KL3M-001: round trip to the repaired text,
    /// counts agree, entry points agree, and the budget cut (a sink that records each piece, so no segments) agrees
    /// with encoding.
    /// </summary>
    private static void Encode(byte[] input)
    {
        Encode(s_tokenizer.Value, input);
        Encode(s_segmented.Value, input);
    }

    private static void Encode(Tokenizer tokenizer, byte[] input)
    {
        int[] ids = tokenizer.EncodeToIds(input.AsSpan(), SpecialTokenPolicy.Allow);
        string repaired = Encoding.UTF8.GetString(input);
        Check(tokenizer.Decode(ids) == repaired, "decode(encode(x)) differs from x with invalid sequences replaced");
        Check(tokenizer.CountTokens(input.AsSpan(), SpecialTokenPolicy.Allow) == ids.Length, "count differs from encode");
        tokenizer.GetIndexByTokenCount(input.AsSpan(), int.MaxValue, out int counted, SpecialTokenPolicy.Allow);
        Check(counted == ids.Length, "the budget cut's piece-by-piece count differs from encode");
        int[] fromUtf16 = tokenizer.EncodeToIds(repaired, SpecialTokenPolicy.Allow);
        Check(fromUtf16.AsSpan().SequenceEqual(ids), "UTF-16 and UTF-8 entry points disagree");

        string latin1 = Encoding.Latin1.GetString(input);
        int[] latinIds = tokenizer.EncodeToIds(latin1, SpecialTokenPolicy.TreatAsText);
        Check(tokenizer.Decode(latinIds) == latin1, "Latin-1 text does not round-trip");
        int end = tokenizer.GetIndexByTokenCount(latin1, latinIds.Length / 2, out int kept, SpecialTokenPolicy.TreatAsText);
        Check(tokenizer.EncodeToIds(latin1[..end], SpecialTokenPolicy.TreatAsText).AsSpan().SequenceEqual(latinIds.AsSpan(0, kept)),
            "budget cut does not re-encode to the truncated ids");
    }

    /// <summary>Arbitrary bytes as a rank file: the compiler returns diagnostics or an image, never throws.</summary>
    private static void ParseRankFile(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        CompilationOutput output = VocabularyCompiler.Compile("fuzz.tiktoken", text, new CompileOptions(Pattern: "cl100k"));
        Check(output.Succeeded || output.Diagnostics.Count > 0, "failed without a diagnostic");
        if (output.Image is not null)
        {
            Tokenizer tokenizer = Tokenizer.FromImage(output.Image);
            int[] ids = tokenizer.EncodeToIds("hello world 123 ", SpecialTokenPolicy.TreatAsText);
            Check(tokenizer.Decode(ids) == "hello world 123 ", "a compiled fuzz vocabulary does not round-trip");
        }
    }

    /// <summary>
    /// Arbitrary bytes as a Hugging Face tokenizer.json: diagnostics or an image, never an exception; a tokenizer that
    /// compiles encodes and decodes mixed text without throwing, and its image reopens through the checked loader.
    /// </summary>
    private static void ParseTokenizerJson(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        CompilationOutput output = VocabularyCompiler.Compile("fuzz/tokenizer.json", text, new CompileOptions());
        Check(output.Succeeded || output.Diagnostics.Count > 0, "failed without a diagnostic");
        if (output.Image is not null)
        {
            Tokenizer tokenizer = Tokenizer.FromImage(output.Image);
            int[] ids = tokenizer.EncodeToIds("hello world 123 héllo 世界 \uD83D\uDE00", SpecialTokenPolicy.Allow);
            _ = tokenizer.Decode(ids);
            _ = tokenizer.CountTokens("a b  c", SpecialTokenPolicy.Allow);
        }
    }

    /// <summary>
    /// Arbitrary bytes (or a mutated real image) as a compiled image: rejected cleanly, or usable. Tried twice:
    /// as given, and with the header checksum recomputed, so that mutations get past the checksum and reach the
    /// section and index validation behind it.
    /// </summary>
    private static void OpenImage(byte[] input)
    {
        OpenImageOnce(input);
        if (input.Length >= ImageFormat.HeaderSize)
        {
            byte[] patched = (byte[])input.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(patched.AsSpan(ImageFormat.ChecksumOffset), ImageWriter.Checksum(patched));
            OpenImageOnce(patched);
        }
    }

    private static void OpenImageOnce(byte[] input)
    {
        Tokenizer tokenizer;
        try
        {
            tokenizer = Tokenizer.FromImage(input);
        }
        catch (InvalidTokenizerImageException)
        {
            return;
        }

        int[] ids = tokenizer.EncodeToIds("fuzz text, 42 ", SpecialTokenPolicy.TreatAsText);
        _ = tokenizer.Decode(ids);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Invariant broken: " + message);
        }
    }

    private static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "TokenizerCompiler.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? Environment.GetEnvironmentVariable("TKC_REPOSITORY") ?? throw new InvalidOperationException("repository root not found");
    }
}
