using System;

namespace TokenizerCompiler.HuggingFace;

/// <summary>Hugging Face's WordLevel: a piece is one token, or the unknown token.</summary>
internal sealed class WordLevelModel(Internal.TokenizerTables tables, int unknownId) : IWordModel
{
    public int Encode(ReadOnlySpan<byte> piece, Span<int> output)
    {
        int id = tables.Lookup(piece);
        if (id < 0 && unknownId < 0)
        {
            throw new InvalidOperationException($"'{System.Text.Encoding.UTF8.GetString(piece)}' is not in the vocabulary and the WordLevel model has no unknown token (Hugging Face fails here too).");
        }

        output[0] = id >= 0 ? id : unknownId;
        return 1;
    }
}
