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
}
