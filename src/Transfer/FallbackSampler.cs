using System;
using System.Threading.Tasks;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// Draws rows from N(mean, std) of the source matrix, per dimension, with a seeded generator: new rows then have the
/// scale of trained ones (a zero or unit-variance row would stand out to the model).
/// </summary>
internal static class FallbackSampler
{
    public static (float[] Mean, float[] Deviation) Statistics(EmbeddingMatrix source)
    {
        int columns = source.Columns;
        double[] sum = new double[columns];
        double[] squares = new double[columns];
        object gate = new();
        Parallel.For(0, source.Rows, () => (new double[columns], new double[columns]), (row, _, local) =>
        {
            ReadOnlySpan<float> values = source.Values.AsSpan(row * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                local.Item1[c] += values[c];
                local.Item2[c] += (double)values[c] * values[c];
            }

            return local;
        }, local =>
        {
            lock (gate)
            {
                for (int c = 0; c < columns; c++)
                {
                    sum[c] += local.Item1[c];
                    squares[c] += local.Item2[c];
                }
            }
        });
        float[] mean = new float[columns];
        float[] deviation = new float[columns];
        int rows = Math.Max(1, source.Rows);
        for (int c = 0; c < columns; c++)
        {
            double m = sum[c] / rows;
            mean[c] = (float)m;
            deviation[c] = (float)Math.Sqrt(Math.Max(0, (squares[c] / rows) - (m * m)));
        }

        return (mean, deviation);
    }

    /// <summary>Fills <paramref name="row"/> with mean + deviation * z, z standard normal (Box-Muller).</summary>
    public static void Draw(Random random, float[] mean, float[] deviation, Span<float> row)
    {
        for (int c = 0; c < row.Length; c++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            row[c] = (float)(mean[c] + (deviation[c] * z));
        }
    }
}
