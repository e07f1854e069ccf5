namespace TokenizerCompiler.Core.Tables;

/// <summary>
/// The layout of a tokenizer image: the one binary form of compiled tables, embedded by the generator,
/// written by <c>tkc compile</c> and memory-mapped or read by the runtime. Little-endian throughout.
/// <code>
/// header   (32 bytes): magic "TKCIMAGE", u32 version, u32 section count, u64 checksum of the rest, u64 total length
/// sections (16 bytes each): u32 id, u32 reserved, u32 offset, u32 length   (offsets from the image start, 8-aligned)
/// payload
/// </code>
/// </summary>
public static class ImageFormat
{
    /// <summary>The first eight bytes of every image.</summary>
    public const ulong Magic = 0x4547414D49434B54UL; // "TKCIMAGE" read little-endian

    /// <summary>The format version this code writes and reads.</summary>
    public const uint Version = 1;

    /// <summary>Size of the fixed header.</summary>
    public const int HeaderSize = 32;

    /// <summary>Size of one section table entry.</summary>
    public const int SectionEntrySize = 16;

    /// <summary>Byte offset of the checksum field in the header.</summary>
    public const int ChecksumOffset = 16;

    /// <summary>Section: fixed metadata, <see cref="MetadataField"/> int32 fields.</summary>
    public const uint MetadataSection = 1;

    /// <summary>Size of one perfect-hash slot.</summary>
    public const int SlotSize = 16;

    /// <summary>Section: int32 offsets into the token bytes, one per id plus one.</summary>
    public const uint TokenOffsetsSection = 2;

    /// <summary>Section: all token bytes, concatenated in id order.</summary>
    public const uint TokenBytesSection = 3;

    /// <summary>Section: uint16 perfect-hash displacements, one per bucket.</summary>
    public const uint HashDisplacementsSection = 4;

    /// <summary>
    /// Section: perfect-hash slots of 16 bytes: int32 token id (or -1), int32 token length, and the token's first
    /// eight bytes (zero-padded, little-endian). A lookup of a token of up to eight bytes (most of them) is decided
    /// by the slot alone, without the dependent loads of the offsets and the token bytes.
    /// </summary>
    public const uint HashSlotsSection = 5;

    /// <summary>Section: int32 special token ids (their text is their entry in the token bytes).</summary>
    public const uint SpecialTokensSection = 6;

    /// <summary>Section: the split pattern as UTF-8.</summary>
    public const uint PatternSection = 7;

    /// <summary>Section: the tokenizer's name as UTF-8.</summary>
    public const uint NameSection = 8;

    /// <summary>
    /// Section: int32 id of every two-byte token, indexed by <c>first | second &lt;&lt; 8</c> (-1 where none). Every
    /// merge starts by ranking all adjacent byte pairs; this turns those hash lookups into one load each.
    /// </summary>
    public const uint BytePairSection = 9;

    /// <summary>
    /// Section (Hugging Face BPE): the merge table, open addressing over a power-of-two number of 16-byte entries
    /// {int32 left id (-1 = empty), int32 right id, int32 rank, int32 result id}, probed linearly from
    /// <see cref="MergeSlot"/>.
    /// </summary>
    public const uint MergesSection = 10;

    /// <summary>Section (Hugging Face BPE): the pipeline (normalizers, pre-tokenizers, model options, added tokens, decoder).</summary>
    public const uint PipelineSection = 11;

    /// <summary>Section (Hugging Face BPE): int32 offsets into the decoded bytes, one per id plus one.</summary>
    public const uint DecodedOffsetsSection = 12;

    /// <summary>Section (Hugging Face BPE): each id's decoded bytes, concatenated in id order.</summary>
    public const uint DecodedBytesSection = 13;

    /// <summary>Section (Unigram models): float64 score of each id.</summary>
    public const uint ScoresSection = 14;

    /// <summary>
    /// Optional section: a blocked Bloom filter over the token hashes (<see cref="TokenFilter"/>), a power of two
    /// of little-endian uint64 words. Images without it look every string up in the perfect hash.
    /// </summary>
    public const uint TokenFilterSection = 15;

    /// <summary>Size of one merge-table entry.</summary>
    public const int MergeEntrySize = 16;

    /// <summary>The first slot probed for the merge of <paramref name="left"/> and <paramref name="right"/> in a table of <c>mask + 1</c> entries.</summary>
    public static int MergeSlot(int left, int right, int mask)
    {
        ulong key = ((ulong)(uint)left << 32) | (uint)right;
        return (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;
    }
}

/// <summary>The int32 fields of the metadata section, by index.</summary>
public enum MetadataField
{
    /// <summary><see cref="Model.TokenizerModelKind"/>.</summary>
    ModelKind = 0,

    /// <summary><see cref="Model.PreTokenizerKind"/>.</summary>
    PreTokenizerKind = 1,

    /// <summary>One more than the largest id.</summary>
    VocabularySize = 2,

    /// <summary>The longest ordinary token in bytes.</summary>
    MaxTokenLength = 3,

    /// <summary>Low 32 bits of the perfect hash seed.</summary>
    HashSeedLow = 4,

    /// <summary>High 32 bits of the perfect hash seed.</summary>
    HashSeedHigh = 5,

    /// <summary>Number of perfect hash buckets.</summary>
    BucketCount = 6,

    /// <summary>Number of perfect hash slots.</summary>
    SlotCount = 7,

    /// <summary>Number of ordinary (hashed) tokens.</summary>
    OrdinaryTokenCount = 8,

    /// <summary>Number of metadata fields.</summary>
    Count = 9,
}
