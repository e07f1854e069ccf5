using System;
using System.IO;
using System.Text;
using TokenizerCompiler.Transfer;
using Xunit;

namespace TokenizerCompiler.Transfer.Tests;

public sealed class NpyTests : IDisposable
{
    private readonly string _folder = TransferTestData.NewTemporaryFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(TensorElementType.Float32)]
    [InlineData(TensorElementType.Float16)]
    public void Round_trip(TensorElementType type)
    {
        EmbeddingMatrix matrix = TransferTestData.RandomMatrix(13, 7, seed: 4);
        string path = Path.Combine(_folder, "e.npy");
        NpyFile.Write(path, matrix, type);
        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Contains(type == TensorElementType.Float32 ? "'<f4'" : "'<f2'", Encoding.Latin1.GetString(bytes, 10, headerLength));
        EmbeddingMatrix read = NpyFile.Read(path);
        Assert.Equal((13, 7), (read.Rows, read.Columns));
        for (int i = 0; i < read.AsSpan().Length; i++)
        {
            float original = matrix.AsSpan()[i];
            Assert.Equal(type == TensorElementType.Float32 ? original : (float)(Half)original, read.AsSpan()[i]);
        }

        Assert.Throws<ArgumentException>(() => NpyFile.Write(path, matrix, TensorElementType.BFloat16));
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", 16, null)]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", 12, "needs 16 data bytes")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }", 16, "'>f4' is not supported")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", 32, "'<f8' is not supported")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16, "Fortran-order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 16, "not a 2-D")]
    [InlineData("{'descr': '<f4', 'shape': (2, 2), }", 16, "lacks")]
    public void Headers_are_validated(string dictionary, int dataBytes, string? message)
    {
        string path = Path.Combine(_folder, "h.npy");
        byte[] header = Encoding.Latin1.GetBytes(dictionary + "\n");
        using (var stream = File.Create(path))
        {
            stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y']);
            stream.Write([1, 0, (byte)header.Length, (byte)(header.Length >> 8)]);
            stream.Write(header);
            stream.Write(new byte[dataBytes]);
        }

        if (message is null)
        {
            Assert.Equal(2, NpyFile.Read(path).Rows);
            return;
        }

        Assert.Contains(message, Assert.Throws<EmbeddingFormatException>(() => NpyFile.Read(path)).Message);
    }

    [Fact]
    public void Files_that_are_not_npy_are_reported()
    {
        string path = Path.Combine(_folder, "not.npy");
        File.WriteAllText(path, "hello, world");
        Assert.Contains("magic", Assert.Throws<EmbeddingFormatException>(() => NpyFile.Read(path)).Message);
        File.WriteAllBytes(path, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 200, 0, (byte)'{']);
        Assert.Contains("truncated", Assert.Throws<EmbeddingFormatException>(() => NpyFile.Read(path)).Message);
    }
}
