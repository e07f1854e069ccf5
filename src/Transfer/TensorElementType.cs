namespace TokenizerCompiler.Transfer;

/// <summary>The floating-point element types embedding files are read from and written in.</summary>
public enum TensorElementType
{
    /// <summary>IEEE 754 binary32 (safetensors <c>F32</c>, NumPy <c>&lt;f4</c>).</summary>
    Float32 = 0,

    /// <summary>IEEE 754 binary16 (safetensors <c>F16</c>, NumPy <c>&lt;f2</c>).</summary>
    Float16 = 1,

    /// <summary>bfloat16: the upper 16 bits of a binary32 (safetensors <c>BF16</c>; NumPy has no such type).</summary>
    BFloat16 = 2,
}
