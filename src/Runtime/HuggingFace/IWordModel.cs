using System;

namespace TokenizerCompiler.HuggingFace;

/// <summary>Turns one pre-tokenized piece (UTF-8) into ids: BPE, Unigram, WordPiece or WordLevel.</summary>
internal interface IWordModel
{
    /// <summary>Encodes <paramref name="piece"/> into <paramref name="output"/> (room for one id per byte) and returns the count.</summary>
    int Encode(ReadOnlySpan<byte> piece, Span<int> output);
}
