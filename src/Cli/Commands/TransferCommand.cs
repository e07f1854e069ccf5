using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TokenizerCompiler.Transfer;

namespace TokenizerCompiler.CommandLine.Commands;

/// <summary><c>tkc transfer</c>: initialise a target tokenizer's embedding matrix from a source model's (zero-shot tokenizer transfer).</summary>
internal sealed class TransferCommand : Command
{
    private const string SourceVocab = "--source-vocab";
    private const string TargetVocab = "--target-vocab";
    private const string Embeddings = "--embeddings";
    private const string Tensor = "--tensor";
    private const string Method = "--method";
    private const string Aux = "--aux";
    private const string Out = "--out";
    private const string Device = "--device";
    private const string Seed = "--seed";

    public override string Name => "transfer";

    public override string Summary => "build embeddings for a new tokenizer from a model's (FVT, TokenAdapt hybrid, FOCUS)";

    public override CommandSpec Spec { get; } = new("transfer",
        new[] { SourceVocab, TargetVocab, Embeddings, Tensor, Method, Aux, Out, Device, Seed },
        Array.Empty<string>());

    public override string Help =>
        "Usage: tkc transfer --source-vocab PATH|NAME --target-vocab PATH|NAME --embeddings FILE [--tensor NAME]\n" +
        "                    --method fvt|hybrid|focus [--aux FILE.vec] --out FILE [--device cpu|gpu] [--seed N]\n" +
        "\n" +
        "Builds one embedding row per target token: tokens with the same bytes as a source token are copied, special\n" +
        "tokens are matched by role (bos, eos, pad, unk), other tokens are estimated from their spelling in source\n" +
        "tokens, and tokens with no source counterpart are drawn from the source matrix's per-dimension N(mean, std).\n" +
        "\n" +
        "  --source-vocab, --target-vocab  as --vocab: a .tiktoken file, a .tkc image or a known name.\n" +
        "  --embeddings FILE   the source model's matrix: .safetensors (F32, F16, BF16) or .npy (<f4, <f2).\n" +
        "  --tensor NAME       the tensor to read from a safetensors file. Default: the only 2-D float tensor with\n" +
        "                      at least as many rows as the source vocabulary.\n" +
        "  --method M          fvt: mean of the pieces (Gee et al. 2022); hybrid: TokenAdapt's local + global\n" +
        "                      heuristic (Sharthak et al. 2025); focus: sparsemax over similar shared tokens\n" +
        "                      (Dobler and de Melo 2023). Default: fvt.\n" +
        "  --aux FILE.vec      fastText word vectors as the similarity space of hybrid and focus. Default: the source\n" +
        "                      embeddings themselves (a new token is represented by its FVT estimate).\n" +
        "  --out FILE          .safetensors (same dtype and tensor name as the input) or .npy; written atomically.\n" +
        "  --device cpu|gpu    cpu: SIMD on all cores; gpu: ILGPU kernels on a CUDA/OpenCL device. Default: cpu.\n" +
        "  --seed N            seed of the fallback rows. Default: 0.\n" +
        "\n" +
        "Progress goes to stderr; the summary line gives the copied, special, estimated and fallback counts.\n";

    public override int Execute(ParsedArguments args, CommandContext context)
    {
        string embeddingsPath = args.Require(Embeddings);
        string outPath = args.Require(Out);
        TransferMethod method = (args.Get(Method) ?? "fvt") switch
        {
            "fvt" => TransferMethod.Fvt,
            "hybrid" => TransferMethod.Hybrid,
            "focus" => TransferMethod.Focus,
            string other => throw new UsageException($"--method must be fvt, hybrid or focus, not '{other}'"),
        };
        int seed = 0;
        if (args.Get(Seed) is string seedText && !int.TryParse(seedText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
        {
            throw new UsageException($"--seed must be an integer, not '{seedText}'");
        }

        string device = args.Get(Device) ?? "cpu";
        if (device is not ("cpu" or "gpu"))
        {
            throw new UsageException($"--device must be cpu or gpu, not '{device}'");
        }

        if (args.Get(Aux) is not null && method == TransferMethod.Fvt)
        {
            throw new UsageException("--aux applies to --method hybrid and focus; fvt uses no similarity space");
        }

        TextWriter log = context.Stderr;
        Tokenizer source = VocabularyResolver.Load(args.Require(SourceVocab), null, null);
        Tokenizer target = VocabularyResolver.Load(args.Require(TargetVocab), null, null);
        try
        {
            (EmbeddingMatrix matrix, string tensorName, TensorElementType elementType) = ReadEmbeddings(embeddingsPath, args.Get(Tensor), source.VocabularySize);
            log.WriteLine($"tkc transfer: {source.Name} ({source.VocabularySize}) -> {target.Name} ({target.VocabularySize}), embeddings '{tensorName}' {matrix.Rows} x {matrix.Columns}");
            using IEmbeddingComputeBackend backend = device == "gpu" ? new IlgpuComputeBackend(preferGpu: true) : new CpuComputeBackend();
            if (backend is IlgpuComputeBackend { IsCpuAccelerator: true })
            {
                log.WriteLine("tkc transfer: no GPU found; the ILGPU kernels run on ILGPU's CPU accelerator");
            }

            var progress = new LineProgress(log);
            progress.Report($"decomposing {target.VocabularySize} target tokens into source tokens");
            TokenDecomposition decomposition = TokenDecomposition.Create(source, target);
            AuxiliarySpace? auxiliary = null;
            if (args.Get(Aux) is string auxPath)
            {
                progress.Report($"loading auxiliary vectors {auxPath}");
                auxiliary = AuxiliarySpace.FromWordVectors(WordVectors.Load(auxPath), source, target, decomposition);
            }

            var options = new TransferOptions { Method = method, Backend = backend, Auxiliary = auxiliary, Seed = seed, Progress = progress };
            TransferResult result = EmbeddingTransfer.Transfer(matrix, decomposition, options);
            progress.Report($"writing {outPath}");
            if (outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                NpyFile.Write(outPath, result.Embeddings, elementType == TensorElementType.Float16 ? TensorElementType.Float16 : TensorElementType.Float32);
            }
            else
            {
                SafetensorsWriter.Write(outPath, [new(tensorName, result.Embeddings)], elementType,
                    new Dictionary<string, string> { ["tkc.transfer.method"] = method.ToString().ToLowerInvariant(), ["tkc.transfer.source"] = source.Name, ["tkc.transfer.target"] = target.Name });
            }

            log.WriteLine($"tkc transfer: {result.Copied} copied, {result.Special} special, {result.Estimated} estimated ({method.ToString().ToLowerInvariant()}), {result.Fallback} fallback -> {outPath}");
            return ExitCodes.Success;
        }
        catch (EmbeddingFormatException e)
        {
            throw new CliException(e.Message);
        }
        catch (KeyNotFoundException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static (EmbeddingMatrix, string, TensorElementType) ReadEmbeddings(string path, string? tensor, int sourceVocabularySize)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"embeddings file '{path}' not found");
        }

        EmbeddingMatrix matrix;
        string name;
        TensorElementType type;
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            matrix = NpyFile.Read(path);
            name = tensor ?? "embeddings";
            type = TensorElementType.Float32;
        }
        else
        {
            using SafetensorsFile file = SafetensorsFile.Open(path);
            if (tensor is null)
            {
                SafetensorsTensorInfo[] candidates = file.Tensors
                    .Where(t => t.ElementType is not null && t.Shape.Count == 2 && t.Shape[0] >= sourceVocabularySize).ToArray();
                if (candidates.Length != 1)
                {
                    throw new UsageException($"{path} has {candidates.Length} 2-D float tensors with at least {sourceVocabularySize} rows ({string.Join(", ", candidates.Select(c => c.Name))}); name one with --tensor");
                }

                tensor = candidates[0].Name;
            }

            matrix = file.ReadMatrix(tensor);
            file.TryGetTensor(tensor, out SafetensorsTensorInfo info);
            name = tensor;
            type = info.ElementType!.Value;
        }

        if (matrix.Rows < sourceVocabularySize)
        {
            throw new CliException($"the embeddings have {matrix.Rows} rows; the source vocabulary needs {sourceVocabularySize}");
        }

        return (matrix, name, type);
    }

    /// <summary>Writes each progress line at once (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine("tkc transfer: " + value);
    }
}
