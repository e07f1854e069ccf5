using System;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// sparsemax (Martins and Astudillo, 2016): the Euclidean projection of a score vector onto the probability
/// simplex. Unlike softmax it gives exactly zero weight to scores far below the best, which FOCUS relies on.
/// </summary>
public static class Sparsemax
{
    /// <summary>Writes sparsemax(<paramref name="scores"/>) to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static void Compute(ReadOnlySpan<float> scores, Span<float> destination)
    {
        if (scores.IsEmpty || destination.Length != scores.Length)
        {
            throw new ArgumentException("sparsemax needs a non-empty destination as long as the scores.", nameof(destination));
        }

        float[] sorted = scores.ToArray();
        Array.Sort(sorted);
        Array.Reverse(sorted);
        // Support size: the largest j with 1 + j * z(j) > sum of the j largest scores; tau makes the support sum to 1.
        float cumulative = 0;
        float supportSum = sorted[0];
        int support = 1;
        for (int j = 1; j <= sorted.Length; j++)
        {
            cumulative += sorted[j - 1];
            if (1 + (j * sorted[j - 1]) > cumulative)
            {
                support = j;
                supportSum = cumulative;
            }
        }

        float tau = (supportSum - 1) / support;
        for (int i = 0; i < scores.Length; i++)
        {
            destination[i] = Math.Max(scores[i] - tau, 0);
        }
    }
}
