using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// The binary form of a <see cref="PipelineSpec"/> in an image. Every read is bounds-checked: a damaged
/// section is a <see cref="FormatException"/>, never an out-of-range read.
/// </summary>
public static class PipelineCodec
{
    private const int FormatTag = 0x31504B54; // "TKP1"

    /// <summary>Serialises <paramref name="spec"/>.</summary>
    public static byte[] Write(PipelineSpec spec)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatTag);
            writer.Write(spec.Normalizers.Count);
            foreach (NormalizerStep step in spec.Normalizers)
            {
                writer.Write((int)step.Kind);
                writer.Write(step.Pattern);
                writer.Write(step.Content);
                writer.Write(step.IsRegex);
                writer.Write(step.Left);
                writer.Write(step.Right);
            }

            writer.Write(spec.PreTokenizers.Count);
            foreach (PreTokenizerStep step in spec.PreTokenizers)
            {
                writer.Write((int)step.Kind);
                writer.Write(step.Pattern);
                writer.Write(step.IsRegex);
                writer.Write((int)step.Behavior);
                writer.Write(step.Invert);
                writer.Write(step.AddPrefixSpace);
                writer.Write(step.UseRegex);
                writer.Write(step.Replacement);
                writer.Write((int)step.Prepend);
                writer.Write(step.SplitOnReplacement);
                writer.Write(step.IndividualDigits);
            }

            BpeOptions model = spec.Model;
            writer.Write(model.ByteLevel);
            writer.Write(model.UnknownId);
            writer.Write(model.FuseUnknown);
            writer.Write(model.ByteFallback);
            writer.Write(model.IgnoreMerges);
            writer.Write(model.ContinuingSubwordPrefix);
            writer.Write(model.EndOfWordSuffix);
            writer.Write((int)model.Kind);
            writer.Write(model.MaxInputCharsPerWord);
            writer.Write(spec.AddedTokens.Count);
            foreach (AddedToken token in spec.AddedTokens)
            {
                writer.Write(token.Id);
                writer.Write(token.Content);
                writer.Write(token.Special);
                writer.Write(token.Normalized);
                writer.Write(token.LStrip);
                writer.Write(token.RStrip);
                writer.Write(token.SingleWord);
            }

            writer.Write(spec.Decoder.StripLeadingSpaces);
            writer.Write(spec.Decoder.JoinWithSpace);
            WriteIds(writer, spec.PrefixIds);
            WriteIds(writer, spec.SuffixIds);
        }

        return stream.ToArray();
    }

    /// <summary>Reads a pipeline written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The data is damaged.</exception>
    public static PipelineSpec Read(byte[] data)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
            if (reader.ReadInt32() != FormatTag)
            {
                throw new FormatException("the pipeline section has an unknown format");
            }

            var normalizers = new List<NormalizerStep>();
            for (int i = Count(reader); i > 0; i--)
            {
                normalizers.Add(new NormalizerStep(Enum<NormalizerKind>(reader.ReadInt32()), reader.ReadString(), reader.ReadString(),
                    reader.ReadBoolean(), reader.ReadBoolean(), reader.ReadBoolean()));
            }

            var preTokenizers = new List<PreTokenizerStep>();
            for (int i = Count(reader); i > 0; i--)
            {
                preTokenizers.Add(new PreTokenizerStep(Enum<PreTokenizerStepKind>(reader.ReadInt32()), reader.ReadString(), reader.ReadBoolean(),
                    Enum<SplitBehavior>(reader.ReadInt32()), reader.ReadBoolean(), reader.ReadBoolean(), reader.ReadBoolean(),
                    reader.ReadString(), Enum<PrependScheme>(reader.ReadInt32()), reader.ReadBoolean(), reader.ReadBoolean()));
            }

            var model = new BpeOptions(reader.ReadBoolean(), reader.ReadInt32(), reader.ReadBoolean(), reader.ReadBoolean(),
                reader.ReadBoolean(), reader.ReadString(), reader.ReadString(), Enum<WordModelKind>(reader.ReadInt32()), reader.ReadInt32());
            var added = new List<AddedToken>();
            for (int i = Count(reader); i > 0; i--)
            {
                added.Add(new AddedToken(reader.ReadInt32(), reader.ReadString(), reader.ReadBoolean(), reader.ReadBoolean(),
                    reader.ReadBoolean(), reader.ReadBoolean(), reader.ReadBoolean()));
            }

            var decoder = new DecoderSpec(reader.ReadInt32(), reader.ReadBoolean());
            int[] prefix = ReadIds(reader), suffix = ReadIds(reader);
            if (reader.BaseStream.Position != data.Length)
            {
                throw new FormatException("the pipeline section has trailing data");
            }

            return new PipelineSpec(normalizers, preTokenizers, model, added, decoder, prefix, suffix);
        }
        catch (EndOfStreamException)
        {
            throw new FormatException("the pipeline section is truncated");
        }
    }

    private static void WriteIds(BinaryWriter writer, IReadOnlyList<int> ids)
    {
        writer.Write(ids.Count);
        foreach (int id in ids)
        {
            writer.Write(id);
        }
    }

    private static int[] ReadIds(BinaryReader reader)
    {
        var ids = new int[Count(reader)];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = reader.ReadInt32();
        }

        return ids;
    }

    private static int Count(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > reader.BaseStream.Length)
        {
            throw new FormatException("the pipeline section has an impossible element count");
        }

        return count;
    }

    private static T Enum<T>(int value)
        where T : struct, Enum
    {
        if (!System.Enum.IsDefined(typeof(T), value))
        {
            throw new FormatException($"the pipeline section has an unknown {typeof(T).Name} {value}");
        }

        return (T)(object)value;
    }
}
