using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using TokenizerCompiler.Core.Model;
using TokenizerCompiler.Core.Tables;

namespace TokenizerCompiler.Internal;

/// <summary>
/// The run-time view of a tokenizer image: raw pointers into memory that never moves (a pinned string
/// literal, a pinned array or a memory-mapped view, kept alive by <see cref="_owner"/>). Opening validates
/// every section's bounds and every stored index, so a corrupt image is rejected instead of read out of bounds.
/// </summary>
internal sealed unsafe class TokenizerTables
{
    private readonly object _owner;
    private readonly int* _offsets;
    private readonly byte* _tokenBytes;
    private readonly ushort* _displacements;
    private readonly Slot* _slots;
    private readonly int* _bytePairs;
    private readonly MergeEntry* _merges;
    private readonly int _mergeMask;
    private readonly int* _decodedOffsets;
    private readonly byte* _decodedBytes;
    private TokenSlots<Utf8Slot>? _decodeSlots; // set once its build below has finished
    private TokenSlots<Utf16Slot>? _charSlots;  // the same, for decode calls to UTF-16
    private System.Threading.Tasks.Task<TokenSlots<Utf8Slot>>? _decodeSlotsBuild;  // started by the first long decode call
    private System.Threading.Tasks.Task<TokenSlots<Utf16Slot>>? _charSlotsBuild;
    private readonly ulong* _filter;
    private readonly int _filterMask;
    private readonly uint _bucketCount;
    private readonly uint _slotCount;
    private readonly ulong _seed;

    private TokenizerTables(object owner, byte* image, int length, bool trusted)
    {
        _owner = owner;
        if (length < ImageFormat.HeaderSize || BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(image, 8)) != ImageFormat.Magic)
        {
            throw new InvalidTokenizerImageException("the data is not a tokenizer image (bad magic number)");
        }

        var header = new ReadOnlySpan<byte>(image, ImageFormat.HeaderSize);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(8));
        if (version != ImageFormat.Version)
        {
            throw new InvalidTokenizerImageException($"image format version {version} is not supported (this runtime reads version {ImageFormat.Version})");
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(24)) != (ulong)length)
        {
            throw new InvalidTokenizerImageException("the image is truncated or has trailing data (its length does not match its header)");
        }

        Image = image;
        ImageLength = length;
        ReadOnlySpan<int> metadata = Int32s(Section(ImageFormat.MetadataSection));
        if (metadata.Length < (int)MetadataField.Count)
        {
            throw new InvalidTokenizerImageException("the metadata section is too short");
        }

        ModelKind = (TokenizerModelKind)metadata[(int)MetadataField.ModelKind];
        PreTokenizer = (PreTokenizerKind)metadata[(int)MetadataField.PreTokenizerKind];
        VocabularySize = metadata[(int)MetadataField.VocabularySize];
        MaxTokenLength = metadata[(int)MetadataField.MaxTokenLength];
        _seed = (uint)metadata[(int)MetadataField.HashSeedLow] | ((ulong)(uint)metadata[(int)MetadataField.HashSeedHigh] << 32);
        _bucketCount = (uint)metadata[(int)MetadataField.BucketCount];
        _slotCount = (uint)metadata[(int)MetadataField.SlotCount];
        OrdinaryTokenCount = metadata[(int)MetadataField.OrdinaryTokenCount];
        if (ModelKind is not (TokenizerModelKind.RankedBytePairEncoding or TokenizerModelKind.MergeListBytePairEncoding))
        {
            throw new InvalidTokenizerImageException($"model kind {(int)ModelKind} is not supported by this runtime");
        }

        // The encoder dispatches on this value; one it does not know would find no scanner and no regex.
        if (PreTokenizer is not (PreTokenizerKind.None or PreTokenizerKind.Gpt2 or PreTokenizerKind.Cl100k or PreTokenizerKind.O200k
            or PreTokenizerKind.Qwen or PreTokenizerKind.Regex))
        {
            throw new InvalidTokenizerImageException($"pre-tokenizer kind {(int)PreTokenizer} is not supported by this runtime");
        }

        ReadOnlySpan<byte> offsets = Section(ImageFormat.TokenOffsetsSection);
        ReadOnlySpan<byte> tokenBytes = Section(ImageFormat.TokenBytesSection);
        ReadOnlySpan<byte> displacements = Section(ImageFormat.HashDisplacementsSection);
        ReadOnlySpan<byte> slots = Section(ImageFormat.HashSlotsSection);
        if (VocabularySize <= 0 || offsets.Length != (VocabularySize + 1) * 4 || displacements.Length != _bucketCount * 2
            || slots.Length != _slotCount * ImageFormat.SlotSize || _bucketCount == 0 || _slotCount == 0)
        {
            throw new InvalidTokenizerImageException("the table sections do not match the sizes in the metadata");
        }

        fixed (byte* o = offsets)
        fixed (byte* b = tokenBytes)
        fixed (byte* d = displacements)
        fixed (byte* s = slots)
        {
            _offsets = (int*)o;
            _tokenBytes = b;
            _displacements = (ushort*)d;
            _slots = (Slot*)s;
        }

        ReadOnlySpan<byte> bytePairs = Section(ImageFormat.BytePairSection);
        if (bytePairs.Length != 65536 * 4)
        {
            throw new InvalidTokenizerImageException("the byte-pair section has the wrong size");
        }

        fixed (byte* p = bytePairs)
        {
            _bytePairs = (int*)p;
        }

        if (TryFindSection(ImageFormat.TokenFilterSection, out ReadOnlySpan<byte> filter))
        {
            int words = filter.Length / 8;
            if (words < 1 || (words & (words - 1)) != 0 || filter.Length % 8 != 0)
            {
                throw new InvalidTokenizerImageException("the token filter's size is not a power of two words");
            }

            // Untrusted images are checked below by looking every token up, which goes through the filter: a
            // filter that misses a token is rejected there, so it can never turn a token into "not a token".
            fixed (byte* f = filter)
            {
                _filter = (ulong*)f;
            }

            _filterMask = words - 1;
        }

        if (ModelKind == TokenizerModelKind.MergeListBytePairEncoding)
        {
            ReadOnlySpan<byte> merges = Section(ImageFormat.MergesSection);
            int entries = merges.Length / ImageFormat.MergeEntrySize;
            if (entries < 16 || (entries & (entries - 1)) != 0 || merges.Length % ImageFormat.MergeEntrySize != 0)
            {
                throw new InvalidTokenizerImageException("the merge table's size is not a power of two entries");
            }

            ReadOnlySpan<byte> decodedOffsets = Section(ImageFormat.DecodedOffsetsSection);
            ReadOnlySpan<byte> decodedBytes = Section(ImageFormat.DecodedBytesSection);
            if (decodedOffsets.Length != (VocabularySize + 1) * 4)
            {
                throw new InvalidTokenizerImageException("the decoded-offsets section does not match the vocabulary size");
            }

            fixed (byte* m = merges)
            fixed (byte* o = decodedOffsets)
            fixed (byte* b = decodedBytes)
            {
                _merges = (MergeEntry*)m;
                _decodedOffsets = (int*)o;
                _decodedBytes = b;
            }

            _mergeMask = entries - 1;
            if (TryFindSection(ImageFormat.ScoresSection, out ReadOnlySpan<byte> scores))
            {
                if (scores.Length != VocabularySize * 8)
                {
                    throw new InvalidTokenizerImageException("the scores section does not match the vocabulary size");
                }

                Scores = Doubles(scores).ToArray();
            }

            try
            {
                Pipeline = Core.HuggingFace.PipelineCodec.Read(Section(ImageFormat.PipelineSection).ToArray());
            }
            catch (FormatException e)
            {
                throw new InvalidTokenizerImageException(e.Message);
            }

            if (!trusted)
            {
                ValidateOffsets(_decodedOffsets, decodedBytes.Length, "decoded");
                ValidateMerges();
            }
        }

        if (!trusted)
        {
            // Every stored index is checked once so that no lookup can read out of bounds. Images the build
            // embedded in the calling assembly skip this O(vocabulary) pass: it would be most of the start-up time.
            ValidateOffsets(_offsets, tokenBytes.Length, "token");
            ValidateSlots();
        }

        SpecialTokenIds = Int32s(Section(ImageFormat.SpecialTokensSection)).ToArray();
        foreach (int id in SpecialTokenIds)
        {
            if (!IsTokenId(id))
            {
                throw new InvalidTokenizerImageException($"special token id {id} has no text in the token table");
            }
        }

        Pattern = Encoding.UTF8.GetString(Section(ImageFormat.PatternSection));
        Name = Encoding.UTF8.GetString(Section(ImageFormat.NameSection));
    }

    /// <summary>Start of the image.</summary>
    public byte* Image { get; }

    /// <summary>Length of the image in bytes.</summary>
    public int ImageLength { get; }

    /// <summary>The segmentation algorithm.</summary>
    public TokenizerModelKind ModelKind { get; }

    /// <summary>The pre-tokenizer kind.</summary>
    public PreTokenizerKind PreTokenizer { get; }

    /// <summary>One more than the largest id.</summary>
    public int VocabularySize { get; }

    /// <summary>The longest ordinary token in bytes.</summary>
    public int MaxTokenLength { get; }

    /// <summary>Number of ordinary tokens.</summary>
    public int OrdinaryTokenCount { get; }

    /// <summary>Ids of the special tokens.</summary>
    public int[] SpecialTokenIds { get; }

    /// <summary>The split pattern.</summary>
    public string Pattern { get; }

    /// <summary>The tokenizer's name.</summary>
    public string Name { get; }

    /// <summary>Unigram scores by id, or <see langword="null"/>.</summary>
    public double[]? Scores { get; }

    /// <summary>The Hugging Face pipeline, or <see langword="null"/> for a tiktoken-style vocabulary.</summary>
    public Core.HuggingFace.PipelineSpec? Pipeline { get; }

    /// <summary>
    /// The result of merging the adjacent symbols <paramref name="left"/> and <paramref name="right"/>, or -1;
    /// <paramref name="rank"/> is the merge's priority (lower merges first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LookupMerge(int left, int right, out int rank)
    {
        int slot = ImageFormat.MergeSlot(left, right, _mergeMask);
        while (true)
        {
            MergeEntry* entry = _merges + slot;
            if (entry->Left == left && entry->Right == right)
            {
                rank = entry->Rank;
                return entry->Result;
            }

            if (entry->Left < 0)
            {
                rank = int.MaxValue;
                return -1;
            }

            slot = (slot + 1) & _mergeMask;
        }
    }

    /// <summary>Every merge of a Hugging Face vocabulary as (left, right, rank, result), in table order (empty for tiktoken).</summary>
    public (int Left, int Right, int Rank, int Result)[] MergeList()
    {
        var list = new System.Collections.Generic.List<(int, int, int, int)>();
        for (int i = 0; _merges != null && i <= _mergeMask; i++)
        {
            MergeEntry entry = _merges[i];
            if (entry.Left >= 0)
            {
                list.Add((entry.Left, entry.Right, entry.Rank, entry.Result));
            }
        }

        return list.ToArray();
    }

    /// <summary>
    /// The tables of the backtracking encoder, or <see langword="null"/> while they are being built (the first call
    /// starts that on the thread pool: 100-300 ms for 100-200 K tokens, which a first long piece should not wait
    /// for; the merge loop gives the same ids meanwhile) and when this vocabulary's merges do not have the
    /// properties the search relies on (see <see cref="Backtracking.MergeTree"/>).
    /// </summary>
    public Backtracking.MergeTree? MergeTree
    {
        get
        {
            System.Threading.Tasks.Task<Backtracking.MergeTree?> build = _mergeTreeBuild ?? StartMergeTreeBuild();
            return build.IsCompletedSuccessfully ? build.Result : null;
        }
    }

    /// <summary>
    /// The tables of the backtracking encoder for a piece of <paramref name="pieceBytes"/> bytes: as
    /// <see cref="MergeTree"/>, except that a piece so long that the merge loop would take longer than the rest of the
    /// build waits for the build. The build takes about 1.5 µs a token (Binary BPE's 32 K: 55 ms), the merge loop 30-250
    /// ns a byte (one letter repeated to bytes of an executable: a megabyte of `/usr/bin/git` took 405-474 ms, the first call
    /// of a process, against 33 ms for the search), so a piece waits from sixteen bytes a token on: Binary BPE's first
    /// megabyte then takes the build and the search, o200k's megabyte of one letter still takes the merge loop.
    /// </summary>
    public Backtracking.MergeTree? MergeTreeFor(int pieceBytes) =>
        MergeTree ?? (pieceBytes / 16 >= VocabularySize ? WaitForMergeTree() : null);

    /// <summary>The tables of the backtracking encoder, waiting for them to be built (tests; null as in <see cref="MergeTree"/>).</summary>
    public Backtracking.MergeTree? WaitForMergeTree() => (_mergeTreeBuild ?? StartMergeTreeBuild()).GetAwaiter().GetResult();

    private System.Threading.Tasks.Task<Backtracking.MergeTree?> StartMergeTreeBuild() =>
        BackgroundBuild.Start(ref _mergeTreeBuild, () => Backtracking.MergeTree.TryBuild(this));

    private System.Threading.Tasks.Task<Backtracking.MergeTree?>? _mergeTreeBuild;

    /// <summary>
    /// The filter of this merge-list vocabulary's merges (<see cref="MergePairFilter"/>), or null while it is being built
    /// (the first call starts that on the thread pool: a few milliseconds for Llama 3's 280 K merges) and for tiktoken
    /// vocabularies, which list no merges.
    /// </summary>
    public MergePairFilter? MergePairs
    {
        get
        {
            if (_merges == null)
            {
                return null;
            }

            System.Threading.Tasks.Task<MergePairFilter> build = _mergePairsBuild ?? StartMergePairsBuild();
            return build.IsCompletedSuccessfully ? build.Result : null;
        }
    }

    /// <summary>
    /// <see cref="MergePairs"/>, waiting for it to be built (the merge tree's build, itself on the thread pool; tests); null
    /// for tiktoken. A caller that already holds <see cref="MergeList"/> passes it, so that a build this call starts does
    /// not read the merge table a second time.
    /// </summary>
    public MergePairFilter? WaitForMergePairs((int Left, int Right, int Rank, int Result)[]? merges = null) =>
        _merges == null ? null : (_mergePairsBuild ?? StartMergePairsBuild(merges)).GetAwaiter().GetResult();

    private System.Threading.Tasks.Task<MergePairFilter> StartMergePairsBuild((int Left, int Right, int Rank, int Result)[]? merges = null) =>
        BackgroundBuild.Start(ref _mergePairsBuild, () => MergePairFilter.Build(merges ?? MergeList()));

    private System.Threading.Tasks.Task<MergePairFilter>? _mergePairsBuild;

    /// <summary>The bytes token <paramref name="id"/> decodes to (Hugging Face vocabularies); the caller checks the range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> DecodedBytes(int id)
    {
        if (_decodedOffsets == null)
        {
            return TokenBytes(id);
        }

        int start = _decodedOffsets[id];
        return new ReadOnlySpan<byte>(_decodedBytes + start, _decodedOffsets[id + 1] - start);
    }

    /// <summary>Opens an image held by <paramref name="owner"/> at <paramref name="image"/> (which must not move while the tables live).</summary>
    /// <param name="owner">Keeps the memory alive.</param>
    /// <param name="image">The image.</param>
    /// <param name="length">Its length.</param>
    /// <param name="trusted">The build embedded this image in the assembly: skip the checksum and the per-entry checks.</param>
    public static TokenizerTables Open(object owner, byte* image, int length, bool trusted)
    {
        if (!trusted && length >= ImageFormat.HeaderSize)
        {
            var span = new ReadOnlySpan<byte>(image, length);
            if (BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(ImageFormat.ChecksumOffset)) != ImageWriter.Checksum(span))
            {
                throw new InvalidTokenizerImageException("the image's checksum does not match its content (the file is corrupt or was modified)");
            }
        }

        return new TokenizerTables(owner, image, length, trusted);
    }

    /// <summary>The id of the ordinary token whose bytes are exactly <paramref name="bytes"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lookup(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxTokenLength)
        {
            return -1;
        }

        ulong hash = TokenHash.Hash(bytes, _seed);
        if (_filter != null)
        {
            ulong bits = TokenFilter.MaskOf(hash);
            if ((_filter[TokenFilter.WordOf(hash, _filterMask)] & bits) != bits)
            {
                return -1;
            }
        }

        uint displacement = _displacements[TokenHash.BucketOf(hash, _bucketCount)];
        Slot* slot = _slots + TokenHash.SlotOf(hash, displacement, _slotCount);
        int id = slot->Id;
        if (id < 0 || slot->Length != bytes.Length || slot->Prefix != Prefix(bytes))
        {
            return -1;
        }

        // Up to eight bytes the slot holds the whole token; longer tokens compare the rest in the token bytes.
        return bytes.Length <= 8 || new ReadOnlySpan<byte>(_tokenBytes + _offsets[id] + 8, bytes.Length - 8).SequenceEqual(bytes.Slice(8)) ? id : -1;
    }

    /// <summary>The first eight bytes of <paramref name="bytes"/>, zero-padded, little-endian (as slots store them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Prefix(ReadOnlySpan<byte> bytes)
    {
        int length = bytes.Length;
        if (length >= 8)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }

        if (length >= 4)
        {
            // Two overlapping 4-byte reads; the overlap holds the same bytes in both, so OR combines them exactly.
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes)
                | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(length - 4)) << ((length - 4) * 8));
        }

        ulong value = 0;
        for (int i = 0; i < length; i++)
        {
            value |= (ulong)bytes[i] << (i * 8);
        }

        return value;
    }

    /// <summary>The id of the two-byte token <paramref name="first"/><paramref name="second"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LookupPair(byte first, byte second) => _bytePairs[first | (second << 8)];

    /// <summary>The bytes of token <paramref name="id"/> (empty for an unused id); the caller checks the range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> TokenBytes(int id)
    {
        int start = _offsets[id];
        return new ReadOnlySpan<byte>(_tokenBytes + start, _offsets[id + 1] - start);
    }

    /// <summary>
    /// Writes the decoded bytes of <paramref name="ids"/> one after another (<see cref="DecodedBytes"/>: a tiktoken
    /// token's bytes, a Hugging Face token's bytes after its decoder's per-token steps), stopping before the first id
    /// that is not a token (<see cref="System.Buffers.OperationStatus.InvalidData"/>) or does not fit. While there is
    /// room, ids go eight at a time through the slot table (<see cref="TokenSlots{TSlot}"/>) once it is built (see
    /// <see cref="DecodeSlots"/>). The token a slot copy stops at (an empty token, a bad id, the last bytes of room)
    /// and calls before the table exists go one token at a time, then back to blocks.
    /// </summary>
    public System.Buffers.OperationStatus CopyDecodedBytes(ReadOnlySpan<int> ids, Span<byte> destination, out int consumed, out int written)
    {
        TokenSlots<Utf8Slot>? slots = DecodeSlots(ids.Length);
        int position = 0;
        int i = 0;
        fixed (int* first = ids)
        fixed (byte* output = destination)
        {
            while (true)
            {
                if (slots is not null)
                {
                    i += slots.Copy(first + i, ids.Length - i, output, ref position, destination.Length);
                }

                if (i == ids.Length)
                {
                    break;
                }

                // Without slots, a block of tokens; with them, the one token they could not take (an empty token, a bad
                // id, or the last bytes of room).
                for (int stop = Math.Min(i + (slots is null ? TokenSlots<Utf8Slot>.BlockIds : 1), ids.Length); i < stop; i++)
                {
                    int id = first[i];
                    if (!IsTokenId(id))
                    {
                        consumed = i;
                        written = position;
                        return System.Buffers.OperationStatus.InvalidData;
                    }

                    ReadOnlySpan<byte> token = DecodedBytes(id);
                    if (!token.TryCopyTo(destination.Slice(position)))
                    {
                        consumed = i;
                        written = position;
                        return System.Buffers.OperationStatus.DestinationTooSmall;
                    }

                    position += token.Length;
                }
            }
        }

        consumed = ids.Length;
        written = position;
        return System.Buffers.OperationStatus.Done;
    }

    /// <summary>
    /// The fewest ids a decode call must have to start building a slot table (3.2 MB of UTF-8 slots for o200k): a
    /// caller that decodes a few tokens at a time, such as a streaming decoder, keeps the image's offsets.
    /// </summary>
    public const int SlotTableMinimumIds = 256;

    /// <summary>Whether the UTF-8 slot table is built (for tests).</summary>
    public bool HasDecodeSlots => _decodeSlots is not null;

    /// <summary>Whether the UTF-16 slot table is built (for tests).</summary>
    public bool HasCharSlots => _charSlots is not null;

    /// <summary>Whether a call has started building the UTF-8 slot table (for tests).</summary>
    public bool DecodeSlotsStarted => _decodeSlotsBuild is not null;

    /// <summary>
    /// The UTF-8 slot table, or null until it is built. The first call of <see cref="SlotTableMinimumIds"/> ids or more
    /// starts building it on the thread pool (2-20 ms for o200k, most of it the first touch of the table's pages),
    /// so that no call waits for it; calls decode from the image's offsets meanwhile.
    /// </summary>
    public TokenSlots<Utf8Slot>? DecodeSlots(int idCount) =>
        _decodeSlots ?? (idCount >= SlotTableMinimumIds ? Ready(ref _decodeSlots, ref _decodeSlotsBuild) : null);

    /// <summary>The UTF-16 slot table (6.4 MB for o200k, about 30 ms to build), built as <see cref="DecodeSlots"/> is.</summary>
    public TokenSlots<Utf16Slot>? CharSlots(int idCount) =>
        _charSlots ?? (idCount >= SlotTableMinimumIds ? Ready(ref _charSlots, ref _charSlotsBuild) : null);

    /// <summary>Builds the UTF-8 slot table now if no call has (tests that need the slot path from their first call).</summary>
    public void WaitForDecodeSlots() => Wait(ref _decodeSlots, ref _decodeSlotsBuild);

    /// <summary>Builds the UTF-16 slot table now if no call has.</summary>
    public void WaitForCharSlots() => Wait(ref _charSlots, ref _charSlotsBuild);

    /// <summary>The built table, after starting its build if none has started; null while it is being built.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // the decode loops call the accessors above per run of ids
    private TokenSlots<TSlot>? Ready<TSlot>(ref TokenSlots<TSlot>? table, ref System.Threading.Tasks.Task<TokenSlots<TSlot>>? build)
        where TSlot : struct, ISlotKind
    {
        System.Threading.Tasks.Task<TokenSlots<TSlot>> task = SlotBuild(ref build);
        if (!task.IsCompletedSuccessfully)
        {
            return null;
        }

        Volatile.Write(ref table, task.Result);
        return table;
    }

    private void Wait<TSlot>(ref TokenSlots<TSlot>? table, ref System.Threading.Tasks.Task<TokenSlots<TSlot>>? build)
        where TSlot : struct, ISlotKind
    {
        Volatile.Write(ref table, SlotBuild(ref build).GetAwaiter().GetResult());
    }

    /// <summary>The build of a slot table, started on the thread pool by the first caller.</summary>
    private System.Threading.Tasks.Task<TokenSlots<TSlot>> SlotBuild<TSlot>(ref System.Threading.Tasks.Task<TokenSlots<TSlot>>? build)
        where TSlot : struct, ISlotKind =>
        build ?? BackgroundBuild.Start(ref build, () => TokenSlots<TSlot>.Build(this));

    /// <summary>The total length of the tokens <paramref name="ids"/>, or -1 with the index of the first id that is not a token.</summary>
    public int TokenBytesLength(ReadOnlySpan<int> ids, out int invalidAt)
    {
        uint vocabulary = (uint)VocabularySize;
        long total = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            int length;
            if ((uint)id >= vocabulary || (length = _offsets[id + 1] - _offsets[id]) == 0)
            {
                invalidAt = i;
                return -1;
            }

            total += length;
        }

        invalidAt = -1;
        return checked((int)total);
    }

    /// <summary>The byte length of token <paramref name="id"/>; the caller checks the range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TokenLength(int id) => _offsets[id + 1] - _offsets[id];

    /// <summary>Whether <paramref name="id"/> is a token of the vocabulary: in range, and not an unused id (no bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsTokenId(int id) => (uint)id < (uint)VocabularySize && TokenLength(id) > 0;

    /// <summary>Keeps the memory owner reachable for as long as the tables are.</summary>
    public object Owner => _owner;

    private bool TryFindSection(uint id, out ReadOnlySpan<byte> section)
    {
        try
        {
            section = Section(id);
            return true;
        }
        catch (InvalidTokenizerImageException) when (!HasSection(id))
        {
            section = default;
            return false;
        }
    }

    private bool HasSection(uint id)
    {
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(Image + 12, 4));
        for (uint i = 0; i < count && ImageFormat.HeaderSize + ((ulong)(i + 1) * ImageFormat.SectionEntrySize) <= (ulong)ImageLength; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(Image + ImageFormat.HeaderSize + (i * ImageFormat.SectionEntrySize), 4)) == id)
            {
                return true;
            }
        }

        return false;
    }

    private ReadOnlySpan<byte> Section(uint id)
    {
        var header = new ReadOnlySpan<byte>(Image, ImageFormat.HeaderSize);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(12));
        if ((ulong)ImageFormat.HeaderSize + ((ulong)count * ImageFormat.SectionEntrySize) > (ulong)ImageLength)
        {
            throw new InvalidTokenizerImageException("the section table runs past the end of the image");
        }

        var table = new ReadOnlySpan<byte>(Image + ImageFormat.HeaderSize, (int)count * ImageFormat.SectionEntrySize);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> entry = table.Slice(i * ImageFormat.SectionEntrySize, ImageFormat.SectionEntrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(entry) != id)
            {
                continue;
            }

            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(8));
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(12));
            // The header (with the section count) is outside the checksum: a section must also not overlap the
            // section table, which a corrupted count would make it do.
            if ((ulong)offset + length > (ulong)ImageLength || (offset & 3) != 0
                || offset < ImageFormat.HeaderSize + ((ulong)count * ImageFormat.SectionEntrySize))
            {
                throw new InvalidTokenizerImageException($"section {id} lies outside the image");
            }

            return new ReadOnlySpan<byte>(Image + offset, (int)length);
        }

        throw new InvalidTokenizerImageException($"the image has no section {id}");
    }

    // Sections lie in the pinned or mapped image, so a span over their address stays valid. Not MemoryMarshal.Cast:
    // its instantiations are not precompiled, and every JIT call at start-up is time before the first encode.
    private static ReadOnlySpan<int> Int32s(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* first = bytes)
        {
            return new ReadOnlySpan<int>(first, bytes.Length / sizeof(int));
        }
    }

    private static ReadOnlySpan<double> Doubles(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* first = bytes)
        {
            return new ReadOnlySpan<double>(first, bytes.Length / sizeof(double));
        }
    }

    private void ValidateOffsets(int* offsets, int bytesLength, string what)
    {
        int previous = 0;
        for (int i = 0; i <= VocabularySize; i++)
        {
            int offset = offsets[i];
            if (offset < previous || offset > bytesLength)
            {
                throw new InvalidTokenizerImageException($"{what} offset {i} is out of order or out of bounds");
            }

            previous = offset;
        }
    }

    private void ValidateSlots()
    {
        // Every slot's id first: the rehash below looks tokens up, and a lookup that lands on a slot not yet checked
        // would index the token offsets with its id (a fuzzed image did, in a slot of another core's part).
        for (uint i = 0; i < _slotCount; i++)
        {
            int id = _slots[i].Id;
            if (id >= VocabularySize || id < -1)
            {
                throw new InvalidTokenizerImageException($"hash slot {i} holds id {id}, outside the vocabulary");
            }
        }

        // Rehashing every token is most of the cost of opening an untrusted image: the slots are split across the
        // cores (the tables are read-only, so the checks are independent).
        int parts = Math.Max(1, Math.Min(Environment.ProcessorCount, (int)(_slotCount / 16384)));
        try
        {
            System.Threading.Tasks.Parallel.For(0, parts, part =>
            {
                uint from = (uint)((long)_slotCount * part / parts), to = (uint)((long)_slotCount * (part + 1) / parts);
                ValidateSlotRange(from, to);
            });
        }
        catch (AggregateException e) when (e.InnerException is InvalidTokenizerImageException rejected)
        {
            throw rejected;
        }

        if (ModelKind != TokenizerModelKind.RankedBytePairEncoding)
        {
            return;
        }

        // tiktoken-style merging starts from single bytes, so every byte must be a token.
        Span<byte> one = stackalloc byte[1];
        for (int b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            if (Lookup(one) < 0)
            {
                throw new InvalidTokenizerImageException($"byte 0x{b:X2} has no token");
            }
        }

        for (int i = 0; i < 65536; i++)
        {
            int id = _bytePairs[i];
            if (id < -1 || id >= VocabularySize
                || (id >= 0 && (TokenLength(id) != 2 || TokenBytes(id)[0] != (byte)i || TokenBytes(id)[1] != (byte)(i >> 8))))
            {
                throw new InvalidTokenizerImageException($"byte pair {i} holds id {id}, which is not that pair");
            }
        }
    }

    private void ValidateSlotRange(uint from, uint to)
    {
        for (uint i = from; i < to; i++)
        {
            int id = _slots[i].Id;

            // Every hashed token must be found where the hash says: a lookup that silently misses would
            // turn into wrong ids, not an error.
            if (id >= 0 && (TokenLength(id) == 0 || Lookup(TokenBytes(id)) != id))
            {
                throw new InvalidTokenizerImageException($"hash slot {i} holds token {id}, which the perfect hash does not lead to");
            }
        }
    }

    private void ValidateMerges()
    {
        int empty = 0;
        for (int i = 0; i <= _mergeMask; i++)
        {
            empty += _merges[i].Left < 0 ? 1 : 0;
        }

        if (empty == 0)
        {
            throw new InvalidTokenizerImageException("the merge table has no empty entry, so a lookup could not end");
        }

        for (int i = 0; i <= _mergeMask; i++)
        {
            MergeEntry entry = _merges[i];
            if (entry.Left < 0)
            {
                continue;
            }

            if (entry.Left >= VocabularySize || (uint)entry.Right >= (uint)VocabularySize || (uint)entry.Result >= (uint)VocabularySize
                || entry.Rank < 0 || LookupMerge(entry.Left, entry.Right, out _) != entry.Result)
            {
                throw new InvalidTokenizerImageException($"merge entry {i} holds ids outside the vocabulary or is not where its hash leads");
            }
        }
    }

    /// <summary>One merge-table entry, laid out as <see cref="ImageFormat.MergesSection"/> describes.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = ImageFormat.MergeEntrySize)]
    private struct MergeEntry
    {
        public int Left;
        public int Right;
        public int Rank;
        public int Result;
    }

    /// <summary>One perfect-hash slot, laid out as <see cref="ImageFormat.HashSlotsSection"/> describes.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = ImageFormat.SlotSize)]
    private struct Slot
    {
        public int Id;
        public int Length;
        public ulong Prefix;
    }
}
