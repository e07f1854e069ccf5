using System;
using System.Collections.Generic;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.Parsing;

/// <summary>
/// Parses tiktoken rank files: one <c>base64(token bytes) rank</c> pair per line. Also accepts the variant
/// Microsoft.ML.Tokenizers embeds (an optional <c>Capacity: N</c> first line and no ranks, so a token's rank
/// is its line index), CRLF line ends, a byte order mark and blank lines.
/// </summary>
public static class TiktokenParser
{
    /// <summary>Ranks above this are rejected: they would make the id table absurdly large.</summary>
    public const int MaxRank = (1 << 24) - 1;

    /// <summary>Parses <paramref name="text"/>; problems are added to <paramref name="diagnostics"/> with their line and column.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="filePath">The file's path, for diagnostics.</param>
    /// <param name="diagnostics">Receives every problem found.</param>
    /// <returns>Token bytes indexed by rank (holes are <see langword="null"/>), or <see langword="null"/> when the file has errors.</returns>
    public static List<byte[]?>? Parse(string text, string filePath, List<CompilerDiagnostic> diagnostics)
    {
        var tokens = new List<byte[]?>();
        var seen = new Dictionary<ByteString, int>();
        LineMap? lineMap = null;
        int errorsBefore = CountErrors(diagnostics);
        int position = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        int dataLine = 0;
        bool first = true;
        bool? ranked = null; // decided by the first data line: a file either has ranks on every line or on none

        while (position < text.Length)
        {
            int lineEnd = text.IndexOf('\n', position);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            int contentEnd = lineEnd > position && text[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            int lineStart = position;
            position = lineEnd + 1;
            if (contentEnd == lineStart)
            {
                continue;
            }

            if (first && StartsWith(text, lineStart, "Capacity:"))
            {
                first = false;
                continue;
            }

            first = false;
            int space = text.IndexOf(' ', lineStart, contentEnd - lineStart);
            int tokenEnd = space < 0 ? contentEnd : space;
            ranked ??= space >= 0;
            int rank;
            if (space < 0 && ranked == true)
            {
                Report(ref lineMap, text, filePath, diagnostics, DiagnosticIds.MalformedVocabulary, lineStart, contentEnd - lineStart,
                    $"'{Snippet(text, lineStart, contentEnd)}' has no rank: every line must be 'base64 rank' (is the file truncated?)");
                dataLine++;
                continue;
            }

            if (space < 0)
            {
                rank = dataLine;
            }
            else if (ranked == false)
            {
                Report(ref lineMap, text, filePath, diagnostics, DiagnosticIds.MalformedVocabulary, space, contentEnd - space,
                    "this line has a rank but the file's first lines have none: use one form throughout");
                dataLine++;
                continue;
            }
            else if (!TryParseRank(text, space + 1, contentEnd, out rank))
            {
                Report(ref lineMap, text, filePath, diagnostics, DiagnosticIds.MalformedVocabulary, space + 1, contentEnd - space - 1,
                    $"'{Snippet(text, space + 1, contentEnd)}' is not a rank: expected a decimal integer from 0 to {MaxRank}");
                dataLine++;
                continue;
            }

            dataLine++;
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(text.Substring(lineStart, tokenEnd - lineStart));
            }
            catch (FormatException)
            {
                Report(ref lineMap, text, filePath, diagnostics, DiagnosticIds.MalformedVocabulary, lineStart, tokenEnd - lineStart,
                    $"'{Snippet(text, lineStart, tokenEnd)}' is not valid base64");
                continue;
            }

            if (bytes.Length == 0)
            {
                Report(ref lineMap, text, filePath, diagnostics, DiagnosticIds.MalformedVocabulary, lineStart, tokenEnd - lineStart,
                    "a token must have at least one byte");
                continue;
            }

            while (tokens.Count <= rank)
            {
                tokens.Add(null);
            }

            if (tokens[rank] is not null)
            {
                Report(ref lineMap, text, filePath, diagnostics, DiagnosticIds.DuplicateToken, space + 1, contentEnd - space - 1,
                    $"rank {rank} is given to more than one token");
                continue;
            }

            var key = new ByteString(bytes);
            if (seen.TryGetValue(key, out int previous))
            {
                Report(ref lineMap, text, filePath, diagnostics, DiagnosticIds.DuplicateToken, lineStart, tokenEnd - lineStart,
                    $"token '{Snippet(text, lineStart, tokenEnd)}' appears twice (ranks {previous} and {rank})");
                continue;
            }

            seen.Add(key, rank);
            tokens[rank] = bytes;
        }

        if (CountErrors(diagnostics) > errorsBefore)
        {
            return null;
        }

        if (seen.Count == 0)
        {
            diagnostics.Add(new CompilerDiagnostic(DiagnosticIds.EmptyVocabulary, DiagnosticSeverityLevel.Error,
                "the vocabulary has no tokens", filePath, SourceSpan.FileStart));
            return null;
        }

        return tokens;
    }

    private static bool TryParseRank(string text, int start, int end, out int rank)
    {
        rank = 0;
        if (start >= end || end - start > 9)
        {
            return false;
        }

        for (int i = start; i < end; i++)
        {
            char c = text[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            rank = (rank * 10) + (c - '0');
        }

        return rank <= MaxRank;
    }

    private static bool StartsWith(string text, int start, string prefix) =>
        string.CompareOrdinal(text, start, prefix, 0, prefix.Length) == 0;

    private static string Snippet(string text, int start, int end)
    {
        int length = Math.Min(end - start, 40);
        return text.Substring(start, length) + (end - start > 40 ? "…" : string.Empty);
    }

    private static int CountErrors(List<CompilerDiagnostic> diagnostics)
    {
        int count = 0;
        foreach (CompilerDiagnostic d in diagnostics)
        {
            if (d.Severity == DiagnosticSeverityLevel.Error)
            {
                count++;
            }
        }

        return count;
    }

    private static void Report(ref LineMap? lineMap, string text, string filePath, List<CompilerDiagnostic> diagnostics,
        string id, int offset, int length, string message)
    {
        lineMap ??= new LineMap(text);
        diagnostics.Add(new CompilerDiagnostic(id, DiagnosticSeverityLevel.Error, message, filePath, lineMap.SpanAt(offset, length)));
    }
}
