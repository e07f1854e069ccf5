using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace TokenizerCompiler.Transfer;

/// <summary>Writes float matrices to a safetensors file (atomically: a temporary file renamed into place).</summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (name, matrix) in the given element type, with optional string metadata.
    /// </summary>
    /// <exception cref="ArgumentException">A name repeats or is <c>__metadata__</c>.</exception>
    /// <exception cref="IOException">The file cannot be written; the destination is then unchanged.</exception>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, EmbeddingMatrix>> tensors,
        TensorElementType elementType = TensorElementType.Float32, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] header = BuildHeader(tensors, elementType, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            int size = ElementConversion.SizeOf(elementType);
            byte[] buffer = new byte[1 << 20];
            int chunk = buffer.Length / size;
            foreach (KeyValuePair<string, EmbeddingMatrix> tensor in tensors)
            {
                ReadOnlySpan<float> values = tensor.Value.AsSpan();
                for (int start = 0; start < values.Length; start += chunk)
                {
                    int count = Math.Min(chunk, values.Length - start);
                    ElementConversion.Narrow(values.Slice(start, count), elementType, buffer.AsSpan(0, count * size));
                    stream.Write(buffer, 0, count * size);
                }
            }
        });
    }

    private static byte[] BuildHeader(IReadOnlyList<KeyValuePair<string, EmbeddingMatrix>> tensors, TensorElementType elementType,
        IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var memory = new MemoryStream();
        using (var json = new Utf8JsonWriter(memory))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (KeyValuePair<string, string> entry in metadata)
                {
                    json.WriteString(entry.Key, entry.Value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            int size = ElementConversion.SizeOf(elementType);
            foreach (KeyValuePair<string, EmbeddingMatrix> tensor in tensors)
            {
                ArgumentNullException.ThrowIfNull(tensor.Value);
                if (tensor.Key == "__metadata__" || !names.Add(tensor.Key))
                {
                    throw new ArgumentException($"Tensor name '{tensor.Key}' is reserved or repeated.", nameof(tensors));
                }

                long bytes = (long)tensor.Value.Rows * tensor.Value.Columns * size;
                json.WriteStartObject(tensor.Key);
                json.WriteString("dtype", SafetensorsTensorInfo.DataTypeName(elementType));
                json.WriteStartArray("shape");
                json.WriteNumberValue(tensor.Value.Rows);
                json.WriteNumberValue(tensor.Value.Columns);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        // The data section starts 8-byte aligned (as the reference writer does), padded with spaces that JSON ignores.
        int padded = (int)((memory.Length + 7) / 8 * 8);
        byte[] header = new byte[padded];
        memory.ToArray().CopyTo(header, 0);
        header.AsSpan((int)memory.Length).Fill((byte)' ');
        return header;
    }
}
