using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.Core.Patterns;
using TokenizerCompiler.Internal;
using TokenizerCompiler.PreTokenization;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// The fast path for the pipelines most models ship: no normalizer (or only Unicode normalization forms, on input
/// they leave unchanged), a byte-level model, and pre-tokenization that is
/// one of the split patterns the engine has a hand-written scanner for (GPT-2's through ByteLevel's own regex,
/// Llama 3's and GPT-4o's through Split + ByteLevel, DeepSeek V3's three Splits + ByteLevel). Such text is encoded straight from UTF-8: added tokens found by
/// byte tries (raw-text ones first, then the others, Hugging Face's order), pieces by the scanner, ids by the model.
/// </summary>
internal sealed class ScannedPipeline
{
    private readonly Scanner _scanner;
    private readonly MergeListModel _model;
    private readonly AddedTokenByteMatcher _rawAll, _rawOrdinary, _normalizedAll, _normalizedOrdinary;
    private readonly uint _allowSegmentTag = SpaceSegmentCache.NewTag(), _ordinarySegmentTag = SpaceSegmentCache.NewTag();

    private ScannedPipeline(Scanner scanner, MergeListModel model, IReadOnlyList<AddedToken> added, TextNormalizer normalizer)
    {
        _scanner = scanner;
        _model = model;
        RequiresAscii = !normalizer.IsEmpty;

        // Normalized added tokens are matched by their normalized content, as in the full pipeline.
        List<AddedToken> normalized = added.Where(t => t.Normalized).Select(t => t with { Content = normalizer.Normalize(t.Content) })
            .Where(t => t.Content.Length > 0).ToList();
        _rawAll = new AddedTokenByteMatcher(added.Where(t => !t.Normalized));
        _rawOrdinary = new AddedTokenByteMatcher(added.Where(t => !t.Normalized && !t.Special));
        _normalizedAll = new AddedTokenByteMatcher(normalized);
        _normalizedOrdinary = new AddedTokenByteMatcher(normalized.Where(t => !t.Special));
    }

    /// <summary>
    /// Whether the pipeline has a Unicode normalization form (NFC, NFD, NFKC, NFKD): then only input the form leaves
    /// unchanged (ASCII, or text that passes the normalization quick check) takes this path.
    /// </summary>
    public bool RequiresAscii { get; }

    /// <summary>
    /// Whether the pattern makes a run of line breaks (with the whitespace before them) a piece of its own, which
    /// GPT-2's does not: its \s+(?!\S) takes a line break together with the indentation after it.
    /// </summary>
    public bool EndsPiecesAtLineBreaks => _scanner is Scanner.Cl100k or Scanner.O200k or Scanner.Qwen;

    /// <summary>The fast path for <paramref name="pipeline"/>, or <see langword="null"/> when it does not qualify.</summary>
    public static ScannedPipeline? TryCreate(PipelineSpec pipeline, MergeListModel model, TextNormalizer normalizer)
    {
        bool formsOnly = pipeline.Normalizers.All(step => step.Kind is NormalizerKind.Nfc or NormalizerKind.Nfd or NormalizerKind.Nfkc or NormalizerKind.Nfkd);
        if (!formsOnly || !pipeline.Model.ByteLevel || pipeline.AddedTokens.Any(t => t.LStrip || t.RStrip || t.SingleWord))
        {
            return null;
        }

        // The known patterns match every character, so "keep the matches" (Isolated) and "drop what is not matched"
        // (Removed + invert, as GPT-4o's tokenizer.json says it) split alike.
        IReadOnlyList<PreTokenizerStep> steps = pipeline.PreTokenizers;
        PreTokenizerKind kind = steps switch
        {
            [{ Kind: PreTokenizerStepKind.ByteLevel, UseRegex: true, AddPrefixSpace: false }] => KnownPatterns.FromPattern(steps[0].Pattern).Kind,
            [{ Kind: PreTokenizerStepKind.Split, IsRegex: true } split, { Kind: PreTokenizerStepKind.ByteLevel, UseRegex: false, AddPrefixSpace: false }]
                when (split.Behavior == SplitBehavior.Isolated && !split.Invert) || (split.Behavior == SplitBehavior.Removed && split.Invert)
                => KnownPatterns.FromPattern(split.Pattern).Kind,
            _ => PreTokenizerKind.Regex,
        };
        Scanner? scanner = kind switch
        {
            PreTokenizerKind.Gpt2 => Scanner.Gpt2,
            PreTokenizerKind.Cl100k => Scanner.Cl100k,
            PreTokenizerKind.O200k => Scanner.O200k,
            PreTokenizerKind.Qwen => Scanner.Qwen,
            _ when steps is [_, _, _, { Kind: PreTokenizerStepKind.ByteLevel, UseRegex: false, AddPrefixSpace: false }] && DeepSeekSplits.StartWith(steps) => Scanner.DeepSeek,
            _ => null,
        };
        return scanner is { } known ? new ScannedPipeline(known, model, pipeline.AddedTokens, normalizer) : null;
    }

    /// <summary>Whether <paramref name="text"/> holds an added token that is matched on the raw text (not normalized) under <paramref name="policy"/>.</summary>
    public bool FindsRawToken(ReadOnlySpan<byte> text, SpecialTokenPolicy policy) =>
        (policy == SpecialTokenPolicy.Allow ? _rawAll : _rawOrdinary).FindNext(text, 0, out _, out _) >= 0;

    /// <summary>The hand-written scanners a pipeline can run on.</summary>
    private enum Scanner
    {
        Gpt2,
        Cl100k,
        O200k,
        Qwen,
        DeepSeek,
    }

    /// <summary>Encodes valid UTF-8 <paramref name="text"/>; see <see cref="Tokenizer.Run{TSink}"/> for the contract.</summary>
    public bool Run<TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct => _scanner switch
        {
            // One dispatch per call: below it the scanner is a type, so the split loop, the scanner and the cache
            // lookup compile into one method per scanner.
            Scanner.O200k => Run<O200kScanner, TSink>(text, policy, ref sink, out consumed),
            Scanner.Cl100k => Run<Cl100kScanner, TSink>(text, policy, ref sink, out consumed),
            Scanner.Qwen => Run<QwenScanner, TSink>(text, policy, ref sink, out consumed),
            Scanner.DeepSeek => Run<DeepSeekScanner, TSink>(text, policy, ref sink, out consumed),
            _ => Run<Gpt2Scanner, TSink>(text, policy, ref sink, out consumed),
        };

    private bool Run<TScanner, TSink>(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ref TSink sink, out int consumed)
        where TScanner : IPieceScanner
        where TSink : ITokenSink, allows ref struct
    {
        // The thread's caches are looked up once here, not per stretch: with an added token as common as a space
        // (KL3M-001 has one), a stretch is a word.
        bool allow = policy == SpecialTokenPolicy.Allow;
        Internal.PieceCache cache = _model.ThreadCache();
        AddedTokenByteMatcher normalized = allow ? _normalizedAll : _normalizedOrdinary;
        AddedTokenByteMatcher raw = allow ? _rawAll : _rawOrdinary;
        // Word by word from the segment cache where finding the added tokens costs more than the pieces: a hit skips
        // that search. Where it does not (no added tokens in effect, or a few that start with '<'), the piece path is
        // faster than a segment lookup (Llama 3 code and Qwen 3 prose lost a fifth in alternating probes).
        if (TSink.TakesGroups && TScanner.SplitsBeforeSpaces && (raw.TestsEveryPosition || normalized.TestsEveryPosition))
        {
            var segments = new ScannedSegments<TScanner>(this, cache, raw, normalized, allow ? _allowSegmentTag : _ordinarySegmentTag);
            return SpaceSegments.Encode(ref segments, text, 0, text.Length, ref sink, out consumed);
        }

        return RunAddedTokens<TScanner, TSink>(cache, raw, normalized, text, 0, text.Length, ref sink, out consumed);
    }

    /// <summary>
    /// Encodes [<paramref name="from"/>, <paramref name="to"/>) in Hugging Face's order: raw-text added tokens first,
    /// then the normalized ones in each stretch between them, then the pieces of what is left.
    /// </summary>
    private bool RunAddedTokens<TScanner, TSink>(
        Internal.PieceCache cache, AddedTokenByteMatcher raw, AddedTokenByteMatcher normalized, ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TScanner : IPieceScanner
        where TSink : ITokenSink, allows ref struct
    {
        var pieces = new Pieces<TScanner>(this, cache);
        if (normalized.IsEmpty)
        {
            return AddedTokenSplit.Run(ref pieces, raw, text, from, to, ref sink, out consumed);
        }

        var stretches = new NormalizedStretches<TScanner>(pieces, normalized);
        return AddedTokenSplit.Run(ref stretches, raw, text, from, to, ref sink, out consumed);
    }

    /// <summary>Splits a stretch at the normalized added tokens.</summary>
    private readonly struct NormalizedStretches<TScanner>(Pieces<TScanner> pieces, AddedTokenByteMatcher added) : IStretchEncoder
        where TScanner : IPieceScanner
    {
        public bool EncodeStretch<TSink>(ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
            where TSink : ITokenSink, allows ref struct
        {
            Pieces<TScanner> copy = pieces;
            return AddedTokenSplit.Run(ref copy, added, text, from, to, ref sink, out consumed);
        }
    }

    /// <summary>Pre-tokenizes a stretch with the pipeline's scanner and merges the pieces.</summary>
    private readonly struct Pieces<TScanner>(ScannedPipeline pipeline, Internal.PieceCache cache) : IStretchEncoder
        where TScanner : IPieceScanner
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool EncodeStretch<TSink>(ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
            where TSink : ITokenSink, allows ref struct =>
            pipeline.EncodePieces<TScanner, TSink>(cache, text, from, to, ref sink, out consumed);
    }

    /// <summary>
    /// Pre-tokenizes [<paramref name="from"/>, <paramref name="to"/>) and encodes each piece: known short pieces inline,
    /// pieces whose merge result the caches hold as a view of it, the rest through <see cref="MergeListModel.EncodeToSink"/>.
    /// </summary>
    /// <remarks>
    /// Inlined, with the scanner, into <see cref="AddedTokenSplit.Run"/>, which is not inlined itself: one method per
    /// scanner with its own inlining budget, and no call per stretch, which is a word when an added token is as common
    /// as a space (KL3M-001 legal text: 131 to 145-151 MB/s with the merge-result view, in alternating probes; Llama 3,
    /// Qwen 3, DeepSeek V3 and KL3M-003 equal).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool EncodePieces<TScanner, TSink>(Internal.PieceCache cache, ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TScanner : IPieceScanner
        where TSink : ITokenSink, allows ref struct
    {
        ReadOnlySpan<byte> segment = text[from..to];
        bool tokenIsResult = _model.TokenIsResult;
        PieceCursor<TScanner> pieces = default;
        int position = 0;
        while (position < segment.Length)
        {
            int end = pieces.NextEnd(segment, position);

            // The common case without a call: a short piece the cache knows as its own encoding.
            bool accepted = cache.TryKnownToken(text, from + position, from + end, tokenIsResult, out int id)
                ? sink.Accept(new ReadOnlySpan<int>(in id), from + position, from + end)
                : cache.TryKnownIds(segment[position..end], out ReadOnlySpan<int> known)
                    ? sink.Accept(known, from + position, from + end)
                    : _model.EncodeToSink(cache, segment[position..end], from + position, ref sink);
            if (!accepted)
            {
                consumed = from + position;
                return false;
            }

            position = end;
        }

        consumed = to;
        return true;
    }

    /// <summary>
    /// Split points of scanned text: a space or line break that no added token runs over (no token of either matcher
    /// holds the byte before it followed by it), and that starts a piece on its own, either because it is an added
    /// token by itself or because it follows a visible ASCII character, where the scanner's pattern starts a piece
    /// that does not depend on what came before (<see cref="IPieceScanner.SplitsBeforeSpaces"/>,
    /// <see cref="IPieceScanner.SplitsBeforeLineBreaks"/>).
    /// </summary>
    private readonly struct ScannedSegments<TScanner>(
        ScannedPipeline pipeline, Internal.PieceCache cache, AddedTokenByteMatcher raw, AddedTokenByteMatcher normalized, uint tag) : ISpaceSegmentRule
        where TScanner : IPieceScanner
    {
        /// <inheritdoc/>
        public uint SegmentTag => tag;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool SplitsAt(byte at, byte before) =>
            (raw.IsTokenByItself(at) || normalized.IsTokenByItself(at)
                || ((at == (byte)' ' ? TScanner.SplitsBeforeSpaces : TScanner.SplitsBeforeLineBreaks) && ScanPrimitives.IsVisibleAscii(before)))
            && raw.NoTokenRunsOver(at, before) && normalized.NoTokenRunsOver(at, before);

        /// <inheritdoc/>
        /// <remarks>
        /// A short segment (a word or so) is too short for the scanner's window scan, and every piece would pay a call
        /// that tries it; the stretch between split points that are far apart (a long word, a run of white space, a
        /// line of code without spaces) scans with it.
        /// </remarks>
        public bool EncodeSegment<TSink>(ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
            where TSink : ITokenSink, allows ref struct =>
            to - from >= WindowRules.BytesRead
                ? pipeline.RunAddedTokens<TScanner, TSink>(cache, raw, normalized, text, from, to, ref sink, out consumed)
                : pipeline.RunAddedTokens<WithoutWindow<TScanner>, TSink>(cache, raw, normalized, text, from, to, ref sink, out consumed);
    }
}
