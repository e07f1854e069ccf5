using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TokenizerCompiler.Transfer;
using Xunit;

namespace TokenizerCompiler.Transfer.Tests;

public sealed class DecompositionTests
{
    private static readonly Lazy<TokenDecomposition> s_decomposition =
        new(() => TokenDecomposition.Create(TransferTestData.Source, TransferTestData.Target, TransferTestData.TargetSubset));

    internal static TokenDecomposition Decomposition => s_decomposition.Value;

    [Fact]
    public void Copied_rows_have_the_same_bytes_and_estimated_rows_spell_the_token()
    {
        Tokenizer source = TransferTestData.Source;
        Tokenizer target = TransferTestData.Target;
        int[] ids = TransferTestData.TargetSubset;
        int copied = 0, estimated = 0;
        for (int row = 0; row < ids.Length; row++)
        {
            if (!target.IsValidId(ids[row]) || target.SpecialTokenIds.Contains(ids[row]))
            {
                continue;
            }

            byte[] bytes = target.GetTokenBytes(ids[row]).ToArray();
            byte[] spelled = Decomposition.GetPieces(row).ToArray().SelectMany(p => source.GetTokenBytes(p).ToArray()).ToArray();
            Assert.Equal(bytes, spelled);
            if (Decomposition.GetKind(row) == TokenEstimateKind.Copied)
            {
                Assert.Single(Decomposition.GetPieces(row).ToArray());
                copied++;
            }
            else
            {
                Assert.Equal(TokenEstimateKind.Estimated, Decomposition.GetKind(row));
                Assert.False(source.TryGetTokenId(bytes, out _));
                Assert.True(Decomposition.GetPieces(row).Length >= 2);
                Assert.Equal(Decomposition.GetPieces(row).ToArray().Select(p => source.GetTokenBytes(p).Length), Decomposition.GetPieceLengths(row).ToArray());
                estimated++;
            }
        }

        // r50k and cl100k share many tokens but not all: both kinds must be well represented.
        Assert.InRange(copied, 300, 1500);
        Assert.InRange(estimated, 200, 1500);
    }

    [Fact]
    public void Tokens_that_are_not_whole_utf8_are_spelled_with_byte_tokens()
    {
        Tokenizer source = TransferTestData.Source;
        Tokenizer target = TransferTestData.Target;
        // A cl100k token holding a UTF-8 lead byte without its continuation exists; find one that r50k lacks.
        var partial = Enumerable.Range(0, 100256).First(id => target.IsValidId(id)
            && !IsUtf8(target.GetTokenBytes(id).ToArray()) && target.GetTokenBytes(id).Length > 1
            && !source.TryGetTokenId(target.GetTokenBytes(id), out _));
        TokenDecomposition decomposition = TokenDecomposition.Create(source, target, [partial]);
        Assert.Equal(TokenEstimateKind.Estimated, decomposition.GetKind(0));
        byte[] spelled = decomposition.GetPieces(0).ToArray().SelectMany(p => source.GetTokenBytes(p).ToArray()).ToArray();
        Assert.Equal(target.GetTokenBytes(partial).ToArray(), spelled);
    }

    [Fact]
    public void Special_tokens_are_mapped_by_role_and_unknown_roles_fall_back()
    {
        int[] ids = TransferTestData.TargetSubset;
        int endOfText = Array.IndexOf(ids, 100257);
        int fimPrefix = Array.IndexOf(ids, 100258);
        int noToken = Array.IndexOf(ids, 100256);
        Assert.Equal(TokenEstimateKind.Special, Decomposition.GetKind(endOfText));
        Assert.True(TransferTestData.Source.TryGetSpecialTokenId("<|endoftext|>", out int sourceEos));
        Assert.Equal(sourceEos, Decomposition.GetPieces(endOfText)[0]);
        Assert.Equal(TokenEstimateKind.Fallback, Decomposition.GetKind(fimPrefix));
        Assert.False(TransferTestData.Target.IsValidId(100256));
        Assert.Equal(TokenEstimateKind.Fallback, Decomposition.GetKind(noToken));
    }

    [Theory]
    [InlineData("<s>", SpecialTokenRole.BeginOfSequence)]
    [InlineData("<|begin_of_text|>", SpecialTokenRole.BeginOfSequence)]
    [InlineData("</s>", SpecialTokenRole.EndOfSequence)]
    [InlineData("<|endoftext|>", SpecialTokenRole.EndOfSequence)]
    [InlineData("[PAD]", SpecialTokenRole.Padding)]
    [InlineData("<unk>", SpecialTokenRole.Unknown)]
    [InlineData("<|fim_prefix|>", SpecialTokenRole.None)]
    public void Roles_are_recognised_from_common_spellings(string text, SpecialTokenRole role) =>
        Assert.Equal(role, SpecialTokenRoles.Classify(text));

    [Fact]
    public void Rows_can_be_added_by_hand_and_bad_rows_are_refused()
    {
        var decomposition = new TokenDecomposition();
        decomposition.AddEstimated([5, 9], [2, 3]);
        decomposition.AddCopied(4);
        decomposition.AddFallback();
        Assert.Equal(3, decomposition.Count);
        Assert.Equal(new[] { 5, 9 }, decomposition.GetPieces(0).ToArray());
        Assert.Equal(new[] { 2, 3 }, decomposition.GetPieceLengths(0).ToArray());
        Assert.Throws<ArgumentException>(() => decomposition.AddEstimated([1], [1, 2]));
        Assert.Throws<ArgumentException>(() => decomposition.AddEstimated([], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => decomposition.AddEstimated([1], [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => decomposition.AddCopied(-1));
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
