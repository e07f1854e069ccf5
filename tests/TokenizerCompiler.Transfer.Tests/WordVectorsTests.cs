using System;
using System.IO;
using System.Linq;
using System.Text;
using TokenizerCompiler.Transfer;
using Xunit;

namespace TokenizerCompiler.Transfer.Tests;

public sealed class WordVectorsTests : IDisposable
{
    private readonly string _folder = TransferTestData.NewTemporaryFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Vec_files_load_and_tokens_find_their_words()
    {
        string path = Path.Combine(_folder, "aux.vec");
        File.WriteAllText(path, "3 2\nthe 1 0\nHello 0 1\nworld 0.5 0.5\n", new UTF8Encoding(false));
        WordVectors words = WordVectors.Load(path);
        Assert.Equal(2, words.Dimensions);
        Assert.True(words.TryGetTokenVector(" the"u8, out ReadOnlySpan<float> the));
        Assert.Equal(new[] { 1f, 0f }, the.ToArray());
        Assert.False(words.TryGetTokenVector(" planet"u8, out _));
        Assert.True(words.TryGetTokenVector(" World"u8, out ReadOnlySpan<float> world));
        Assert.Equal(new[] { 0.5f, 0.5f }, world.ToArray());
        Assert.False(words.TryGetTokenVector([0xE2, 0x82], out _));
    }

    [Theory]
    [InlineData("2 2\nthe 1 0\n", "ends after 1")]
    [InlineData("1 2\nthe 1\n", "found 2 fields")]
    [InlineData("1 2\nthe 1 x\n", "'x' is not a number")]
    [InlineData("words\n", "expected")]
    public void Malformed_vec_files_are_reported(string text, string message)
    {
        string path = Path.Combine(_folder, "bad.vec");
        File.WriteAllText(path, text);
        Assert.Contains(message, Assert.Throws<EmbeddingFormatException>(() => WordVectors.Load(path)).Message);
    }

    [Fact]
    public void A_word_vector_space_drives_the_hybrid_method()
    {
        // Vectors for every r50k token that is a plain lower-case word, derived from a seeded matrix.
        Tokenizer source = TransferTestData.Source;
        Tokenizer target = TransferTestData.Target;
        EmbeddingMatrix random = TransferTestData.RandomMatrix(source.VocabularySize, 6, seed: 21);
        var builder = new StringBuilder();
        var lines = Enumerable.Range(0, source.VocabularySize)
            .Select(id => (id, text: Encoding.UTF8.GetString(source.GetTokenBytes(id)).Trim()))
            .Where(p => p.text.Length > 1 && p.text.All(char.IsAsciiLetterLower))
            .DistinctBy(p => p.text)
            .ToList();
        builder.Append(lines.Count).Append(" 6\n");
        foreach ((int id, string text) in lines)
        {
            builder.Append(text).Append(' ').AppendJoin(' ', random.GetRow(id).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))).Append('\n');
        }

        string path = Path.Combine(_folder, "words.vec");
        File.WriteAllText(path, builder.ToString());
        int[] ids = TransferTestData.TargetSubset.Take(400).ToArray();
        TokenDecomposition decomposition = TokenDecomposition.Create(source, target, ids);
        AuxiliarySpace space = AuxiliarySpace.FromWordVectors(WordVectors.Load(path), source, target, decomposition, ids);
        Assert.True(space.SourceKnown.Count(k => k) > 1000);
        Assert.True(space.TargetKnown.Count(k => k) > 50);
        EmbeddingMatrix embeddings = TransferTestData.RandomMatrix(source.VocabularySize, 12, seed: 22);
        TransferResult withWords = EmbeddingTransfer.Transfer(embeddings, decomposition, new TransferOptions { Method = TransferMethod.Hybrid, Auxiliary = space });
        TransferResult builtIn = EmbeddingTransfer.Transfer(embeddings, decomposition, new TransferOptions { Method = TransferMethod.Hybrid });
        // Same copies; different estimates, all finite.
        Assert.Equal(builtIn.Copied, withWords.Copied);
        Assert.False(withWords.Embeddings.AsSpan().SequenceEqual(builtIn.Embeddings.AsSpan()));
        Assert.True(withWords.Embeddings.AsSpan().ToArray().All(float.IsFinite));
        Assert.Throws<ArgumentException>(() => EmbeddingTransfer.Transfer(embeddings, TokenDecomposition.Create(source, target, ids.Take(5).ToArray()),
            new TransferOptions { Method = TransferMethod.Hybrid, Auxiliary = space }));
    }
}
