using System;

namespace TokenizerCompiler.Transfer;

/// <summary>A best-first list of at most k (similarity, index) pairs, kept by insertion (k is small).</summary>
internal static class TopK
{
    public static void Clear(Span<int> indices, Span<float> similarities)
    {
        indices.Fill(-1);
        similarities.Fill(float.NegativeInfinity);
    }

    /// <summary>Inserts a candidate; the order is similarity descending, then index ascending, so results are deterministic.</summary>
    public static void Offer(Span<int> indices, Span<float> similarities, int index, float similarity)
    {
        int k = indices.Length;
        if (!Better(similarity, index, similarities[k - 1], indices[k - 1]))
        {
            return;
        }

        int position = k - 1;
        while (position > 0 && Better(similarity, index, similarities[position - 1], indices[position - 1]))
        {
            similarities[position] = similarities[position - 1];
            indices[position] = indices[position - 1];
            position--;
        }

        similarities[position] = similarity;
        indices[position] = index;
    }

    private static bool Better(float similarity, int index, float otherSimilarity, int otherIndex) =>
        similarity > otherSimilarity || (similarity == otherSimilarity && (otherIndex < 0 || index < otherIndex));
}
