using System;
using System.Collections.Generic;
using System.Linq;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.HuggingFace;
using System.Runtime.InteropServices;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler;

/// <summary>
/// A tokenizer over compiled tables: encodes text to token ids, counts tokens, finds truncation points and
/// decodes ids back to text, with zero allocations on the span-based overloads. Instances are immutable and
/// safe to use from any number of threads at once; the hot path takes no locks.
/// </summary>
/// <remarks>
/// Invalid text has defined behaviour: a lone surrogate in UTF-16 input and an invalid sequence in UTF-8
/// input are each encoded as U+FFFD (the replacement character), which is what tiktoken and Hugging Face
/// tokenizers do with strings that JavaScript or Python hand them.
/// </remarks>
public sealed partial class Tokenizer
{
    private readonly TokenizerTables _tables;
    private readonly SpecialTokenMatcher _specials;
    private readonly RegexPieceSplitter? _regex;
    private readonly PipelineEncoder? _pipeline;
    private readonly DecoderSpec _decoder;
    private readonly int[] _specialIds;
    private readonly int[] _prefixIds = Array.Empty<int>();
    private readonly int[] _suffixIds = Array.Empty<int>();

    private Tokenizer(TokenizerTables tables)
    {
        _tables = tables;
        if (tables.Pipeline is { } pipeline)
        {
            _specials = SpecialAddedTokens(pipeline, out _specialIds);
            _pipeline = new PipelineEncoder(tables, pipeline);
            _decoder = pipeline.Decoder;
            _prefixIds = ValidIds(tables, pipeline.PrefixIds);
            _suffixIds = ValidIds(tables, pipeline.SuffixIds);
        }
        else
        {
            _decoder = new DecoderSpec(0, JoinWithSpace: false);
            _specials = new SpecialTokenMatcher(tables);
            _specialIds = tables.SpecialTokenIds;
            _regex = tables.PreTokenizer == PreTokenizerKind.Regex ? new RegexPieceSplitter(tables.Pattern) : null;
        }
    }

    /// <summary>
    /// The added tokens marked special: the special-token policy governs them, the others are always matched. A method
    /// of its own so that a tiktoken tokenizer's constructor does not load LINQ at start.
    /// </summary>
    private static SpecialTokenMatcher SpecialAddedTokens(PipelineSpec pipeline, out int[] ids)
    {
        List<AddedToken> specials = pipeline.AddedTokens.Where(token => token.Special).ToList();
        ids = specials.Select(token => token.Id).ToArray();
        return new SpecialTokenMatcher(ids, specials.Select(token => System.Text.Encoding.UTF8.GetBytes(token.Content)).ToArray());
    }

    /// <summary>The tokenizer's name (e.g. <c>o200k_base</c>).</summary>
    public string Name => _tables.Name;

    /// <summary>One more than the largest token id, special tokens included.</summary>
    public int VocabularySize => _tables.VocabularySize;

    /// <summary>The longest ordinary token, in bytes.</summary>
    public int MaxTokenLength => _tables.MaxTokenLength;

    /// <summary>The split pattern the tokenizer pre-tokenizes with.</summary>
    public string Pattern => _tables.Pattern;

    /// <summary>
    /// Opens a tokenizer over image data that the generator embedded as a string literal. String literals
    /// are interned and never freed; the string is pinned once, so the tables are read in place, not copied.
    /// </summary>
    /// <param name="imageData">The image, two bytes per char (little-endian), as the generator emits it.</param>
    public static unsafe Tokenizer FromEmbeddedImage(string imageData)
    {
        ArgumentNullException.ThrowIfNull(imageData);
        GCHandle handle = GCHandle.Alloc(imageData, GCHandleType.Pinned);
        var pin = new PinnedOwner(handle);
        fixed (char* data = imageData)
        {
            return new Tokenizer(TokenizerTables.Open(pin, (byte*)data, imageData.Length * 2, trusted: true));
        }
    }

    /// <summary>Opens a tokenizer over an image held in memory (as written by <c>tkc compile</c>); the checksum is verified.</summary>
    /// <exception cref="InvalidTokenizerImageException">The image is corrupt, truncated or of an unsupported version.</exception>
    public static unsafe Tokenizer FromImage(ReadOnlySpan<byte> image)
    {
        byte[] copy = GC.AllocateUninitializedArray<byte>(image.Length, pinned: true);
        image.CopyTo(copy);
        fixed (byte* data = copy)
        {
            return new Tokenizer(TokenizerTables.Open(copy, data, copy.Length, trusted: false));
        }
    }

    internal TokenizerTables Tables => _tables;

    /// <summary>Whether a Hugging Face pipeline runs on a hand-written scanner (tests check which path runs).</summary>
    internal bool IsScannedPipeline => _pipeline?.IsScanned ?? false;

    internal bool IsMarkedWordPipeline => _pipeline?.IsMarkedWords ?? false;

    /// <summary>Whether each stretch between added tokens is merged whole, straight from UTF-8 (tests check which path runs).</summary>
    internal bool IsWholeStretchPipeline => _pipeline?.IsWholeStretches ?? false;

    /// <summary>Whether pre-tokenization runs on a hand-written scanner rather than the regex path (for tests).</summary>
    internal bool IsScannedForTests => _pipeline?.IsScanned ?? _regex is null;

    /// <summary>Whether <paramref name="id"/> is the id of some token (ordinary or special).</summary>
    public bool IsValidId(int id) => _tables.IsTokenId(id);

    /// <summary>
    /// The bytes token <paramref name="id"/> stands for in text: UTF-8, or part of a UTF-8 sequence for byte-level
    /// tokens. For Hugging Face vocabularies this is the token after its decoder's per-token steps (SentencePiece's
    /// <c>▁the</c> is <c>" the"</c>, <c>&lt;0x41&gt;</c> is <c>A</c>); whole-output steps such as stripping the leading
    /// space are not applied.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not a token of this vocabulary.</exception>
    public ReadOnlySpan<byte> GetTokenBytes(int id)
    {
        if (!IsValidId(id))
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"{id} is not a token id of {Name} (vocabulary size {VocabularySize}).");
        }

        return _tables.DecodedBytes(id);
    }

    /// <summary>
    /// Finds the ordinary token whose bytes are exactly <paramref name="tokenBytes"/>, in the vocabulary's own form: the
    /// bytes for tiktoken and byte-level vocabularies, the UTF-8 of the token string otherwise (<c>▁the</c>, <c>&lt;0x41&gt;</c>).
    /// </summary>
    public bool TryGetTokenId(ReadOnlySpan<byte> tokenBytes, out int id)
    {
        id = _tables.Lookup(tokenBytes);
        return id >= 0;
    }

    /// <summary>Finds the special token whose text is <paramref name="text"/>.</summary>
    public bool TryGetSpecialTokenId(ReadOnlySpan<char> text, out int id)
    {
        foreach (int special in _specialIds)
        {
            ReadOnlySpan<byte> bytes = _tables.TokenBytes(special);
            if (System.Text.Encoding.UTF8.GetCharCount(bytes) == text.Length && Utf8Equals(bytes, text))
            {
                id = special;
                return true;
            }
        }

        id = -1;
        return false;
    }

    /// <summary>The ids of the special tokens.</summary>
    /// <remarks>For a Hugging Face vocabulary these are the added tokens marked special (control tokens); the others, which
    /// are text that is matched before the model (Gemma's whitespace runs, KL3M's common words), are in <see cref="AddedTokenIds"/>.</remarks>
    public ReadOnlySpan<int> SpecialTokenIds => _specialIds;

    /// <summary>The ids of every token matched by its text before the model: the special tokens, and a Hugging Face
    /// vocabulary's other added tokens.</summary>
    public ReadOnlySpan<int> AddedTokenIds => _tables.SpecialTokenIds;

    private static bool Utf8Equals(ReadOnlySpan<byte> utf8, ReadOnlySpan<char> text)
    {
        Span<char> buffer = stackalloc char[256];
        if (utf8.Length > buffer.Length)
        {
            return System.Text.Encoding.UTF8.GetString(utf8).AsSpan().SequenceEqual(text);
        }

        int written = System.Text.Encoding.UTF8.GetChars(utf8, buffer);
        return buffer[..written].SequenceEqual(text);
    }

    /// <summary>Keeps a pinned string alive and pinned for the life of the process.</summary>
    private sealed class PinnedOwner(GCHandle handle)
    {
        public GCHandle Handle { get; } = handle;
    }
}
