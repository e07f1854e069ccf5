using System;
using TokenizerCompiler.HuggingFace;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>Candidate cuts tried before settling for keeping nothing; each try re-encodes the kept text.</summary>
    private const int MaxBudgetCutTries = 16;

    /// <summary>
    /// Token budgets for Hugging Face pipelines: cut only between the units the pipeline reports (pre-tokens, added
    /// tokens, or whole stretches when a normalizer may have changed the text), keeping the most tokens whose text
    /// re-encodes to exactly those ids. Each candidate is checked by encoding the kept text, because a pattern with
    /// look-ahead or a normalizer can split a shortened text differently.
    /// </summary>
    private int PipelineBudget(ReadOnlySpan<byte> text, int max, SpecialTokenPolicy policy, bool fromEnd, out int tokenCount)
    {
        // A normalizer can make more ids than the text has bytes, so the records grow as needed.
        using var starts = new IdBuffer();
        using var counts = new IdBuffer();
        using var ids = new IdBuffer();
        var sink = new UnitRecordingSink(starts, counts, ids);
        Run(text, policy, ref sink, out _);
        starts.Add(text.Length);
        int total = ids.Count;
        if (total <= max)
        {
            tokenCount = total;
            return fromEnd ? 0 : text.Length;
        }

        return fromEnd
            ? SuffixCut(text, max, policy, starts.Span, counts.Span, ids.Span, out tokenCount)
            : PrefixCut(text, max, policy, starts.Span, counts.Span, ids.Span, out tokenCount);
    }

    private int PrefixCut(ReadOnlySpan<byte> text, int max, SpecialTokenPolicy policy, ReadOnlySpan<int> starts, ReadOnlySpan<int> counts,
        ReadOnlySpan<int> ids, out int tokenCount)
    {
        int units = counts.Length;
        int keptUnits = 0, kept = 0;
        while (keptUnits < units && kept + counts[keptUnits] <= max)
        {
            kept += counts[keptUnits++];
        }

        for (int tries = 0; keptUnits > 0 && tries < MaxBudgetCutTries; tries++)
        {
            int cut = starts[keptUnits];
            if (EncodesTo(text[..cut], policy, ids[..kept]))
            {
                tokenCount = kept;
                return cut;
            }

            kept -= counts[--keptUnits];
        }

        tokenCount = 0;
        return 0;
    }

    private int SuffixCut(ReadOnlySpan<byte> text, int max, SpecialTokenPolicy policy, ReadOnlySpan<int> starts, ReadOnlySpan<int> counts,
        ReadOnlySpan<int> ids, out int tokenCount)
    {
        int units = counts.Length;
        int dropped = 0, unit = 0;
        while (unit < units && ids.Length - dropped > max)
        {
            dropped += counts[unit++];
        }

        for (int tries = 0; unit < units && tries < MaxBudgetCutTries; tries++)
        {
            int cut = starts[unit];
            if (EncodesTo(text[cut..], policy, ids[dropped..]))
            {
                tokenCount = ids.Length - dropped;
                return cut;
            }

            dropped += counts[unit++];
        }

        tokenCount = 0;
        return text.Length;
    }

    /// <summary>Whether <paramref name="text"/> encodes to exactly <paramref name="expected"/>.</summary>
    private bool EncodesTo(ReadOnlySpan<byte> text, SpecialTokenPolicy policy, ReadOnlySpan<int> expected)
    {
        var sink = new ComparingSink(expected);
        return Run(text, policy, ref sink, out _) && sink.Matched == expected.Length;
    }

    /// <summary>Records each unit's start (UTF-8 offset) and token count, and all ids.</summary>
    private readonly struct UnitRecordingSink(IdBuffer starts, IdBuffer counts, IdBuffer ids) : ITokenSink
    {
        public bool Accept(scoped ReadOnlySpan<int> unitIds, int pieceStart, int pieceEnd)
        {
            starts.Add(pieceStart);
            counts.Add(unitIds.Length);
            unitIds.CopyTo(ids.Reserve(unitIds.Length));
            ids.Commit(unitIds.Length);
            return true;
        }
    }

    /// <summary>Compares ids with an expected sequence as they come; stops at the first difference.</summary>
    private ref struct ComparingSink(ReadOnlySpan<int> expected) : ITokenSink
    {
        private readonly ReadOnlySpan<int> _expected = expected;

        public int Matched;

        public bool Accept(scoped ReadOnlySpan<int> ids, int pieceStart, int pieceEnd)
        {
            if (ids.Length > _expected.Length - Matched || !ids.SequenceEqual(_expected.Slice(Matched, ids.Length)))
            {
                Matched = -1;
                return false;
            }

            Matched += ids.Length;
            return true;
        }
    }
}
