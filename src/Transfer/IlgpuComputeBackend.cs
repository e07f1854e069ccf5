using System;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace TokenizerCompiler.Transfer;

/// <summary>
/// The accelerator backend, on ILGPU: a gather-mean kernel with one thread per (row, column), and a tiled similarity
/// kernel: a group of up to 64 queries (one thread each) stages a block of keys in shared memory, every thread scores its
/// query against the block and folds the scores into its top-k in the output buffer, and the group moves to the
/// next block, so each key is read from device memory once per group. Keys wider than the shared tile
/// (over 4,096 dimensions) use a kernel that reads them from device memory directly. It runs on a
/// CUDA or OpenCL device when one is present, or on ILGPU's CPU accelerator (which the tests use: it executes the
/// same kernels, so they are checked without a GPU).
/// </summary>
public sealed class IlgpuComputeBackend : IEmbeddingComputeBackend
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<Index2D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int> _gatherMean;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int> _nearest;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int, int> _tiledNearest;

    /// <summary>Floats of keys staged in shared memory per block (16 KiB, within every device's limit).</summary>
    private const int SharedTileFloats = 4096;

    /// <summary>Queries (threads) per group of the tiled kernel, where the accelerator allows that many.</summary>
    private const int QueriesPerGroup = 64;

    /// <summary>Creates the backend on the best accelerator (a GPU when <paramref name="preferGpu"/> and one exists), else ILGPU's CPU accelerator.</summary>
    public IlgpuComputeBackend(bool preferGpu = true)
    {
        _context = Context.Create(builder => builder.Default().Math(MathMode.Fast32BitOnly));
        try
        {
            Device device = preferGpu ? _context.GetPreferredDevice(preferCPU: false) : _context.GetPreferredDevice(preferCPU: true);
            _accelerator = device.CreateAccelerator(_context);
            _gatherMean = _accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int>(GatherMeanKernel);
            _nearest = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int>(NearestKernel);
            _tiledNearest = _accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int, int>(TiledNearestKernel);
        }
        catch
        {
            _accelerator?.Dispose();
            _context.Dispose();
            throw;
        }
    }

    /// <summary>Whether the kernels run on ILGPU's CPU accelerator (no GPU was found or asked for).</summary>
    public bool IsCpuAccelerator => _accelerator.AcceleratorType == AcceleratorType.CPU;

    /// <inheritdoc />
    public string Name => "ilgpu-" + _accelerator.AcceleratorType.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public void GatherMean(EmbeddingMatrix source, ReadOnlySpan<int> offsets, ReadOnlySpan<int> pieces, EmbeddingMatrix destination)
    {
        BackendArguments.CheckGather(source, offsets, pieces, destination);
        if (destination.Rows == 0 || destination.Columns == 0)
        {
            return;
        }

        using MemoryBuffer1D<float, Stride1D.Dense> from = _accelerator.Allocate1D(source.Values);
        using MemoryBuffer1D<int, Stride1D.Dense> offsetBuffer = _accelerator.Allocate1D(offsets.ToArray());
        using MemoryBuffer1D<int, Stride1D.Dense> pieceBuffer = _accelerator.Allocate1D(pieces.IsEmpty ? new int[1] : pieces.ToArray());
        using MemoryBuffer1D<float, Stride1D.Dense> to = _accelerator.Allocate1D<float>(destination.Values.Length);
        // X (the fastest-varying index) is the column, so neighbouring threads read neighbouring floats.
        _gatherMean(new Index2D(destination.Columns, destination.Rows), from.View, offsetBuffer.View, pieceBuffer.View, to.View, destination.Columns);
        _accelerator.Synchronize();
        to.View.CopyToCPU(destination.Values);
    }

    /// <inheritdoc />
    public void NearestByCosine(EmbeddingMatrix queries, EmbeddingMatrix keys, int k, Span<int> indices, Span<float> similarities)
    {
        BackendArguments.CheckNearest(queries, keys, k, indices, similarities);
        if (queries.Rows == 0)
        {
            return;
        }

        EmbeddingMatrix q = BackendArguments.Normalized(queries);
        EmbeddingMatrix n = BackendArguments.Normalized(keys);
        using MemoryBuffer1D<float, Stride1D.Dense> queryBuffer = _accelerator.Allocate1D(q.Values);
        using MemoryBuffer1D<float, Stride1D.Dense> keyBuffer = _accelerator.Allocate1D(n.Values.Length == 0 ? new float[1] : n.Values);
        using MemoryBuffer1D<int, Stride1D.Dense> indexBuffer = _accelerator.Allocate1D<int>((long)queries.Rows * k);
        using MemoryBuffer1D<float, Stride1D.Dense> similarityBuffer = _accelerator.Allocate1D<float>((long)queries.Rows * k);
        if (queries.Columns <= SharedTileFloats)
        {
            // ILGPU's CPU accelerator allows fewer threads per group (16) than a GPU.
            int group = Math.Min(QueriesPerGroup, _accelerator.MaxNumThreadsPerGroup);
            var config = new KernelConfig((queries.Rows + group - 1) / group, group);
            _tiledNearest(config, queryBuffer.View, keyBuffer.View, indexBuffer.View, similarityBuffer.View, queries.Rows, keys.Rows, queries.Columns, k);
        }
        else
        {
            _nearest(queries.Rows, queryBuffer.View, keyBuffer.View, indexBuffer.View, similarityBuffer.View, keys.Rows, queries.Columns, k);
        }

        _accelerator.Synchronize();
        int[] resultIndices = indexBuffer.GetAsArray1D();
        float[] resultSimilarities = similarityBuffer.GetAsArray1D();
        resultIndices.CopyTo(indices);
        resultSimilarities.CopyTo(similarities);
    }

    /// <summary>Releases the accelerator and the ILGPU context.</summary>
    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }

    private static void GatherMeanKernel(Index2D index, ArrayView<float> source, ArrayView<int> offsets, ArrayView<int> pieces, ArrayView<float> destination, int columns)
    {
        int column = index.X;
        int row = index.Y;
        int start = offsets[row];
        int end = offsets[row + 1];
        float sum = 0;
        for (int i = start; i < end; i++)
        {
            sum += source[((long)pieces[i] * columns) + column];
        }

        destination[((long)row * columns) + column] = end > start ? sum / (end - start) : 0f;
    }

    private static void NearestKernel(Index1D query, ArrayView<float> queries, ArrayView<float> keys, ArrayView<int> indices, ArrayView<float> similarities,
        int keyCount, int columns, int k)
    {
        long best = (long)query.X * k;
        for (int j = 0; j < k; j++)
        {
            indices[best + j] = -1;
            similarities[best + j] = float.NegativeInfinity;
        }

        long queryStart = (long)query.X * columns;
        for (int key = 0; key < keyCount; key++)
        {
            long keyStart = (long)key * columns;
            float dot = 0;
            for (int c = 0; c < columns; c++)
            {
                dot += queries[queryStart + c] * keys[keyStart + c];
            }

            Offer(indices, similarities, best, k, key, dot);
        }
    }

    private static void TiledNearestKernel(ArrayView<float> queries, ArrayView<float> keys, ArrayView<int> indices, ArrayView<float> similarities,
        int queryCount, int keyCount, int columns, int k)
    {
        ArrayView<float> tile = SharedMemory.Allocate1D<float>(SharedTileFloats);
        int query = (Grid.IdxX * Group.DimX) + Group.IdxX;
        bool active = query < queryCount;
        long best = (long)query * k;
        long queryStart = (long)query * columns;
        if (active)
        {
            for (int j = 0; j < k; j++)
            {
                indices[best + j] = -1;
                similarities[best + j] = float.NegativeInfinity;
            }
        }

        int tileKeys = SharedTileFloats / columns;
        for (int first = 0; first < keyCount; first += tileKeys)
        {
            int count = Math.Min(tileKeys, keyCount - first);
            int floats = count * columns;
            // Every thread of the group reaches both barriers (inactive ones too): the first keeps the previous
            // block alive until all have scored it, the second publishes the new block.
            Group.Barrier();
            for (int i = Group.IdxX; i < floats; i += Group.DimX)
            {
                tile[i] = keys[((long)first * columns) + i];
            }

            Group.Barrier();
            if (active)
            {
                for (int j = 0; j < count; j++)
                {
                    float dot = 0;
                    int keyStart = j * columns;
                    for (int c = 0; c < columns; c++)
                    {
                        dot += queries[queryStart + c] * tile[keyStart + c];
                    }

                    Offer(indices, similarities, best, k, first + j, dot);
                }
            }
        }
    }

    /// <summary>Inserts a score into a query's top-k; same order as TopK.Offer (similarity descending, then index ascending, keys arriving in index order).</summary>
    private static void Offer(ArrayView<int> indices, ArrayView<float> similarities, long best, int k, int key, float dot)
    {
        long last = best + k - 1;
        if (!(dot > similarities[last] || (dot == similarities[last] && indices[last] < 0)))
        {
            return;
        }

        long position = last;
        while (position > best && (dot > similarities[position - 1] || (dot == similarities[position - 1] && indices[position - 1] < 0)))
        {
            similarities[position] = similarities[position - 1];
            indices[position] = indices[position - 1];
            position--;
        }

        similarities[position] = dot;
        indices[position] = key;
    }
}
