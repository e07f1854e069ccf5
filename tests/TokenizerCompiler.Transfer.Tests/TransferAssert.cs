using System;
using TokenizerCompiler.Transfer;
using Xunit;

namespace TokenizerCompiler.Transfer.Tests;

internal static class TransferAssert
{
    /// <summary>Every value within <paramref name="tolerance"/>, relative to the row's largest magnitude (or absolute below 1).</summary>
    public static void RowEqual(double[] expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1;
        foreach (double v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        for (int c = 0; c < expected.Length; c++)
        {
            double error = Math.Abs(expected[c] - actual[c]) / scale;
            Assert.True(error <= tolerance, $"{what}, column {c}: expected {expected[c]}, got {actual[c]} (relative error {error:E2})");
        }
    }
}
