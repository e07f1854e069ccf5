using System;
using System.Collections.Generic;

namespace TokenizerCompiler.Transfer;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DataType">The safetensors dtype as written (<c>F32</c>, <c>BF16</c>, <c>I64</c>, ...).</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Begin">The first byte of the tensor's data, relative to the start of the data section.</param>
/// <param name="End">One past the last byte of the tensor's data, relative to the start of the data section.</param>
public sealed record SafetensorsTensorInfo(string Name, string DataType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>The element type when the dtype is one embeddings can be read as; otherwise <see langword="null"/>.</summary>
    public TensorElementType? ElementType => DataType switch
    {
        "F32" => TensorElementType.Float32,
        "F16" => TensorElementType.Float16,
        "BF16" => TensorElementType.BFloat16,
        _ => null,
    };

    /// <summary>The size in bytes of one element of <paramref name="dataType"/>, or 0 for a dtype safetensors does not define.</summary>
    internal static int ElementSize(string dataType) => dataType switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };

    internal static string DataTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float32 => "F32",
        TensorElementType.Float16 => "F16",
        TensorElementType.BFloat16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
