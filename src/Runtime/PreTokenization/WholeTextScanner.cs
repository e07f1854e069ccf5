using System;

namespace TokenizerCompiler.PreTokenization;

/// <summary>No pre-tokenization: the whole text is one piece.</summary>
internal readonly struct WholeTextScanner : IPieceScanner
{
    /// <inheritdoc cref="IPieceScanner.PieceEnd"/>
    public static int PieceEnd(ReadOnlySpan<byte> text, int start) => text.Length;
}
