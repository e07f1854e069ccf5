using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Linq;
using System.Text.Json;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// A safetensors file opened for reading: the header is parsed and validated up front (dtypes, shapes, and data
/// offsets that lie inside the file, match the shape and do not overlap), and tensor data is read through a
/// memory map, so selecting one tensor of a multi-gigabyte checkpoint touches only that tensor's pages.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    /// <summary>Headers larger than this are refused (the reference implementation's limit), so a damaged length cannot make us allocate gigabytes.</summary>
    private const long MaxHeaderLength = 100_000_000;

    private readonly string _path;
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _data;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;
    private bool _disposed;

    private SafetensorsFile(string path, MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* data,
        List<SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        _path = path;
        _map = map;
        _view = view;
        _data = data;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The tensors in the file, in the order of their data.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> strings (empty when there are none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="EmbeddingFormatException">The file is not a well-formed safetensors file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        long fileLength = new FileInfo(path).Length;
        if (fileLength < 8)
        {
            throw new EmbeddingFormatException($"{path}: {fileLength} bytes is too short for a safetensors file (it starts with an 8-byte header length).");
        }

        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        bool acquired = false;
        try
        {
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            pointer += view.PointerOffset;
            var file = new ReadOnlySpan<byte>(pointer, (int)Math.Min(fileLength, int.MaxValue));
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
            if (headerLength > MaxHeaderLength || (long)headerLength > fileLength - 8)
            {
                throw new EmbeddingFormatException($"{path}: the header length {headerLength} runs past the end of the {fileLength}-byte file (truncated or not safetensors).");
            }

            long dataLength = fileLength - 8 - (long)headerLength;
            (List<SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata) =
                ParseHeader(path, file.Slice(8, (int)headerLength), dataLength);
            return new SafetensorsFile(path, map, view, pointer + 8 + (long)headerLength, tensors, metadata);
        }
        catch
        {
            if (acquired)
            {
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            }

            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>Finds the tensor named <paramref name="name"/>.</summary>
    public bool TryGetTensor(string name, out SafetensorsTensorInfo info) => _byName.TryGetValue(name, out info!);

    /// <summary>
    /// Reads the two-dimensional F32, F16 or BF16 tensor <paramref name="name"/> as a float matrix (rows x columns).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    /// <exception cref="EmbeddingFormatException">The tensor is not a 2-D floating-point tensor.</exception>
    public EmbeddingMatrix ReadMatrix(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!TryGetTensor(name, out SafetensorsTensorInfo info))
        {
            throw new KeyNotFoundException($"{_path} has no tensor named '{name}' (it has: {string.Join(", ", Tensors.Select(t => t.Name))}).");
        }

        if (info.ElementType is not TensorElementType type)
        {
            throw new EmbeddingFormatException($"{_path}: tensor '{name}' is {info.DataType}; embeddings must be F32, F16 or BF16.");
        }

        if (info.Shape.Count != 2 || info.Shape[0] > int.MaxValue || info.Shape[1] > int.MaxValue || info.Shape[0] * info.Shape[1] > Array.MaxLength)
        {
            throw new EmbeddingFormatException($"{_path}: tensor '{name}' has shape [{string.Join(", ", info.Shape)}]; an embedding matrix is [rows, columns] and fits one array.");
        }

        var matrix = new EmbeddingMatrix((int)info.Shape[0], (int)info.Shape[1]);
        int size = ElementConversion.SizeOf(type);
        Span<float> destination = matrix.AsSpan();
        // Convert in row-sized chunks: spans cannot exceed 2 GB, the tensor can.
        int chunkRows = Math.Max(1, (1 << 24) / Math.Max(1, matrix.Columns));
        for (int row = 0; row < matrix.Rows; row += chunkRows)
        {
            int rows = Math.Min(chunkRows, matrix.Rows - row);
            long offset = info.Begin + ((long)row * matrix.Columns * size);
            int count = rows * matrix.Columns;
            var source = new ReadOnlySpan<byte>(_data + offset, count * size);
            ElementConversion.Widen(source, type, destination.Slice(row * matrix.Columns, count));
        }

        return matrix;
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view?.SafeMemoryMappedViewHandle.ReleasePointer();
        _view?.Dispose();
        _map?.Dispose();
    }

    private static (List<SafetensorsTensorInfo>, Dictionary<string, string>) ParseHeader(string path, ReadOnlySpan<byte> header, long dataLength)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(header);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new EmbeddingFormatException($"{path}: the header is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EmbeddingFormatException($"{path}: the header is not a JSON object.");
            }

            var tensors = new List<SafetensorsTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }

                tensors.Add(ReadTensorEntry(path, property, dataLength));
            }

            tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            for (int i = 1; i < tensors.Count; i++)
            {
                if (tensors[i].Begin < tensors[i - 1].End)
                {
                    throw new EmbeddingFormatException($"{path}: the data of tensors '{tensors[i - 1].Name}' and '{tensors[i].Name}' overlap.");
                }
            }

            return (tensors, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new EmbeddingFormatException($"{path}: __metadata__ must be an object of strings.");
        }

        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new EmbeddingFormatException($"{path}: __metadata__ value '{entry.Name}' is not a string.");
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafetensorsTensorInfo ReadTensorEntry(string path, JsonProperty property, long dataLength)
    {
        string name = property.Name;
        JsonElement entry = property.Value;
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String
            || !entry.TryGetProperty("shape", out JsonElement shape) || shape.ValueKind != JsonValueKind.Array
            || !entry.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array)
        {
            throw new EmbeddingFormatException($"{path}: tensor '{name}' needs \"dtype\" (string), \"shape\" and \"data_offsets\" (arrays).");
        }

        string dataType = dtype.GetString()!;
        int elementSize = SafetensorsTensorInfo.ElementSize(dataType);
        if (elementSize == 0)
        {
            throw new EmbeddingFormatException($"{path}: tensor '{name}' has unknown dtype '{dataType}'.");
        }

        var dimensions = new List<long>();
        long elements = 1;
        foreach (JsonElement dimension in shape.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out long value) || value < 0)
            {
                throw new EmbeddingFormatException($"{path}: tensor '{name}' has a shape entry that is not a non-negative integer.");
            }

            dimensions.Add(value);
            elements = value == 0 ? 0 : (elements > long.MaxValue / value ? -1 : elements * value);
            if (elements < 0)
            {
                throw new EmbeddingFormatException($"{path}: tensor '{name}' has a shape too large to address.");
            }
        }

        if (offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end)
            || begin < 0 || end < begin)
        {
            throw new EmbeddingFormatException($"{path}: tensor '{name}' needs data_offsets [begin, end] with 0 <= begin <= end.");
        }

        if (end > dataLength)
        {
            throw new EmbeddingFormatException($"{path}: tensor '{name}' ends at byte {end} of a {dataLength}-byte data section (the file is truncated).");
        }

        if (elements > long.MaxValue / elementSize || end - begin != elements * elementSize)
        {
            throw new EmbeddingFormatException($"{path}: tensor '{name}' of shape [{string.Join(", ", dimensions)}] and dtype {dataType} needs {elements * elementSize} bytes but data_offsets give {end - begin}.");
        }

        return new SafetensorsTensorInfo(name, dataType, dimensions, begin, end);
    }
}
