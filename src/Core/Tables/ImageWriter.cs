using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.Tables;

/// <summary>Builds the lookup tables of a <see cref="TokenizerDefinition"/> and serialises them as an image.</summary>
public static class ImageWriter
{
    /// <summary>Builds and serialises the tables of <paramref name="definition"/>.</summary>
    /// <param name="definition">A validated definition.</param>
    /// <param name="name">The tokenizer's display name, stored in the image.</param>
    public static byte[] Write(TokenizerDefinition definition, string name)
    {
        int vocabularySize = definition.VocabularySize;
        var entries = new byte[]?[vocabularySize];
        int maxTokenLength = 0;
        int ordinaryCount = 0;
        for (int id = 0; id < definition.Tokens.Count; id++)
        {
            if (definition.Tokens[id] is byte[] token)
            {
                entries[id] = token;
                maxTokenLength = Math.Max(maxTokenLength, token.Length);
                ordinaryCount++;
            }
        }

        // The hash holds ordinary tokens only: special tokens are matched by their text, never produced by merges.
        PerfectHash hash = PerfectHash.Build(entries);
        ulong[] filter = TokenFilter.Build(HashesOf(entries, hash.Seed));
        var specialIds = new int[definition.SpecialTokens.Count];
        for (int i = 0; i < specialIds.Length; i++)
        {
            SpecialToken special = definition.SpecialTokens[i];

            // A Hugging Face added token may also be a vocabulary entry: its model bytes stay (the hash holds them).
            entries[special.Id] ??= Encoding.UTF8.GetBytes(special.Text);
            specialIds[i] = special.Id;
        }

        var offsets = new int[vocabularySize + 1];
        var tokenBytes = new List<byte>();
        for (int id = 0; id < vocabularySize; id++)
        {
            offsets[id] = tokenBytes.Count;
            if (entries[id] is byte[] bytes)
            {
                tokenBytes.AddRange(bytes);
            }
        }

        offsets[vocabularySize] = tokenBytes.Count;

        var metadata = new int[(int)MetadataField.Count];
        metadata[(int)MetadataField.ModelKind] = (int)definition.Model;
        metadata[(int)MetadataField.PreTokenizerKind] = (int)definition.PreTokenizer.Kind;
        metadata[(int)MetadataField.VocabularySize] = vocabularySize;
        metadata[(int)MetadataField.MaxTokenLength] = maxTokenLength;
        metadata[(int)MetadataField.HashSeedLow] = unchecked((int)hash.Seed);
        metadata[(int)MetadataField.HashSeedHigh] = unchecked((int)(hash.Seed >> 32));
        metadata[(int)MetadataField.BucketCount] = hash.Displacements.Length;
        metadata[(int)MetadataField.SlotCount] = hash.Slots.Length;
        metadata[(int)MetadataField.OrdinaryTokenCount] = ordinaryCount;

        var sections = new List<KeyValuePair<uint, byte[]>>
        {
            new(ImageFormat.MetadataSection, Int32Bytes(metadata)),
            new(ImageFormat.TokenOffsetsSection, Int32Bytes(offsets)),
            new(ImageFormat.TokenBytesSection, tokenBytes.ToArray()),
            new(ImageFormat.HashDisplacementsSection, UInt16Bytes(hash.Displacements)),
            new(ImageFormat.HashSlotsSection, SlotBytes(hash, entries)),
            new(ImageFormat.SpecialTokensSection, Int32Bytes(specialIds)),
            new(ImageFormat.PatternSection, Encoding.UTF8.GetBytes(definition.PreTokenizer.Pattern)),
            new(ImageFormat.NameSection, Encoding.UTF8.GetBytes(name)),
            new(ImageFormat.BytePairSection, Int32Bytes(BytePairIds(definition))),
            new(ImageFormat.TokenFilterSection, UInt64Bytes(filter)),
        };
        if (definition.Pipeline is not null)
        {
            sections.Add(new(ImageFormat.MergesSection, Int32Bytes(MergeTable(definition.Merges))));
            sections.Add(new(ImageFormat.PipelineSection, HuggingFace.PipelineCodec.Write(definition.Pipeline)));
            var decoded = new byte[]?[vocabularySize];
            for (int id = 0; id < vocabularySize; id++)
            {
                decoded[id] = definition.DecodedTokens is { } list && id < list.Count ? list[id] : entries[id];
            }

            int[] decodedOffsets = ConcatenateInto(decoded, out byte[] decodedBytes);
            sections.Add(new(ImageFormat.DecodedOffsetsSection, Int32Bytes(decodedOffsets)));
            sections.Add(new(ImageFormat.DecodedBytesSection, decodedBytes));
            if (definition.Scores is { } scores)
            {
                var scoreBytes = new byte[vocabularySize * 8];
                for (int id = 0; id < scores.Count && id < vocabularySize; id++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(scoreBytes.AsSpan(id * 8), BitConverter.DoubleToInt64Bits(scores[id]));
                }

                sections.Add(new(ImageFormat.ScoresSection, scoreBytes));
            }
        }

        return Assemble(sections);
    }

    private static int[] MergeTable(IReadOnlyList<Model.MergeRule> merges)
    {
        int capacity = 16;
        while (capacity < merges.Count * 2)
        {
            capacity <<= 1;
        }

        int mask = capacity - 1;
        var table = new int[capacity * 4];
        for (int i = 0; i < capacity; i++)
        {
            table[i * 4] = -1;
        }

        for (int rank = 0; rank < merges.Count; rank++)
        {
            Model.MergeRule merge = merges[rank];
            int slot = ImageFormat.MergeSlot(merge.Left, merge.Right, mask);
            while (table[slot * 4] >= 0)
            {
                slot = (slot + 1) & mask;
            }

            table[slot * 4] = merge.Left;
            table[(slot * 4) + 1] = merge.Right;
            table[(slot * 4) + 2] = rank;
            table[(slot * 4) + 3] = merge.Result;
        }

        return table;
    }

    private static int[] ConcatenateInto(byte[]?[] items, out byte[] bytes)
    {
        var offsets = new int[items.Length + 1];
        var all = new List<byte>();
        for (int i = 0; i < items.Length; i++)
        {
            offsets[i] = all.Count;
            if (items[i] is byte[] item)
            {
                all.AddRange(item);
            }
        }

        offsets[items.Length] = all.Count;
        bytes = all.ToArray();
        return offsets;
    }

    private static byte[] Assemble(List<KeyValuePair<uint, byte[]>> sections)
    {
        int position = Align(ImageFormat.HeaderSize + (sections.Count * ImageFormat.SectionEntrySize));
        var offsets = new int[sections.Count];
        for (int i = 0; i < sections.Count; i++)
        {
            offsets[i] = position;
            position = Align(position + sections[i].Value.Length);
        }

        var image = new byte[position];
        Span<byte> span = image;
        BinaryPrimitives.WriteUInt64LittleEndian(span, ImageFormat.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(8), ImageFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(12), (uint)sections.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(24), (ulong)image.Length);
        for (int i = 0; i < sections.Count; i++)
        {
            Span<byte> entry = span.Slice(ImageFormat.HeaderSize + (i * ImageFormat.SectionEntrySize));
            BinaryPrimitives.WriteUInt32LittleEndian(entry, sections[i].Key);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(8), (uint)offsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(12), (uint)sections[i].Value.Length);
            sections[i].Value.CopyTo(span.Slice(offsets[i]));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(ImageFormat.ChecksumOffset), Checksum(image));
        return image;
    }

    /// <summary>The checksum stored in the header: the token hash of everything after the header.</summary>
    public static ulong Checksum(ReadOnlySpan<byte> image) => TokenHash.Hash(image.Slice(ImageFormat.HeaderSize), 0x5EED);

    private static int[] BytePairIds(TokenizerDefinition definition)
    {
        var ids = new int[65536];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = -1;
        }

        for (int id = 0; id < definition.Tokens.Count; id++)
        {
            if (definition.Tokens[id] is { Length: 2 } pair)
            {
                ids[pair[0] | (pair[1] << 8)] = id;
            }
        }

        return ids;
    }

    private static byte[] SlotBytes(PerfectHash hash, byte[]?[] entries)
    {
        var bytes = new byte[hash.Slots.Length * ImageFormat.SlotSize];
        for (int i = 0; i < hash.Slots.Length; i++)
        {
            Span<byte> slot = bytes.AsSpan(i * ImageFormat.SlotSize, ImageFormat.SlotSize);
            int id = hash.Slots[i];
            BinaryPrimitives.WriteInt32LittleEndian(slot, id);
            if (id >= 0)
            {
                byte[] token = entries[id]!;
                BinaryPrimitives.WriteInt32LittleEndian(slot.Slice(4), token.Length);
                token.AsSpan(0, Math.Min(8, token.Length)).CopyTo(slot.Slice(8));
            }
        }

        return bytes;
    }

    private static int Align(int value) => (value + 7) & ~7;

    private static byte[] Int32Bytes(int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    /// <summary>The hashes of the ordinary tokens (the perfect hash's keys), with its seed.</summary>
    private static List<ulong> HashesOf(byte[]?[] entries, ulong seed)
    {
        var hashes = new List<ulong>(entries.Length);
        foreach (byte[]? token in entries)
        {
            if (token is not null)
            {
                hashes.Add(TokenHash.Hash(token, seed));
            }
        }

        return hashes;
    }

    private static byte[] UInt64Bytes(ulong[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    private static byte[] UInt16Bytes(ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return bytes;
    }
}
