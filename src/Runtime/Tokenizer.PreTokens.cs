using System;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.PreTokenization;
using TokenizerCompiler.Text;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// The number of pre-tokens ("pieces") the tokenizer's split pattern cuts <paramref name="utf8Text"/> into,
    /// special-token text treated as ordinary text. Every token the tokenizer produces lies inside one
    /// pre-token, so this is what decides whether a byte string could ever be a single token of this
    /// pre-tokenizer (dynamic tokenization asks exactly that). Invalid UTF-8 sequences count as U+FFFD.
    /// </summary>
    /// <remarks>Allocates nothing for the built-in patterns; an arbitrary regular expression pattern, and a Hugging Face
    /// pipeline (normalized, then pre-tokenized as encoding does), go through a UTF-16 copy.</remarks>
    public int CountPreTokens(ReadOnlySpan<byte> utf8Text)
    {
        using var utf8 = Utf8Text.FromUtf8(utf8Text);
        ReadOnlySpan<byte> text = utf8.Bytes;
        if (_pipeline is not null)
        {
            // A Hugging Face pipeline: its normalizer, then its pre-tokenizers, as encoding applies them.
            return _pipeline.CountPreTokens(text);
        }

        return _tables.PreTokenizer switch
        {
            PreTokenizerKind.O200k => CountPieces<O200kScanner>(text),
            PreTokenizerKind.Cl100k => CountPieces<Cl100kScanner>(text),
            PreTokenizerKind.Qwen => CountPieces<QwenScanner>(text),
            PreTokenizerKind.Gpt2 => CountPieces<Gpt2Scanner>(text),
            PreTokenizerKind.None => text.IsEmpty ? 0 : 1,
            _ => CountRegexPieces(text),
        };
    }

    private static int CountPieces<TScanner>(ReadOnlySpan<byte> text)
        where TScanner : IPieceScanner
    {
        int count = 0;
        PieceCursor<TScanner> pieces = default;
        for (int position = 0; position < text.Length; position = pieces.NextEnd(text, position))
        {
            count++;
        }

        return count;
    }

    private int CountRegexPieces(ReadOnlySpan<byte> text) => _regex!.CountPieces(text);
}
