using System;
using System.Collections.Generic;
using System.Text;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// For each target row, how its embedding is obtained from the source vocabulary: a copied source id, or the
/// source ids (with their byte lengths) that spell the token, or nothing (fallback). Built from two tokenizers by
/// <see cref="Create(Tokenizer, Tokenizer, ReadOnlySpan{int})"/>, or row by row with the <c>Add</c> methods for
/// tokens that no vocabulary lists (such as the new tokens of dynamic tokenization).
/// </summary>
public sealed class TokenDecomposition
{
    private readonly List<TokenEstimateKind> _kinds = new();
    private readonly List<int> _offsets = new() { 0 };
    private readonly List<int> _pieces = new();
    private readonly List<int> _pieceLengths = new();

    /// <summary>The number of rows.</summary>
    public int Count => _kinds.Count;

    /// <summary>How row <paramref name="row"/> is obtained.</summary>
    public TokenEstimateKind GetKind(int row) => _kinds[row];

    /// <summary>The source ids of row <paramref name="row"/>: one for copied and special rows, none for fallback rows.</summary>
    public ReadOnlySpan<int> GetPieces(int row) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pieces)[_offsets[row].._offsets[row + 1]];

    /// <summary>The byte lengths of the pieces of an estimated row (copied and special rows, which need none, report 1).</summary>
    public ReadOnlySpan<int> GetPieceLengths(int row) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pieceLengths)[_offsets[row].._offsets[row + 1]];

    internal ReadOnlySpan<int> Offsets => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_offsets);

    internal ReadOnlySpan<int> AllPieces => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pieces);

    /// <summary>Adds a row copied from source token <paramref name="sourceId"/> (same bytes).</summary>
    public void AddCopied(int sourceId) => Add(TokenEstimateKind.Copied, [sourceId], [1]);

    /// <summary>Adds a special-token row copied from the source special token <paramref name="sourceId"/> of the same role.</summary>
    public void AddSpecial(int sourceId) => Add(TokenEstimateKind.Special, [sourceId], [1]);

    /// <summary>Adds a row estimated from source tokens <paramref name="pieces"/>, whose byte lengths are <paramref name="pieceLengths"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, or a length is not positive.</exception>
    public void AddEstimated(ReadOnlySpan<int> pieces, ReadOnlySpan<int> pieceLengths)
    {
        if (pieces.IsEmpty || pieces.Length != pieceLengths.Length)
        {
            throw new ArgumentException("An estimated row needs at least one piece and one byte length per piece.", nameof(pieceLengths));
        }

        foreach (int length in pieceLengths)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length, nameof(pieceLengths));
        }

        Add(TokenEstimateKind.Estimated, pieces, pieceLengths);
    }

    /// <summary>Adds a row with no source counterpart.</summary>
    public void AddFallback() => Add(TokenEstimateKind.Fallback, [], []);

    /// <summary>
    /// Decomposes target tokens <paramref name="targetIds"/> (all ids <c>0 .. VocabularySize-1</c> when empty): a source
    /// token with the same bytes is copied; special tokens are matched by <see cref="SpecialTokenRole"/>; any other
    /// token is spelled with the source tokenizer's encoding of its bytes (bytes that are not valid UTF-8 become the
    /// source's single-byte tokens); ids that are no token, and tokens the source cannot spell, fall back.
    /// </summary>
    public static TokenDecomposition Create(Tokenizer source, Tokenizer target, ReadOnlySpan<int> targetIds = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var sourceRoles = new Dictionary<SpecialTokenRole, int>();
        foreach (int id in source.SpecialTokenIds)
        {
            SpecialTokenRole role = SpecialTokenRoles.Classify(Encoding.UTF8.GetString(source.GetTokenBytes(id)));
            if (role != SpecialTokenRole.None)
            {
                sourceRoles.TryAdd(role, id);
            }
        }

        // Tokens are compared by the bytes they stand for, so SentencePiece's ▁the, GPT-2's Ġthe and tiktoken's " the"
        // are the same token; the vocabulary's own form is tried first (exact for tiktoken and byte-level vocabularies).
        var specialIds = new HashSet<int>(source.SpecialTokenIds.ToArray());
        var sourceByBytes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < source.VocabularySize; id++)
        {
            if (source.IsValidId(id) && !specialIds.Contains(id))
            {
                sourceByBytes.TryAdd(Encoding.Latin1.GetString(source.GetTokenBytes(id)), id);
            }
        }

        var targetSpecials = new HashSet<int>(target.SpecialTokenIds.ToArray());
        var decomposition = new TokenDecomposition();
        int count = targetIds.IsEmpty ? target.VocabularySize : targetIds.Length;
        var pieces = new List<int>();
        var lengths = new List<int>();
        for (int i = 0; i < count; i++)
        {
            int id = targetIds.IsEmpty ? i : targetIds[i];
            if (!target.IsValidId(id))
            {
                decomposition.AddFallback();
                continue;
            }

            ReadOnlySpan<byte> bytes = target.GetTokenBytes(id);
            if (targetSpecials.Contains(id))
            {
                SpecialTokenRole role = SpecialTokenRoles.Classify(Encoding.UTF8.GetString(bytes));
                if (role != SpecialTokenRole.None && sourceRoles.TryGetValue(role, out int sourceSpecial))
                {
                    decomposition.AddSpecial(sourceSpecial);
                }
                else
                {
                    decomposition.AddFallback();
                }

                continue;
            }

            if (source.TryGetTokenId(bytes, out int same) || sourceByBytes.TryGetValue(Encoding.Latin1.GetString(bytes), out same))
            {
                decomposition.AddCopied(same);
                continue;
            }

            pieces.Clear();
            lengths.Clear();
            if (Spell(source, bytes, pieces, lengths))
            {
                decomposition.AddEstimated(pieces.ToArray(), lengths.ToArray());
            }
            else
            {
                decomposition.AddFallback();
            }
        }

        return decomposition;
    }

    /// <summary>
    /// The source tokens that spell <paramref name="bytes"/>: the encoder's ids for each run of valid UTF-8 (the
    /// encoder would turn invalid bytes into U+FFFD), single-byte tokens for the invalid bytes between.
    /// </summary>
    private static bool Spell(Tokenizer source, ReadOnlySpan<byte> bytes, List<int> pieces, List<int> lengths)
    {
        int position = 0;
        while (position < bytes.Length)
        {
            int runEnd = position;
            while (runEnd < bytes.Length && Rune.DecodeFromUtf8(bytes[runEnd..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
            {
                runEnd += consumed;
            }

            if (runEnd > position)
            {
                foreach (int piece in source.EncodeToIds(bytes[position..runEnd], SpecialTokenPolicy.TreatAsText))
                {
                    pieces.Add(piece);
                    lengths.Add(source.GetTokenBytes(piece).Length);
                }

                position = runEnd;
                continue;
            }

            if (!source.TryGetTokenId(bytes.Slice(position, 1), out int single))
            {
                return false;
            }

            pieces.Add(single);
            lengths.Add(1);
            position++;
        }

        return true;
    }

    private void Add(TokenEstimateKind kind, ReadOnlySpan<int> pieces, ReadOnlySpan<int> lengths)
    {
        foreach (int piece in pieces)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(piece, nameof(pieces));
        }

        _kinds.Add(kind);
        _pieces.AddRange(pieces);
        _pieceLengths.AddRange(lengths);
        _offsets.Add(_pieces.Count);
    }
}
