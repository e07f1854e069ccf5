using System;
using System.Collections.Generic;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.HuggingFace;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.SentencePiece;

/// <summary>
/// Reads a SentencePiece <c>.model</c> (a protobuf ModelProto) of BPE type, as Llama 2 ships it, into the same
/// pipeline Hugging Face's converter writes into the model's tokenizer.json: spaces become ▁ (with a ▁ put first
/// when the model adds a dummy prefix), BPE over characters with byte fallback and fused unknowns, merges derived
/// from the piece scores, control and unknown pieces as special added tokens, user-defined pieces as added tokens.
/// </summary>
public static class SentencePieceModelReader
{
    private const int PieceNormal = 1;
    private const int PieceUnknown = 2;
    private const int PieceControl = 3;
    private const int PieceUserDefined = 4;
    private const int PieceUnused = 5;
    private const int ModelBpe = 2;

    /// <summary>Parses <paramref name="data"/>; <see langword="null"/> after reporting errors.</summary>
    public static TokenizerDefinition? Read(string filePath, byte[] data, List<CompilerDiagnostic> diagnostics)
    {
        var pieces = new List<(string Piece, float Score, int Type)>();
        int modelType = 1;
        bool byteFallback = false;
        bool addDummyPrefix = true, removeExtraWhitespace = true, escapeWhitespace = true;
        string normalizerName = "nmt_nfkc";
        int charsmapLength = 0;
        try
        {
            var reader = new ProtobufReader(data);
            while (reader.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case 1 when wire == 2:
                        pieces.Add(ReadPiece(new ProtobufReader(reader.ReadBytes())));
                        break;
                    case 2 when wire == 2:
                        ReadTrainerSpec(new ProtobufReader(reader.ReadBytes()), ref modelType, ref byteFallback);
                        break;
                    case 3 when wire == 2:
                        ReadNormalizerSpec(new ProtobufReader(reader.ReadBytes()), ref normalizerName, ref charsmapLength,
                            ref addDummyPrefix, ref removeExtraWhitespace, ref escapeWhitespace);
                        break;
                    default:
                        reader.Skip(wire);
                        break;
                }
            }
        }
        catch (FormatException e)
        {
            diagnostics.Add(Error(DiagnosticIds.MalformedVocabulary, filePath, $"the file is not a valid SentencePiece model: {e.Message}"));
            return null;
        }

        if (pieces.Count == 0)
        {
            diagnostics.Add(Error(DiagnosticIds.EmptyVocabulary, filePath, "the SentencePiece model holds no pieces"));
            return null;
        }

        if (modelType != ModelBpe)
        {
            diagnostics.Add(Error(DiagnosticIds.UnsupportedComponent, filePath,
                $"trainer_spec.model_type {modelType} ({(modelType == 1 ? "Unigram" : "not BPE")}) is not supported by the compiler; only BPE models are"));
            return null;
        }

        if (removeExtraWhitespace || (charsmapLength > 0 && normalizerName != "identity"))
        {
            diagnostics.Add(Error(DiagnosticIds.UnsupportedComponent, filePath,
                $"normalizer_spec '{normalizerName}'" + (removeExtraWhitespace ? " with remove_extra_whitespaces" : " with a precompiled character map") +
                " is not supported by the compiler"));
            return null;
        }

        return Build(pieces, byteFallback, addDummyPrefix, escapeWhitespace, filePath, diagnostics);
    }

    private static TokenizerDefinition? Build(List<(string Piece, float Score, int Type)> pieces, bool byteFallback, bool addDummyPrefix,
        bool escapeWhitespace, string filePath, List<CompilerDiagnostic> diagnostics)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var added = new List<AddedToken>();
        int unknownId = -1;
        for (int id = 0; id < pieces.Count; id++)
        {
            (string piece, _, int type) = pieces[id];
            if (vocabulary.ContainsKey(piece))
            {
                diagnostics.Add(Error(DiagnosticIds.DuplicateToken, filePath, $"piece '{piece}' appears twice (ids {vocabulary[piece]} and {id})"));
                return null;
            }

            vocabulary[piece] = id;
            if (type == PieceUnknown)
            {
                unknownId = id;
            }

            if (type is PieceUnknown or PieceControl)
            {
                added.Add(new AddedToken(id, piece, Special: true, Normalized: false, LStrip: false, RStrip: false, SingleWord: false));
            }
            else if (type == PieceUserDefined)
            {
                added.Add(new AddedToken(id, piece, Special: false, Normalized: false, LStrip: false, RStrip: false, SingleWord: false));
            }
        }

        var merges = new List<BpeVocabularyBuilder.MergeText>();
        foreach (var (left, right) in MergesByScore(pieces, vocabulary))
        {
            merges.Add(new BpeVocabularyBuilder.MergeText(left, right, null, "pieces"));
        }

        var normalizers = new List<NormalizerStep>();
        if (addDummyPrefix)
        {
            normalizers.Add(new NormalizerStep(NormalizerKind.Prepend, Content: "\u2581"));
        }

        if (escapeWhitespace)
        {
            normalizers.Add(new NormalizerStep(NormalizerKind.Replace, " ", "\u2581"));
        }

        var options = new BpeOptions(ByteLevel: false, unknownId, FuseUnknown: true, byteFallback, IgnoreMerges: false, string.Empty, string.Empty);
        string decoderJson = "{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Replace\",\"pattern\":{\"String\":\"\u2581\"},\"content\":\" \"}," +
            "{\"type\":\"ByteFallback\"},{\"type\":\"Fuse\"}" + (addDummyPrefix ? ",{\"type\":\"Strip\",\"content\":\" \",\"start\":1,\"stop\":0}" : string.Empty) + "]}";
        var context = new JsonReadContext(filePath, decoderJson, diagnostics);
        DecoderReader decoder = DecoderReader.Read(Json.JsonParser.Parse(decoderJson), "decoder", context);
        // As Hugging Face's converter does for Llama: a beginning-of-sentence piece before each sequence.
        int bos = pieces.FindIndex(p => p.Type == PieceControl && p.Piece == "<s>");
        var pipeline = new PipelineSpec(normalizers, new List<PreTokenizerStep>(), options, added, decoder.Spec,
            bos >= 0 ? new[] { bos } : new int[0], new int[0]);
        return BpeVocabularyBuilder.Build(vocabulary, merges, pipeline, decoder, context);
    }

    /// <summary>
    /// The merges Hugging Face's converter derives from a BPE model: every split of a piece into two pieces of the
    /// vocabulary, ordered by the merged piece's score (highest first, ties in id order), then by the halves' ids.
    /// </summary>
    private static IEnumerable<(string Left, string Right)> MergesByScore(List<(string Piece, float Score, int Type)> pieces, Dictionary<string, int> vocabulary)
    {
        var merges = new List<(float Score, int Id, int LeftId, int RightId, string Left, string Right)>();
        for (int id = 0; id < pieces.Count; id++)
        {
            string piece = pieces[id].Piece;
            for (int split = 1; split < piece.Length; split++)
            {
                if (char.IsLowSurrogate(piece[split]))
                {
                    continue;
                }

                string left = piece.Substring(0, split), right = piece.Substring(split);
                if (vocabulary.TryGetValue(left, out int leftId) && vocabulary.TryGetValue(right, out int rightId))
                {
                    merges.Add((pieces[id].Score, id, leftId, rightId, left, right));
                }
            }
        }

        merges.Sort((a, b) =>
        {
            int byScore = b.Score.CompareTo(a.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            int byId = a.Id.CompareTo(b.Id);
            return byId != 0 ? byId : a.LeftId != b.LeftId ? a.LeftId.CompareTo(b.LeftId) : a.RightId.CompareTo(b.RightId);
        });
        foreach (var merge in merges)
        {
            yield return (merge.Left, merge.Right);
        }
    }

    private static (string, float, int) ReadPiece(ProtobufReader reader)
    {
        string piece = string.Empty;
        float score = 0;
        int type = PieceNormal;
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == 2: piece = reader.ReadString(); break;
                case 2 when wire == 5: score = reader.ReadFloat(); break;
                case 3 when wire == 0: type = (int)reader.ReadVarint(); break;
                default: reader.Skip(wire); break;
            }
        }

        if (type is < PieceNormal or > 6 || (piece.Length == 0 && type != PieceUnused))
        {
            throw new FormatException($"a piece has type {type} or no text");
        }

        return (piece, score, type);
    }

    private static void ReadTrainerSpec(ProtobufReader reader, ref int modelType, ref bool byteFallback)
    {
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 3 when wire == 0: modelType = (int)reader.ReadVarint(); break;
                case 35 when wire == 0: byteFallback = reader.ReadVarint() != 0; break;
                default: reader.Skip(wire); break;
            }
        }
    }

    private static void ReadNormalizerSpec(ProtobufReader reader, ref string name, ref int charsmapLength, ref bool addDummyPrefix,
        ref bool removeExtraWhitespace, ref bool escapeWhitespace)
    {
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == 2: name = reader.ReadString(); break;
                case 2 when wire == 2: charsmapLength = reader.ReadBytes().Length; break;
                case 3 when wire == 0: addDummyPrefix = reader.ReadVarint() != 0; break;
                case 4 when wire == 0: removeExtraWhitespace = reader.ReadVarint() != 0; break;
                case 5 when wire == 0: escapeWhitespace = reader.ReadVarint() != 0; break;
                default: reader.Skip(wire); break;
            }
        }
    }

    private static CompilerDiagnostic Error(string id, string filePath, string message) =>
        new(id, DiagnosticSeverityLevel.Error, message, filePath, SourceSpan.FileStart);
}
