using System;
using System.IO;
using System.Linq;
using TokenizerCompiler.Transfer;
using Xunit;

namespace TokenizerCompiler.Transfer.Tests;

/// <summary>
/// The real pairs: KL3M character-level 4k → KL3M-001-32k (both Hugging Face tokenizer.json files), and
/// Llama 2 (SentencePiece .model, ▁ spelling) → KL3M-003 (vocab.json, Ġ spelling): decompositions are the source tokenizer's
/// encodings of each target token's bytes, copies are byte-exact across conventions, and FVT is the mean of the pieces.
/// </summary>
public sealed class HuggingFacePairTests
{
    private static string Shared(string name, string file) =>
        Path.GetFullPath(Path.Combine(TransferTestData.RepositoryRoot, "..", "shared", "vocabularies", name, file));

    [Fact]
    public void Kl3mCharacterLevelToKl3m001()
    {
        Tokenizer source = Tokenizer.FromVocabularyFile(Shared("kl3m-004-char-4k-cased", "tokenizer.json"));
        Tokenizer target = Tokenizer.FromVocabularyFile(Shared("kl3m-001-32k", "tokenizer.json"));
        int[] targetIds = Enumerable.Range(0, target.VocabularySize).Where(id => id % 7 == 0 && target.IsValidId(id)).ToArray();
        TokenDecomposition decomposition = TokenDecomposition.Create(source, target, targetIds);
        EmbeddingMatrix embeddings = TransferTestData.RandomMatrix(source.VocabularySize, 16, seed: 5);

        TransferResult result = EmbeddingTransfer.Transfer(embeddings, decomposition, new TransferOptions { Method = TransferMethod.Fvt });

        Assert.True(result.Copied > 100 && result.Estimated > 1000, $"copied {result.Copied}, estimated {result.Estimated}");

        // KL3M-001's 1,636 added tokens are mostly text (space runs, common words): only its control tokens are mapped
        // by role, the rest are spelled like any token, so almost nothing falls back to random rows.
        Assert.True(result.Special <= 7 && result.Fallback < targetIds.Length / 50, $"special {result.Special}, fallback {result.Fallback}");
        int checkedRows = 0;
        for (int row = 0; row < decomposition.Count; row++)
        {
            int[] pieces = decomposition.GetPieces(row).ToArray();
            byte[] targetBytes = target.GetTokenBytes(targetIds[row]).ToArray();
            if (decomposition.GetKind(row) == TokenEstimateKind.Estimated && System.Text.Unicode.Utf8.IsValid(targetBytes))
            {
                // FVT's decomposition is the source tokenizer's own encoding of the target token's text.
                Assert.Equal(source.EncodeToIds(targetBytes, SpecialTokenPolicy.TreatAsText), pieces);
                TransferAssert.RowEqual(NaiveTransfer.Mean(embeddings, pieces), result.Embeddings.GetRow(row), 1e-5, $"row {row}");
                checkedRows++;
            }
            else if (decomposition.GetKind(row) == TokenEstimateKind.Copied)
            {
                Assert.Equal(target.GetTokenBytes(targetIds[row]).ToArray(), source.GetTokenBytes(pieces[0]).ToArray());
            }
        }

        Assert.True(checkedRows > 1000);
    }

    [Fact]
    public void SentencePieceSpellingIsMatchedByBytes()
    {
        Tokenizer source = Tokenizer.FromVocabularyFile(Shared("llama2-sentencepiece", "tokenizer.model"));
        Tokenizer target = Tokenizer.FromVocabularyFile(Shared("kl3m-003-64k", "vocab.json"), new Core.Compilation.CompileOptions(Normalizer: "NFKC"));
        int theTarget = Enumerable.Range(0, target.VocabularySize).First(id => target.IsValidId(id) && target.GetTokenBytes(id).SequenceEqual(" the"u8));
        TokenDecomposition decomposition = TokenDecomposition.Create(source, target, new[] { theTarget });

        // Llama 2 writes " the" as ▁the and KL3M-003 as Ġthe: both are the bytes " the", so the row is a copy.
        Assert.Equal(TokenEstimateKind.Copied, decomposition.GetKind(0));
        Assert.Equal(" the"u8.ToArray(), source.GetTokenBytes(decomposition.GetPieces(0)[0]).ToArray());
    }
}
