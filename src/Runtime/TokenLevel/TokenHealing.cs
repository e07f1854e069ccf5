using System;

namespace TokenizerCompiler.TokenLevel;

/// <summary>
/// Token healing for constrained generation: a prompt that ends in the middle of what the model would write as
/// one token (<c>"https:"</c> before <c>"//"</c>) biases the model. Backing off the last <c>k</c> tokens and
/// constraining the next generated token to ones consistent with the removed bytes lets the model choose the
/// natural tokenization of the boundary.
/// </summary>
public static class TokenHealing
{
    /// <summary>Backs off the last <paramref name="tokensToRemove"/> tokens of <paramref name="promptIds"/>.</summary>
    /// <param name="tokenizer">The tokenizer the ids belong to.</param>
    /// <param name="promptIds">The prompt's ids.</param>
    /// <param name="tokensToRemove">How many trailing tokens to back off (at most the prompt's length).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tokensToRemove"/> is negative or longer than the prompt, or an id is not a token.</exception>
    public static HealedPrompt BackOff(Tokenizer tokenizer, ReadOnlySpan<int> promptIds, int tokensToRemove)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegative(tokensToRemove);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tokensToRemove, promptIds.Length);
        ReadOnlySpan<int> removed = promptIds[^tokensToRemove..];
        byte[] bytes = new byte[tokenizer.GetDecodedByteCount(removed)];
        tokenizer.DecodeToUtf8(removed, bytes, out _, out _);
        return new HealedPrompt(tokenizer, promptIds.Length - tokensToRemove, bytes);
    }
}

/// <summary>A prompt with its last tokens backed off, and the tokens that may come next.</summary>
public sealed class HealedPrompt
{
    private readonly Tokenizer _tokenizer;
    private readonly byte[] _removed;

    internal HealedPrompt(Tokenizer tokenizer, int keptTokenCount, byte[] removed)
    {
        _tokenizer = tokenizer;
        KeptTokenCount = keptTokenCount;
        _removed = removed;
    }

    /// <summary>How many ids of the prompt to keep: the model continues after <c>promptIds[..KeptTokenCount]</c>.</summary>
    public int KeptTokenCount { get; }

    /// <summary>The bytes of the backed-off tokens, which the generated text must reproduce.</summary>
    public ReadOnlySpan<byte> RemovedBytes => _removed;

    /// <summary>
    /// The tokens whose bytes start with <see cref="RemovedBytes"/>: choosing one of them as the next token
    /// restores the removed text and goes on in the same token. (When nothing was removed, every ordinary token.)
    /// </summary>
    public TokenIdRange ConsistentTokens => _tokenizer.TokenByteIndex.TokensStartingWith(_removed);

    /// <summary>
    /// The tokens that are a proper prefix of <see cref="RemovedBytes"/> (shortest first): also consistent with
    /// it, but generation must then continue with the rest of the removed bytes. Needed when the removed text
    /// is longer than any single token that starts with it.
    /// </summary>
    public PrefixTokenEnumerator PartialTokens => _tokenizer.TokenByteIndex.TokensThatArePrefixesOf(_removed.AsSpan(0, Math.Max(0, _removed.Length - 1)));
}
