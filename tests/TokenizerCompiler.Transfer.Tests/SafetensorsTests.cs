using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TokenizerCompiler.Transfer;
using Xunit;

namespace TokenizerCompiler.Transfer.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _folder = TransferTestData.NewTemporaryFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(TensorElementType.Float32)]
    [InlineData(TensorElementType.Float16)]
    [InlineData(TensorElementType.BFloat16)]
    public void Round_trip_selects_tensors_by_name(TensorElementType type)
    {
        EmbeddingMatrix embeddings = TransferTestData.RandomMatrix(37, 11, seed: 1);
        EmbeddingMatrix head = TransferTestData.RandomMatrix(5, 3, seed: 2);
        string path = Path.Combine(_folder, "model.safetensors");
        SafetensorsWriter.Write(path, [new("wte", embeddings), new("lm_head", head)], type, new Dictionary<string, string> { ["format"] = "pt" });
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(new[] { "wte", "lm_head" }, file.Tensors.Select(t => t.Name));
        Assert.Equal(new long[] { 5, 3 }, file.Tensors[1].Shape);
        EmbeddingMatrix read = file.ReadMatrix("wte");
        Assert.Equal((37, 11), (read.Rows, read.Columns));
        for (int i = 0; i < read.AsSpan().Length; i++)
        {
            float original = embeddings.AsSpan()[i];
            float expected = type switch
            {
                TensorElementType.Float32 => original,
                TensorElementType.Float16 => (float)(Half)original,
                _ => NaiveBFloat16(original),
            };
            Assert.Equal(expected, read.AsSpan()[i]);
        }

        Assert.Equal(head.AsSpan()[4], file.ReadMatrix("lm_head").AsSpan()[4], type == TensorElementType.Float32 ? 0 : 0.02f);
        Assert.Throws<KeyNotFoundException>(() => file.ReadMatrix("missing"));
        // The data starts 8-byte aligned.
        Assert.Equal(0, (8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path))) % 8);
    }

    [Fact]
    public void Bfloat16_rounds_to_nearest_even()
    {
        // 1 + 2^-8 lies exactly between two bfloat16 values (1 and 1 + 2^-7): ties go to the even one, 1.
        Assert.Equal(0x3F80, ElementConversion.ToBFloat16Bits(1f + (1f / 256)));
        Assert.Equal(0x3F81, ElementConversion.ToBFloat16Bits(1f + (1f / 256) + (1f / 65536)));
        Assert.Equal(0x3F82, ElementConversion.ToBFloat16Bits(1f + (3f / 256)));
        Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)ElementConversion.ToBFloat16Bits(float.NaN) << 16)));
    }

    [Theory]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16, null)]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 12, "truncated")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", 16, "needs 24 bytes")]
    [InlineData("{\"t\":{\"dtype\":\"Q4\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16, "unknown dtype")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[-2,2],\"data_offsets\":[0,16]}}", 16, "non-negative")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2,2]}}", 16, "data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16, "overlap")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,0]}}", 16, "begin <= end")]
    [InlineData("{\"t\":", 16, "not valid JSON")]
    [InlineData("[1,2]", 16, "not a JSON object")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", 0, "not a string")]
    public void Malformed_headers_are_reported(string header, int dataBytes, string? message)
    {
        string path = Path.Combine(_folder, "bad.safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] file = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        File.WriteAllBytes(path, file);
        if (message is null)
        {
            using SafetensorsFile ok = SafetensorsFile.Open(path);
            Assert.Equal(4, ok.ReadMatrix("t").AsSpan().Length);
            return;
        }

        var error = Assert.Throws<EmbeddingFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(message, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Short_and_lying_files_are_reported()
    {
        string path = Path.Combine(_folder, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("too short", Assert.Throws<EmbeddingFormatException>(() => SafetensorsFile.Open(path)).Message);
        byte[] lying = new byte[20];
        BinaryPrimitives.WriteUInt64LittleEndian(lying, 1000);
        File.WriteAllBytes(path, lying);
        Assert.Contains("runs past the end", Assert.Throws<EmbeddingFormatException>(() => SafetensorsFile.Open(path)).Message);
    }

    [Fact]
    public void Non_float_and_non_matrix_tensors_are_refused_when_read()
    {
        string path = Path.Combine(_folder, "ints.safetensors");
        byte[] json = Encoding.UTF8.GetBytes("{\"ids\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"v\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]}}");
        byte[] file = new byte[8 + json.Length + 32];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        File.WriteAllBytes(path, file);
        using SafetensorsFile opened = SafetensorsFile.Open(path);
        Assert.Contains("I32", Assert.Throws<EmbeddingFormatException>(() => opened.ReadMatrix("ids")).Message);
        Assert.Contains("shape [4]", Assert.Throws<EmbeddingFormatException>(() => opened.ReadMatrix("v")).Message);
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary_file()
    {
        string path = Path.Combine(_folder, "keep.safetensors");
        SafetensorsWriter.Write(path, [new("a", TransferTestData.RandomMatrix(2, 2, seed: 1))]);
        byte[] before = File.ReadAllBytes(path);
        EmbeddingMatrix m = TransferTestData.RandomMatrix(2, 2, seed: 2);
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [new("x", m), new("x", m)]));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder));
    }

    private static float NaiveBFloat16(float value)
    {
        // Independent rounding: pick whichever of the two neighbouring bfloat16 values is nearer, ties to even.
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint down = bits & 0xFFFF0000u;
        uint up = down + 0x10000u;
        double d = Math.Abs((double)value - BitConverter.UInt32BitsToSingle(down));
        double u = Math.Abs((double)value - BitConverter.UInt32BitsToSingle(up));
        uint chosen = d < u ? down : u < d ? up : ((down >> 16) % 2 == 0 ? down : up);
        return BitConverter.UInt32BitsToSingle(chosen);
    }
}
