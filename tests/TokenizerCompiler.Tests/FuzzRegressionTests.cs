using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TokenizerCompiler.Core.Tables;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>Every input a fuzzer found a problem with (fuzz/regressions), replayed with the fuzz target's checks.</summary>
public class FuzzRegressionTests
{
    public static IEnumerable<object[]> ImageInputs() =>
        Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "fuzz", "regressions", "image"))
            .Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(ImageInputs))]
    public void CorruptImageIsRejectedOrWorks(string file)
    {
        byte[] image = File.ReadAllBytes(Path.Combine(TestData.RepositoryRoot, "fuzz", "regressions", "image", file));

        // As the fuzzer did: a valid checksum, so that the structural checks behind it are what is tested.
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(ImageFormat.ChecksumOffset), ImageWriter.Checksum(image));
        Tokenizer tokenizer;
        try
        {
            tokenizer = Tokenizer.FromImage(image);
        }
        catch (InvalidTokenizerImageException)
        {
            return;
        }

        int[] ids = tokenizer.EncodeToIds("fuzz text, 42 ", SpecialTokenPolicy.TreatAsText);
        Assert.All(ids, id => Assert.True(tokenizer.IsValidId(id)));
        Assert.Equal("fuzz text, 42 ", tokenizer.Decode(ids));
    }

    /// <summary>
    /// The fuzzer's finding, rebuilt for the current format: a single-byte token whose bytes no longer match what
    /// the hash slot holds. Before the fix such an image opened and encoding wrote id -1.
    /// </summary>
    [Fact]
    public void ImageWhoseHashMissesASingleByteTokenIsRejected()
    {
        string seed = Path.Combine(TestData.RepositoryRoot, "fuzz", "seeds", "tiktoken", "r50k-head.tiktoken");
        byte[] image = Core.Compilation.VocabularyCompiler.Compile(seed, File.ReadAllText(seed), new Core.Compilation.CompileOptions(Pattern: "cl100k")).Image!;
        Tokenizer intact = Tokenizer.FromImage(image);
        int id = intact.EncodeToIds("a", SpecialTokenPolicy.TreatAsText).Single();

        // Overwrite that token's byte in the token-bytes section (section table entry 2), then fix the checksum.
        int entry = ImageFormat.HeaderSize + ImageFormat.SectionEntrySize;
        Assert.Equal(ImageFormat.TokenOffsetsSection, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(entry)));
        int offsets = (int)BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(entry + 8));
        int bytes = (int)BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(entry + ImageFormat.SectionEntrySize + 8));
        int offset = BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan(offsets + (id * 4)));
        image[bytes + offset] = (byte)'?';
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(ImageFormat.ChecksumOffset), ImageWriter.Checksum(image));

        Assert.Throws<InvalidTokenizerImageException>(() => Tokenizer.FromImage(image));
    }
}
