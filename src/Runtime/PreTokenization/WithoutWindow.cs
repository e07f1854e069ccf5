using System;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// <typeparamref name="TScanner"/> without its window scan, for loops over stretches too short for a window (the
/// short segments of <see cref="HuggingFace.SpaceSegments"/>): there every piece would pay a call that tries the
/// window first, while the scanner's own fast path inlines into the loop.
/// </summary>
internal readonly struct WithoutWindow<TScanner> : IPieceScanner
    where TScanner : IPieceScanner
{
    /// <inheritdoc/>
    public static bool SplitsBeforeSpaces => TScanner.SplitsBeforeSpaces;

    /// <inheritdoc/>
    public static bool SplitsBeforeLineBreaks => TScanner.SplitsBeforeLineBreaks;

    /// <inheritdoc cref="IPieceScanner.PieceEnd"/>
    public static int PieceEnd(ReadOnlySpan<byte> text, int start) => TScanner.PieceEnd(text, start);
}
