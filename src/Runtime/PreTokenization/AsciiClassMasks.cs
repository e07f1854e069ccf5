using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TokenizerCompiler.PreTokenization;

/// <summary>
/// The character classes of 64 bytes of text as bit masks, bit j for the byte at j: what a split pattern's
/// alternatives look at in ASCII, so that the piece boundaries of a whole window can be worked out with word
/// operations instead of a branch per byte. Only the bytes before the first non-ASCII byte are classified
/// (<see cref="Valid"/>); every mask is zero from there on.
/// </summary>
internal readonly struct AsciiClassMasks
{
    /// <summary>Bytes the masks cover.</summary>
    public const int Length = 64;

    /// <summary>How many bytes from the start are ASCII, 0-64: the masks describe only those.</summary>
    public readonly int Valid;

    /// <summary>Bits 0 to <see cref="Valid"/> - 1.</summary>
    public readonly ulong ValidBits;

    /// <summary>A-Z and a-z.</summary>
    public readonly ulong Letter;

    /// <summary>A-Z.</summary>
    public readonly ulong Upper;

    /// <summary>0-9.</summary>
    public readonly ulong Digit;

    /// <summary>The ASCII characters of Unicode's White_Space (what \s matches): tab, LF, VT, FF, CR and space.</summary>
    public readonly ulong Space;

    /// <summary>CR and LF.</summary>
    public readonly ulong LineBreak;

    /// <summary>The space character itself.</summary>
    public readonly ulong Blank;

    /// <summary>The apostrophe, which opens a contraction.</summary>
    public readonly ulong Apostrophe;

    /// <summary>The slash, which o200k's punctuation alternative takes after its run.</summary>
    public readonly ulong Slash;

    private AsciiClassMasks(int valid, ulong letter, ulong upper, ulong digit, ulong space, ulong lineBreak, ulong blank, ulong apostrophe, ulong slash)
    {
        ulong keep = valid == Length ? ulong.MaxValue : (1UL << valid) - 1;
        Valid = valid;
        ValidBits = keep;
        Letter = letter & keep;
        Upper = upper & keep;
        Digit = digit & keep;
        Space = space & keep;
        LineBreak = lineBreak & keep;
        Blank = blank & keep;
        Apostrophe = apostrophe & keep;
        Slash = slash & keep;
    }

    /// <summary>Everything ASCII that is not a letter, digit or white space: punctuation, symbols and controls.</summary>
    public ulong Other => ValidBits & ~(Letter | Digit | Space);

    /// <summary>White space other than a line break: what o200k's and cl100k's patterns take as a word's prefix.</summary>
    public ulong BlankSpace => Space & ~LineBreak;

    /// <summary>
    /// The masks of <paramref name="text"/>[<paramref name="start"/>..<paramref name="start"/> + 64], sixteen bytes at
    /// a time where the hardware has vectors (and <see cref="AsciiScan.Vectorized"/> allows), else a byte at a time;
    /// both give the same masks.
    /// </summary>
    public static AsciiClassMasks Of(ReadOnlySpan<byte> text, int start)
    {
        if ((uint)start > (uint)text.Length || text.Length - start < Length)
        {
            ThrowStartOutOfRange();
        }

        ref byte first = ref Unsafe.Add(ref MemoryMarshal.GetReference(text), start);
        return AsciiScan.Vectorized ? OfVectors(ref first) : OfBytes(ref first);
    }

    private static void ThrowStartOutOfRange() => throw new ArgumentOutOfRangeException("start", "64 bytes must be readable from the start.");

    /// <summary>The masks, sixteen bytes per vector compare and each compare's mask moved out in one instruction.</summary>
    private static AsciiClassMasks OfVectors(ref byte first)
    {
        ulong nonAscii = 0, letter = 0, upper = 0, digit = 0, space = 0, lineBreak = 0, blank = 0, apostrophe = 0, slash = 0;
        for (int block = 0; block < Length / 16; block++)
        {
            Vector128<byte> bytes = Vector128.LoadUnsafe(ref first, (nuint)(16 * block));
            int shift = 16 * block;
            nonAscii |= (ulong)bytes.ExtractMostSignificantBits() << shift;
            letter |= Bits(Vector128.LessThan((bytes | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a'), Vector128.Create((byte)26)), shift);
            upper |= Bits(Vector128.LessThan(bytes - Vector128.Create((byte)'A'), Vector128.Create((byte)26)), shift);
            digit |= Bits(Vector128.LessThan(bytes - Vector128.Create((byte)'0'), Vector128.Create((byte)10)), shift);
            Vector128<byte> isBlank = Vector128.Equals(bytes, Vector128.Create((byte)' '));
            space |= Bits(isBlank | Vector128.LessThan(bytes - Vector128.Create((byte)'\t'), Vector128.Create((byte)5)), shift);
            lineBreak |= Bits(Vector128.Equals(bytes, Vector128.Create((byte)'\n')) | Vector128.Equals(bytes, Vector128.Create((byte)'\r')), shift);
            blank |= Bits(isBlank, shift);
            apostrophe |= Bits(Vector128.Equals(bytes, Vector128.Create((byte)'\'')), shift);
            slash |= Bits(Vector128.Equals(bytes, Vector128.Create((byte)'/')), shift);
        }

        return new AsciiClassMasks(BitOperations.TrailingZeroCount(nonAscii), letter, upper, digit, space, lineBreak, blank, apostrophe, slash);
    }

    /// <summary>One bit per byte of a compare's result, at <paramref name="shift"/> and up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(Vector128<byte> matches, int shift) => (ulong)matches.ExtractMostSignificantBits() << shift;

    /// <summary>The masks a byte at a time (hardware without vectors, and the tests' reference for the vector path).</summary>
    private static AsciiClassMasks OfBytes(ref byte first)
    {
        int valid = Length;
        ulong letter = 0, upper = 0, digit = 0, space = 0, lineBreak = 0, blank = 0, apostrophe = 0, slash = 0;
        for (int i = 0; i < Length; i++)
        {
            byte b = Unsafe.Add(ref first, i);
            if (b >= 0x80)
            {
                valid = i;
                break;
            }

            ulong bit = 1UL << i;
            letter |= b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' ? bit : 0;
            upper |= b is >= (byte)'A' and <= (byte)'Z' ? bit : 0;
            digit |= b is >= (byte)'0' and <= (byte)'9' ? bit : 0;
            space |= b is (byte)' ' or >= (byte)'\t' and <= (byte)'\r' ? bit : 0;
            lineBreak |= b is (byte)'\n' or (byte)'\r' ? bit : 0;
            blank |= b == (byte)' ' ? bit : 0;
            apostrophe |= b == (byte)'\'' ? bit : 0;
            slash |= b == (byte)'/' ? bit : 0;
        }

        return new AsciiClassMasks(valid, letter, upper, digit, space, lineBreak, blank, apostrophe, slash);
    }
}
