using System;
using TokenizerCompiler.PreTokenization;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The scanners the pre-tokenization tests compare, by pattern: the general scan (the reference, which the tiktoken
/// goldens pin down), the ASCII fast path and the window scan.
/// </summary>
internal static class PieceScanners
{
    public delegate int Scan(ReadOnlySpan<byte> text, int start);

    public delegate ulong Window(ReadOnlySpan<byte> text, int start);

    /// <summary>The patterns with a fast path and a window scan.</summary>
    public static TheoryData<string> Names => new() { "o200k", "cl100k", "qwen", "gpt2" };

    public static (Scan General, Scan Fast, Window Window) For(string scanner) => scanner switch
    {
        "o200k" => (O200kScanner.General, O200kScanner.PieceEnd, O200kWindow.Starts),
        "cl100k" => ((t, s) => Cl100kScanner.General(t, s, singleDigits: false), Cl100kScanner.PieceEnd, (t, s) => Cl100kWindow.Starts(t, s, maxDigits: 3)),
        "qwen" => ((t, s) => Cl100kScanner.General(t, s, singleDigits: true), QwenScanner.PieceEnd, (t, s) => Cl100kWindow.Starts(t, s, maxDigits: 1)),
        "gpt2" => (Gpt2Scanner.General, Gpt2Scanner.PieceEnd, Gpt2Window.Starts),
        _ => throw new ArgumentOutOfRangeException(nameof(scanner)),
    };
}
