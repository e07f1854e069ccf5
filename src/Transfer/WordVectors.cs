using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// Word vectors in fastText's text format (<c>.vec</c>): a first line "count dimensions", then one line per word,
/// the word followed by its values, separated by spaces. Used as an auxiliary similarity space.
/// </summary>
public sealed class WordVectors
{
    private readonly Dictionary<string, int> _rows;

    private WordVectors(Dictionary<string, int> rows, EmbeddingMatrix vectors)
    {
        _rows = rows;
        Vectors = vectors;
    }

    /// <summary>One row per word.</summary>
    public EmbeddingMatrix Vectors { get; }

    /// <summary>The number of dimensions.</summary>
    public int Dimensions => Vectors.Columns;

    /// <summary>Reads a .vec file.</summary>
    /// <exception cref="EmbeddingFormatException">A line is malformed; the message gives its number.</exception>
    public static WordVectors Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path, new UTF8Encoding(false, true));
        string? first = reader.ReadLine();
        string[] counts = first?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (counts.Length != 2
            || !int.TryParse(counts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || !int.TryParse(counts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int dimensions)
            || dimensions == 0 || (long)count * dimensions > Array.MaxLength)
        {
            throw new EmbeddingFormatException($"{path}:1: expected \"<word count> <dimensions>\" (fastText .vec format).");
        }

        var matrix = new EmbeddingMatrix(count, dimensions);
        var rows = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (int row = 0; row < count; row++)
        {
            int lineNumber = row + 2;
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (DecoderFallbackException e)
            {
                throw new EmbeddingFormatException($"{path}:{lineNumber}: not valid UTF-8.", e);
            }

            if (line is null)
            {
                throw new EmbeddingFormatException($"{path}: the header promises {count} words, the file ends after {row}.");
            }

            string[] fields = line.TrimEnd().Split(' ');
            if (fields.Length != dimensions + 1)
            {
                throw new EmbeddingFormatException($"{path}:{lineNumber}: expected a word and {dimensions} values, found {fields.Length} fields.");
            }

            Span<float> values = matrix.GetRow(row);
            for (int c = 0; c < dimensions; c++)
            {
                if (!float.TryParse(fields[c + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]))
                {
                    throw new EmbeddingFormatException($"{path}:{lineNumber}: '{fields[c + 1]}' is not a number.");
                }
            }

            rows.TryAdd(fields[0], row);
        }

        return new WordVectors(rows, matrix);
    }

    /// <summary>Finds the vector of <paramref name="word"/> (exact match).</summary>
    public bool TryGetVector(string word, out ReadOnlySpan<float> vector)
    {
        if (_rows.TryGetValue(word, out int row))
        {
            vector = Vectors.GetRow(row);
            return true;
        }

        vector = default;
        return false;
    }

    /// <summary>
    /// Finds the vector for a token's bytes: the token's text as is, then without surrounding whitespace (byte-level
    /// tokens carry their leading space), then lower-cased. Bytes that are not whole UTF-8 have no vector.
    /// </summary>
    public bool TryGetTokenVector(ReadOnlySpan<byte> tokenBytes, out ReadOnlySpan<float> vector)
    {
        vector = default;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(tokenBytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        string trimmed = text.Trim();
        return TryGetVector(text, out vector)
            || (trimmed.Length > 0 && TryGetVector(trimmed, out vector))
            || (trimmed.Length > 0 && TryGetVector(trimmed.ToLowerInvariant(), out vector));
    }
}
