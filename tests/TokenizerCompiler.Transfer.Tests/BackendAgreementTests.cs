using System;
using System.Linq;
using TokenizerCompiler.Transfer;
using Xunit;

namespace TokenizerCompiler.Transfer.Tests;

/// <summary>The ILGPU kernels (on ILGPU's CPU accelerator here: no GPU in CI) against the CPU backend.</summary>
public sealed class BackendAgreementTests
{
    [Fact]
    public void Gather_mean_agrees()
    {
        EmbeddingMatrix source = TransferTestData.RandomMatrix(2000, 40, seed: 1);
        var random = new Random(2);
        int rows = 300;
        int[] offsets = new int[rows + 1];
        var pieces = new System.Collections.Generic.List<int>();
        for (int r = 0; r < rows; r++)
        {
            // Row 0 has no pieces (zero row); the others 1 to 6.
            int count = r == 0 ? 0 : 1 + random.Next(6);
            for (int i = 0; i < count; i++)
            {
                pieces.Add(random.Next(source.Rows));
            }

            offsets[r + 1] = pieces.Count;
        }

        var cpu = new EmbeddingMatrix(rows, 40);
        var gpu = new EmbeddingMatrix(rows, 40);
        new CpuComputeBackend().GatherMean(source, offsets, pieces.ToArray(), cpu);
        using var ilgpu = new IlgpuComputeBackend(preferGpu: false);
        Assert.True(ilgpu.IsCpuAccelerator);
        ilgpu.GatherMean(source, offsets, pieces.ToArray(), gpu);
        for (int r = 0; r < rows; r++)
        {
            TransferAssert.RowEqual(cpu.GetRow(r).ToArray().Select(v => (double)v).ToArray(), gpu.GetRow(r), 1e-4, $"row {r}");
        }

        Assert.True(cpu.GetRow(0).ToArray().All(v => v == 0));
    }

    [Fact]
    public void Nearest_by_cosine_agrees_with_each_other_and_with_brute_force()
    {
        EmbeddingMatrix queries = TransferTestData.RandomMatrix(120, 32, seed: 3);
        EmbeddingMatrix keys = TransferTestData.RandomMatrix(1500, 32, seed: 4);
        // A zero query and a key that is a scaled copy of query 5 (cosine 1: it must come first).
        queries.GetRow(7).Clear();
        for (int c = 0; c < 32; c++)
        {
            keys.GetRow(900)[c] = queries.GetRow(5)[c] * 3;
        }

        const int k = 5;
        int[] cpuIndices = new int[queries.Rows * k], gpuIndices = new int[queries.Rows * k];
        float[] cpuSims = new float[queries.Rows * k], gpuSims = new float[queries.Rows * k];
        new CpuComputeBackend().NearestByCosine(queries, keys, k, cpuIndices, cpuSims);
        using (var ilgpu = new IlgpuComputeBackend(preferGpu: false))
        {
            ilgpu.NearestByCosine(queries, keys, k, gpuIndices, gpuSims);
        }

        Assert.Equal(900, cpuIndices[5 * k]);
        Assert.Equal(Enumerable.Range(0, k), cpuIndices.Skip(7 * k).Take(k));
        for (int q = 0; q < queries.Rows; q++)
        {
            var expected = NaiveTransfer.Ranked(NaiveTransfer.Row(queries, q), id => NaiveTransfer.Row(keys, id), Enumerable.Range(0, keys.Rows)).Take(k).ToArray();
            for (int j = 0; j < k; j++)
            {
                int i = (q * k) + j;
                Assert.Equal(expected[j].Id, cpuIndices[i]);
                Assert.Equal(cpuIndices[i], gpuIndices[i]);
                Assert.InRange(cpuSims[i], expected[j].Similarity - 1e-5, expected[j].Similarity + 1e-5);
                Assert.InRange(gpuSims[i], cpuSims[i] - 1e-4, cpuSims[i] + 1e-4);
            }
        }
    }

    [Theory]
    [InlineData(70, 333, 100)] // several query groups and a partial last key block in the tiled kernel
    [InlineData(9, 60, 4200)] // wider than the shared tile: the untiled kernel
    public void Both_similarity_kernels_agree_with_the_cpu(int queryCount, int keyCount, int columns)
    {
        EmbeddingMatrix queries = TransferTestData.RandomMatrix(queryCount, columns, seed: 12);
        EmbeddingMatrix keys = TransferTestData.RandomMatrix(keyCount, columns, seed: 13);
        const int k = 4;
        int[] cpuIndices = new int[queryCount * k], gpuIndices = new int[queryCount * k];
        float[] cpuSims = new float[queryCount * k], gpuSims = new float[queryCount * k];
        new CpuComputeBackend().NearestByCosine(queries, keys, k, cpuIndices, cpuSims);
        using (var ilgpu = new IlgpuComputeBackend(preferGpu: false))
        {
            ilgpu.NearestByCosine(queries, keys, k, gpuIndices, gpuSims);
        }

        Assert.Equal(cpuIndices, gpuIndices);
        for (int i = 0; i < cpuSims.Length; i++)
        {
            Assert.InRange(gpuSims[i], cpuSims[i] - 1e-4, cpuSims[i] + 1e-4);
        }
    }

    [Fact]
    public void Fewer_keys_than_k_leave_empty_slots()
    {
        EmbeddingMatrix queries = TransferTestData.RandomMatrix(3, 4, seed: 5);
        EmbeddingMatrix keys = TransferTestData.RandomMatrix(2, 4, seed: 6);
        int[] indices = new int[12];
        float[] sims = new float[12];
        new CpuComputeBackend().NearestByCosine(queries, keys, 4, indices, sims);
        Assert.Equal(new[] { -1, -1 }, indices.Skip(2).Take(2));
        Assert.True(float.IsNegativeInfinity(sims[3]));
    }

    [Theory]
    [InlineData(TransferMethod.Fvt)]
    [InlineData(TransferMethod.Hybrid)]
    [InlineData(TransferMethod.Focus)]
    public void Whole_transfer_agrees(TransferMethod method)
    {
        int[] ids = TransferTestData.TargetSubset.Take(250).ToArray();
        EmbeddingMatrix source = TransferTestData.RandomMatrix(TransferTestData.Source.VocabularySize, 16, seed: 8);
        TokenDecomposition decomposition = TokenDecomposition.Create(TransferTestData.Source, TransferTestData.Target, ids);
        TransferResult cpu = EmbeddingTransfer.Transfer(source, decomposition, new TransferOptions { Method = method, HybridSimilarityThreshold = 0 });
        using var ilgpu = new IlgpuComputeBackend(preferGpu: false);
        TransferResult gpu = EmbeddingTransfer.Transfer(source, decomposition, new TransferOptions { Method = method, HybridSimilarityThreshold = 0, Backend = ilgpu });
        for (int r = 0; r < decomposition.Count; r++)
        {
            TransferAssert.RowEqual(cpu.Embeddings.GetRow(r).ToArray().Select(v => (double)v).ToArray(), gpu.Embeddings.GetRow(r), 1e-4, $"{method} row {r}");
        }
    }
}
