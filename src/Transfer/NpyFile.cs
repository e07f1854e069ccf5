using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// NumPy <c>.npy</c> files holding one two-dimensional little-endian float32 (<c>&lt;f4</c>) or float16
/// (<c>&lt;f2</c>) array in C order: what <c>numpy.save</c> writes for an embedding matrix.
/// </summary>
public static partial class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the matrix in <paramref name="path"/>.</summary>
    /// <exception cref="EmbeddingFormatException">The file is not a 2-D little-endian f4/f2 C-order array, or is truncated.</exception>
    public static EmbeddingMatrix Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> preamble = stackalloc byte[12];
        int read = stream.ReadAtLeast(preamble, 10, throwOnEndOfStream: false);
        if (read < 10 || !preamble[..6].SequenceEqual(Magic))
        {
            throw new EmbeddingFormatException($"{path}: not a .npy file (no \\x93NUMPY magic).");
        }

        byte major = preamble[6];
        int headerLength;
        int headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..]);
            headerStart = 10;
        }
        else if (major is 2 or 3)
        {
            if (read < 12)
            {
                throw new EmbeddingFormatException($"{path}: truncated .npy preamble.");
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
            if (length > 1 << 24)
            {
                throw new EmbeddingFormatException($"{path}: .npy header length {length} is implausible.");
            }

            headerLength = (int)length;
            headerStart = 12;
        }
        else
        {
            throw new EmbeddingFormatException($"{path}: unsupported .npy format version {major}.");
        }

        stream.Position = headerStart;
        byte[] headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerLength, throwOnEndOfStream: false) < headerLength)
        {
            throw new EmbeddingFormatException($"{path}: truncated .npy header.");
        }

        string header = Encoding.Latin1.GetString(headerBytes);
        (TensorElementType type, int rows, int columns) = ParseHeader(path, header);
        long expected = (long)rows * columns * ElementConversion.SizeOf(type);
        long available = stream.Length - stream.Position;
        if (available != expected)
        {
            throw new EmbeddingFormatException($"{path}: a {rows} x {columns} {(type == TensorElementType.Float32 ? "<f4" : "<f2")} array needs {expected} data bytes, the file has {available}.");
        }

        var matrix = new EmbeddingMatrix(rows, columns);
        Span<float> destination = matrix.AsSpan();
        int size = ElementConversion.SizeOf(type);
        byte[] buffer = new byte[1 << 20];
        int chunk = buffer.Length / size;
        for (int start = 0; start < destination.Length; start += chunk)
        {
            int count = Math.Min(chunk, destination.Length - start);
            stream.ReadExactly(buffer, 0, count * size);
            ElementConversion.Widen(buffer.AsSpan(0, count * size), type, destination.Slice(start, count));
        }

        return matrix;
    }

    /// <summary>Writes <paramref name="matrix"/> as a version 1.0 .npy file (atomically).</summary>
    /// <exception cref="ArgumentException"><paramref name="elementType"/> is bfloat16, which NumPy has no type for.</exception>
    public static void Write(string path, EmbeddingMatrix matrix, TensorElementType elementType = TensorElementType.Float32)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(matrix);
        if (elementType == TensorElementType.BFloat16)
        {
            throw new ArgumentException(".npy has no bfloat16 type; write Float32 or Float16.", nameof(elementType));
        }

        string descriptor = elementType == TensorElementType.Float32 ? "<f4" : "<f2";
        string dictionary = string.Create(CultureInfo.InvariantCulture,
            $"{{'descr': '{descriptor}', 'fortran_order': False, 'shape': ({matrix.Rows}, {matrix.Columns}), }}");
        // The format pads the header with spaces and a newline so that the data starts 64-byte aligned.
        int unpadded = 10 + dictionary.Length + 1;
        int total = (unpadded + 63) / 64 * 64;
        string header = dictionary + new string(' ', total - unpadded) + "\n";
        AtomicFile.Write(path, stream =>
        {
            Span<byte> preamble = stackalloc byte[10];
            Magic.CopyTo(preamble);
            preamble[6] = 1;
            preamble[7] = 0;
            BinaryPrimitives.WriteUInt16LittleEndian(preamble[8..], (ushort)header.Length);
            stream.Write(preamble);
            stream.Write(Encoding.Latin1.GetBytes(header));
            int size = ElementConversion.SizeOf(elementType);
            byte[] buffer = new byte[1 << 20];
            int chunk = buffer.Length / size;
            ReadOnlySpan<float> values = matrix.AsSpan();
            for (int start = 0; start < values.Length; start += chunk)
            {
                int count = Math.Min(chunk, values.Length - start);
                ElementConversion.Narrow(values.Slice(start, count), elementType, buffer.AsSpan(0, count * size));
                stream.Write(buffer, 0, count * size);
            }
        });
    }

    private static (TensorElementType, int, int) ParseHeader(string path, string header)
    {
        Match descr = DescrPattern().Match(header);
        Match order = FortranPattern().Match(header);
        Match shape = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shape.Success)
        {
            throw new EmbeddingFormatException($"{path}: the .npy header lacks descr, fortran_order or shape: {header.Trim()}");
        }

        TensorElementType type = descr.Groups[1].Value switch
        {
            "<f4" => TensorElementType.Float32,
            "<f2" => TensorElementType.Float16,
            string other => throw new EmbeddingFormatException($"{path}: dtype '{other}' is not supported; embeddings must be little-endian '<f4' or '<f2'."),
        };
        if (order.Groups[1].Value != "False")
        {
            throw new EmbeddingFormatException($"{path}: Fortran-order arrays are not supported; save with numpy.ascontiguousarray.");
        }

        string[] dimensions = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dimensions.Length != 2
            || !int.TryParse(dimensions[0], NumberStyles.None, CultureInfo.InvariantCulture, out int rows)
            || !int.TryParse(dimensions[1], NumberStyles.None, CultureInfo.InvariantCulture, out int columns)
            || (long)rows * columns > Array.MaxLength)
        {
            throw new EmbeddingFormatException($"{path}: shape ({shape.Groups[1].Value}) is not a 2-D [rows, columns] matrix that fits one array.");
        }

        return (type, rows, columns);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
