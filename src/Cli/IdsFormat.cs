using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace TokenizerCompiler.CommandLine;

/// <summary>
/// The two ways ids travel: binary (uint32 little-endian, one per id, no header: the format of the goldens,
/// and numpy's <c>np.fromfile(f, "&lt;u4")</c>) and text (decimal, separated by spaces, commas or newlines).
/// </summary>
internal static class IdsFormat
{
    /// <summary>Writes ids as uint32 little-endian.</summary>
    public static void WriteBinary(Stream output, ReadOnlySpan<int> ids)
    {
        if (BitConverter.IsLittleEndian)
        {
            output.Write(MemoryMarshal.AsBytes(ids));
            return;
        }

        Span<byte> four = stackalloc byte[4];
        foreach (int id in ids)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)id);
            output.Write(four);
        }
    }

    /// <summary>Reads a whole uint32 little-endian ids stream.</summary>
    public static int[] ReadBinary(Stream input, string name)
    {
        using var memory = new MemoryStream();
        input.CopyTo(memory);
        ReadOnlySpan<byte> bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        if (bytes.Length % 4 != 0)
        {
            throw new CliException($"'{name}' is {bytes.Length} bytes long, not a multiple of 4: it does not hold uint32 little-endian ids");
        }

        var ids = new int[bytes.Length / 4];
        for (int i = 0; i < ids.Length; i++)
        {
            uint value = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(i * 4, 4));
            if (value > int.MaxValue)
            {
                throw new CliException($"id {value} (number {i} in '{name}') is not a token id");
            }

            ids[i] = (int)value;
        }

        return ids;
    }

    /// <summary>Parses decimal ids separated by whitespace or commas; a bad number is a usage error.</summary>
    public static void ParseText(string text, List<int> into, string command)
    {
        foreach (string part in text.Split(new[] { ' ', '\t', '\r', '\n', ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            string trimmed = part.Trim('[', ']');
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                throw new UsageException($"'{part}' is not a token id (a non-negative integer)", command);
            }

            into.Add(id);
        }
    }
}
