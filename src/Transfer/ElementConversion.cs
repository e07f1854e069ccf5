using System;
using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace TokenizerCompiler.Transfer;

/// <summary>Widening and narrowing between little-endian file elements and <see cref="float"/>.</summary>
internal static class ElementConversion
{
    public static int SizeOf(TensorElementType type) => type == TensorElementType.Float32 ? 4 : 2;

    public static void Widen(ReadOnlySpan<byte> source, TensorElementType type, Span<float> destination)
    {
        switch (type)
        {
            case TensorElementType.Float32:
                if (BitConverter.IsLittleEndian)
                {
                    MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                }
                else
                {
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
                    }
                }

                break;
            case TensorElementType.Float16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case TensorElementType.BFloat16:
                for (int i = 0; i < destination.Length; i++)
                {
                    // bfloat16 is the top half of a binary32, so widening is exact.
                    uint bits = (uint)BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]) << 16;
                    destination[i] = BitConverter.UInt32BitsToSingle(bits);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    public static void Narrow(ReadOnlySpan<float> source, TensorElementType type, Span<byte> destination)
    {
        switch (type)
        {
            case TensorElementType.Float32:
                MemoryMarshal.AsBytes(source).CopyTo(destination);
                break;
            case TensorElementType.Float16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination));
                break;
            case TensorElementType.BFloat16:
                for (int i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(i * 2)..], ToBFloat16Bits(source[i]));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    /// <summary>Rounds to nearest, ties to even (what PyTorch does), keeping NaN a NaN.</summary>
    public static ushort ToBFloat16Bits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        uint rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + rounding) >> 16);
    }
}
