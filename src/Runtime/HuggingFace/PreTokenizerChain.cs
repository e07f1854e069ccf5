using System;
using System.Collections.Generic;
using TokenizerCompiler.Core.HuggingFace;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// Runs a tokenizer's pre-tokenizer steps: each step turns every piece of the previous step into pieces of its
/// own, as Hugging Face's Sequence does. The byte-to-character mapping of ByteLevel is not done here: the
/// model's symbols are bytes, which is the same thing without the detour.
/// </summary>
internal sealed class PreTokenizerChain
{
    private static readonly SplitStep WhitespaceSplitter = new(@"\s+", isRegex: true, SplitBehavior.Removed, invert: false);
    private static readonly SplitStep WordSplitter = new(@"\w+|[^\w\s]+", isRegex: true, SplitBehavior.Removed, invert: true);
    private static readonly SplitStep RunOfDigits = new(@"\p{N}+", isRegex: true, SplitBehavior.Isolated, invert: false);
    private static readonly SplitStep EachDigit = new(@"\p{N}", isRegex: true, SplitBehavior.Isolated, invert: false);

    private readonly PreTokenizerStep[] _steps;
    private readonly SplitStep?[] _splitters;

    public PreTokenizerChain(IReadOnlyList<PreTokenizerStep> steps)
    {
        _steps = new PreTokenizerStep[steps.Count];
        _splitters = new SplitStep?[steps.Count];
        for (int i = 0; i < steps.Count; i++)
        {
            PreTokenizerStep step = steps[i];
            _steps[i] = step;
            _splitters[i] = step.Kind switch
            {
                PreTokenizerStepKind.Split => new SplitStep(step.Pattern, step.IsRegex, step.Behavior, step.Invert),
                PreTokenizerStepKind.ByteLevel when step.UseRegex => new SplitStep(step.Pattern, isRegex: true, SplitBehavior.Isolated, invert: false),
                PreTokenizerStepKind.Metaspace when step.SplitOnReplacement => new SplitStep(step.Replacement, isRegex: false, SplitBehavior.MergedWithNext, invert: false),
                PreTokenizerStepKind.Punctuation or PreTokenizerStepKind.Bert => new PunctuationSplitter(step.Behavior).AsSplit(),
                _ => null,
            };
        }
    }

    /// <summary>Pre-tokenizes <paramref name="text"/> into <paramref name="result"/>, using <paramref name="scratch"/> between steps.</summary>
    /// <returns>The list that holds the pieces (<paramref name="result"/> or <paramref name="scratch"/>).</returns>
    public PieceList Run(ReadOnlySpan<char> text, bool atTextStart, PieceList result, PieceList scratch)
    {
        PieceList current = result, next = scratch;
        current.Clear();
        current.Add(text, 0);
        for (int s = 0; s < _steps.Length; s++)
        {
            next.Clear();
            for (int p = 0; p < current.Count; p++)
            {
                Apply(s, current[p], current.Origin(p), atTextStart && p == 0, next);
            }

            (current, next) = (next, current);
        }

        return current;
    }

    private void Apply(int index, ReadOnlySpan<char> piece, int origin, bool first, PieceList output)
    {
        PreTokenizerStep step = _steps[index];
        switch (step.Kind)
        {
            case PreTokenizerStepKind.ByteLevel:
                ApplyByteLevel(index, step, piece, origin, output);
                return;
            case PreTokenizerStepKind.Metaspace:
                ApplyMetaspace(index, step, piece, origin, first, output);
                return;
            case PreTokenizerStepKind.Whitespace:
                WordSplitter.Apply(piece, origin, output);
                return;
            case PreTokenizerStepKind.WhitespaceSplit:
                WhitespaceSplitter.Apply(piece, origin, output);
                return;
            case PreTokenizerStepKind.Digits:
                (step.IndividualDigits ? EachDigit : RunOfDigits).Apply(piece, origin, output);
                return;
            case PreTokenizerStepKind.Bert:
                using (var words = new PieceList())
                {
                    WhitespaceSplitter.Apply(piece, origin, words);
                    for (int w = 0; w < words.Count; w++)
                    {
                        _splitters[index]!.Apply(words[w], words.Origin(w), output);
                    }
                }

                return;
            default:
                _splitters[index]!.Apply(piece, origin, output);
                return;
        }
    }

    private void ApplyByteLevel(int index, PreTokenizerStep step, ReadOnlySpan<char> piece, int origin, PieceList output)
    {
        bool prefix = step.AddPrefixSpace && (piece.Length == 0 || piece[0] != ' ');
        if (_splitters[index] is not SplitStep splitter)
        {
            output.Add(prefix ? " " : ReadOnlySpan<char>.Empty, piece, origin);
            return;
        }

        if (!prefix)
        {
            splitter.Apply(piece, origin, output);
            return;
        }

        char[] buffer = System.Buffers.ArrayPool<char>.Shared.Rent(piece.Length + 1);
        buffer[0] = ' ';
        piece.CopyTo(buffer.AsSpan(1));
        // The inserted space has no place in the input: these pieces have no origin.
        splitter.Apply(buffer.AsSpan(0, piece.Length + 1), -1, output);
        System.Buffers.ArrayPool<char>.Shared.Return(buffer);
    }

    private void ApplyMetaspace(int index, PreTokenizerStep step, ReadOnlySpan<char> piece, int origin, bool first, PieceList output)
    {
        string replacement = step.Replacement;
        bool prepend = step.Prepend == PrependScheme.Always || (step.Prepend == PrependScheme.First && first);
        prepend &= !piece.StartsWith(replacement.AsSpan(), StringComparison.Ordinal) && !piece.StartsWith(" ", StringComparison.Ordinal);
        char[] buffer = System.Buffers.ArrayPool<char>.Shared.Rent((piece.Length * replacement.Length) + replacement.Length + 1);
        int length = 0;
        if (prepend)
        {
            replacement.AsSpan().CopyTo(buffer);
            length = replacement.Length;
        }

        foreach (char c in piece)
        {
            if (c == ' ')
            {
                replacement.AsSpan().CopyTo(buffer.AsSpan(length));
                length += replacement.Length;
            }
            else
            {
                buffer[length++] = c;
            }
        }

        if (_splitters[index] is SplitStep splitter)
        {
            splitter.Apply(buffer.AsSpan(0, length), prepend ? -1 : origin, output);
        }
        else
        {
            output.Add(buffer.AsSpan(0, length), prepend ? -1 : origin);
        }

        System.Buffers.ArrayPool<char>.Shared.Return(buffer);
    }

    /// <summary>Hugging Face's punctuation class as a regular expression split.</summary>
    private sealed class PunctuationSplitter(SplitBehavior behavior)
    {
        public SplitStep AsSplit() => new(@"[\p{P}!-/:-@\[-`{-~]", isRegex: true, behavior, invert: false);
    }
}
