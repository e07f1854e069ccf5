using System;
using System.Collections.Generic;
using System.Linq;
using TokenizerCompiler.Transfer;

namespace TokenizerCompiler.Transfer.Tests;

/// <summary>
/// Straightforward scalar versions of every formula, in double precision, written from the papers' definitions and
/// sharing no code with the library: the reference the optimised paths are checked against.
/// </summary>
internal static class NaiveTransfer
{
    public static double[] Row(EmbeddingMatrix m, int row)
    {
        var result = new double[m.Columns];
        for (int c = 0; c < m.Columns; c++)
        {
            result[c] = m.AsSpan()[(row * m.Columns) + c];
        }

        return result;
    }

    public static double[] Mean(EmbeddingMatrix source, IReadOnlyList<int> pieces)
    {
        var sum = new double[source.Columns];
        foreach (int p in pieces)
        {
            double[] row = Row(source, p);
            for (int c = 0; c < sum.Length; c++)
            {
                sum[c] += row[c];
            }
        }

        return sum.Select(v => v / pieces.Count).ToArray();
    }

    public static double Cosine(double[] a, double[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    public static double[] Softmax(double[] x)
    {
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    /// <summary>sparsemax by bisection on the threshold tau: sum(max(z - tau, 0)) = 1 (a different algorithm from the library's sort).</summary>
    public static double[] Sparsemax(double[] z)
    {
        double low = z.Max() - 1, high = z.Max();
        for (int i = 0; i < 200; i++)
        {
            double tau = (low + high) / 2;
            double sum = z.Sum(v => Math.Max(v - tau, 0));
            if (sum > 1)
            {
                low = tau;
            }
            else
            {
                high = tau;
            }
        }

        double t = (low + high) / 2;
        return z.Select(v => Math.Max(v - t, 0)).ToArray();
    }

    /// <summary>All (id, cosine) pairs sorted best first, ties by lower id.</summary>
    public static List<(int Id, double Similarity)> Ranked(double[] query, Func<int, double[]> vector, IEnumerable<int> candidates) =>
        candidates.Select(id => (id, Cosine(query, vector(id))))
            .OrderByDescending(p => p.Item2).ThenBy(p => p.id).ToList();

    public static double[] Hybrid(EmbeddingMatrix source, IReadOnlyList<int> pieces, IReadOnlyList<int> lengths,
        double tau, double lambda, int k, double threshold)
    {
        // Built-in space: the target token's vector is its FVT estimate, source tokens' vectors their own rows.
        double[] query = Mean(source, pieces);
        double[] sims = pieces.Select(p => Cosine(query, Row(source, p))).ToArray();
        double[] a = Softmax(sims);
        double total = lengths.Sum();
        double[] combined = a.Select((v, i) => ((v + (lengths[i] / total)) / 2) / tau).ToArray();
        double[] w = Softmax(combined);
        var local = new double[source.Columns];
        for (int i = 0; i < pieces.Count; i++)
        {
            double[] row = Row(source, pieces[i]);
            for (int c = 0; c < local.Length; c++)
            {
                local[c] += w[i] * row[c];
            }
        }

        var top = Ranked(query, id => Row(source, id), Enumerable.Range(0, source.Rows)).Take(k).Where(p => p.Similarity >= threshold).ToList();
        if (top.Count == 0)
        {
            return local;
        }

        double[] g = Softmax(top.Select(p => p.Similarity / tau).ToArray());
        var result = local.Select(v => (1 - lambda) * v).ToArray();
        for (int j = 0; j < top.Count; j++)
        {
            double[] row = Row(source, top[j].Id);
            for (int c = 0; c < result.Length; c++)
            {
                result[c] += lambda * g[j] * row[c];
            }
        }

        return result;
    }

    public static double[] Focus(EmbeddingMatrix source, IReadOnlyList<int> pieces, IReadOnlyCollection<int> shared, int k)
    {
        double[] query = Mean(source, pieces);
        var top = Ranked(query, id => Row(source, id), shared).Take(k).ToList();
        double[] w = Sparsemax(top.Select(p => p.Similarity).ToArray());
        var result = new double[source.Columns];
        for (int j = 0; j < top.Count; j++)
        {
            double[] row = Row(source, top[j].Id);
            for (int c = 0; c < result.Length; c++)
            {
                result[c] += w[j] * row[c];
            }
        }

        return result;
    }
}
