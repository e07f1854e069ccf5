using System;
using System.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Tokenizer.OpenImageFile: a memory-mapped tkc image behaves like the in-memory one and bad files are rejected.</summary>
public sealed class MappedImageFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tkc-mapped-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void MappedImageEncodesLikeTheGoldens(string encoding)
    {
        string path = Write(encoding + ".tkc", VocabularyApiTests.CompileImage(encoding));
        Tokenizer tokenizer = Tokenizer.OpenImageFile(path);
        foreach (string file in new[] { "mixed-udhr-article1-all-languages", "code-rust-regex-syntax" })
        {
            EngineTestSupport.SameIds(tokenizer, EngineTestSupport.Golden(encoding, file), tokenizer.EncodeToIds(EngineTestSupport.Corpus(file)), file);
        }

        Assert.Equal(TestData.Tiktoken(encoding).VocabularySize, tokenizer.VocabularySize);
        Assert.Equal(encoding, tokenizer.Name);
    }

    [Fact]
    public void MappingOutlivesCollectionsWhileTheTokenizerIsReachable()
    {
        string path = Write("r50k.tkc", VocabularyApiTests.CompileImage("r50k_base"));
        Tokenizer tokenizer = Tokenizer.OpenImageFile(path);
        int[] before = tokenizer.EncodeToIds("The mapping must stay valid.");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Equal(before, tokenizer.EncodeToIds("The mapping must stay valid."));
    }

    [Fact]
    public void UnreachableTokenizerReleasesTheFile()
    {
        string path = Write("p50k.tkc", VocabularyApiTests.CompileImage("p50k_base"));
        OpenAndDrop(path);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        // With the view unmapped and every handle closed, Windows too lets the file be overwritten.
        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Equal(3, new FileInfo(path).Length);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void OpenAndDrop(string path) => Assert.True(Tokenizer.OpenImageFile(path).VocabularySize > 0);

    [Fact]
    public void TruncatedCorruptedAndForeignFilesAreRejectedWithAClearMessage()
    {
        byte[] image = VocabularyApiTests.CompileImage("r50k_base");

        string Rejected(byte[] bytes, string name)
        {
            string path = Write(name, bytes);
            var e = Assert.Throws<InvalidTokenizerImageException>(() => Tokenizer.OpenImageFile(path));
            return e.Message;
        }

        Assert.Contains("truncated", Rejected(image[..(image.Length - 1)], "cut-one.tkc"));
        Assert.Contains("truncated", Rejected(image[..(image.Length / 2)], "cut-half.tkc"));
        Assert.Contains("not a tokenizer image", Rejected(image[..10], "cut-header.tkc"));
        Assert.Contains("empty", Rejected(Array.Empty<byte>(), "empty.tkc"));
        Assert.Contains("not a tokenizer image", Rejected(File.ReadAllBytes(TestData.VocabularyPath("r50k_base"))[..100_000], "rank-file.tkc"));

        byte[] flipped = (byte[])image.Clone();
        flipped[image.Length / 2] ^= 0x10;
        Assert.Contains("checksum", Rejected(flipped, "flipped.tkc"));

        byte[] future = (byte[])image.Clone();
        MemoryMarshal.Write(future.AsSpan(8), uint.MaxValue);
        Assert.Contains("version", Rejected(future, "future.tkc"));

        byte[] longer = new byte[image.Length + 4];
        image.CopyTo(longer, 0);
        Assert.Contains("trailing data", Rejected(longer, "longer.tkc"));
    }

    [Fact]
    public void ChecksumOnlyValidationStillRejectsCorruptFiles()
    {
        byte[] image = VocabularyApiTests.CompileImage("cl100k_base");
        Tokenizer tokenizer = Tokenizer.OpenImageFile(Write("good.tkc", image), ImageFileValidation.ChecksumOnly);
        string text = EngineTestSupport.Corpus("hebrew");
        Assert.Equal(EngineTestSupport.Golden("cl100k_base", "hebrew"), tokenizer.EncodeToIds(text));

        byte[] flipped = (byte[])image.Clone();
        flipped[image.Length / 3] ^= 0x04;
        var e = Assert.Throws<InvalidTokenizerImageException>(() => Tokenizer.OpenImageFile(Write("bad.tkc", flipped), ImageFileValidation.ChecksumOnly));
        Assert.Contains("checksum", e.Message);
        Assert.Contains("truncated", Assert.Throws<InvalidTokenizerImageException>(
            () => Tokenizer.OpenImageFile(Write("cut.tkc", image[..^64]), ImageFileValidation.ChecksumOnly)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.OpenImageFile(Write("x.tkc", image), (ImageFileValidation)7));
    }

    [Fact]
    public void MissingFileIsAnIOException()
    {
        Assert.Throws<FileNotFoundException>(() => Tokenizer.OpenImageFile(Path.Combine(_directory, "absent.tkc")));
    }
}
