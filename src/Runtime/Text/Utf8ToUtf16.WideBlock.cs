using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TokenizerCompiler.Text;

/// <summary>
/// The 64-byte path of <see cref="Utf8ToUtf16"/> for machines with AVX-512 VBMI2: every character of one to three bytes
/// in a block goes through sixteen at a time, whatever the mix of lengths, with no table and no step that waits on the
/// one before.
/// </summary>
/// <remarks>
/// A compress of the byte positions under the mask of bytes that start a character lists where each character starts;
/// the next entry is where it ends. Per 32-bit lane, a byte permute gathers the three bytes from the character's start
/// (lead byte highest) and a variable shift drops those past its end, which gives the same big-endian number the step
/// path checks against the well-formed ranges. On cl100k's mixed scripts, where most characters come from byte tokens,
/// the step path takes four three-byte characters per table step; this takes the whole block.
/// </remarks>
internal static unsafe partial class Utf8ToUtf16
{
    /// <summary>The chars of room a wide block needs: its four groups store sixteen chars each.</summary>
    private const int WideBlockChars = 64;

    /// <summary>Whether this machine has the compress and byte permute the wide blocks use.</summary>
    private static bool IsWideBlockSupported => Avx512Vbmi2.IsSupported && Avx512Vbmi.IsSupported;

    /// <summary>
    /// Transcodes the characters that start in the 64 bytes at <paramref name="input"/> and end before the block's last
    /// character start (that one may run past the block), and returns the bytes taken. Returns fewer, down to zero, at the
    /// first group of sixteen with a character the steps must take: four bytes long, or not well-formed.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own compile: the caller stays small for its first calls
    private static int TranscodeWideBlock(byte* input, ref char* output)
    {
        Vector512<byte> bytes = Vector512.Load(input);
        // The first byte starts a character even when it is a continuation byte: that character is then not valid.
        Vector512<byte> startsMask = ~Vector512.Equals(bytes & Vector512.Create((byte)0xC0), Vector512.Create((byte)0x80))
            | Vector512.Create(0xFFul, 0, 0, 0, 0, 0, 0, 0).AsByte();
        ulong starts = startsMask.ExtractMostSignificantBits();
        int chars = BitOperations.PopCount(starts) - 1;
        if (chars <= 0)
        {
            return 0;
        }

        Vector512<byte> positions = Avx512Vbmi2.Compress(Vector512<byte>.Zero, startsMask, Vector512<byte>.Indices);
        Vector512<byte> ends = Avx512Vbmi.PermuteVar64x8(positions, Vector512<byte>.Indices + Vector512<byte>.One);
        char* q = output;
        int done = TranscodeGroup(bytes, positions.GetLower().GetLower(), ends.GetLower().GetLower(), chars, q);
        if (done == 16 && chars > 16)
        {
            done += TranscodeGroup(bytes, positions.GetLower().GetUpper(), ends.GetLower().GetUpper(), chars - 16, q + 16);
            if (done == 32 && chars > 32)
            {
                done += TranscodeGroup(bytes, positions.GetUpper().GetLower(), ends.GetUpper().GetLower(), chars - 32, q + 32);
                if (done == 48 && chars > 48)
                {
                    done += TranscodeGroup(bytes, positions.GetUpper().GetUpper(), ends.GetUpper().GetUpper(), chars - 48, q + 48);
                }
            }
        }

        output = q + done;
        // Where the next character starts: the block's last start when every character went through, else the start of
        // the group that did not.
        return done == chars ? 63 - BitOperations.LeadingZeroCount(starts) : done == 0 ? 0 : positions.GetElement(done);
    }

    /// <summary>
    /// Up to sixteen characters (the first <paramref name="count"/> lanes) that start at the byte positions
    /// <paramref name="starts"/> and end before <paramref name="ends"/>, stored as sixteen chars at
    /// <paramref name="output"/>: returns how many went through, sixteen or <paramref name="count"/>, or zero when one
    /// of them is four bytes long or not well-formed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TranscodeGroup(Vector512<byte> bytes, Vector128<byte> starts, Vector128<byte> ends, int count, char* output)
    {
        Vector512<uint> start = Avx512F.ConvertToVector512UInt32(starts);
        Vector512<uint> length = Avx512F.ConvertToVector512UInt32(ends) - start;

        // Byte indices per lane, lowest first: start + 2, start + 1, start, and one whose byte the mask drops. Positions
        // are below 64, so the sums carry into no other byte; indices past the block wrap, and their bytes are shifted
        // out, as they lie past the character's end.
        Vector512<byte> gather = (((start << 16) | (start << 8) | start) + Vector512.Create(0x0102u)).AsByte();
        Vector512<uint> raw = Avx512Vbmi.PermuteVar64x8(bytes, gather).AsUInt32() & Vector512.Create(0xFF_FFFFu);
        Vector512<uint> lanes = Avx512F.ShiftRightLogicalVariable(raw, (Vector512.Create(3u) - length) << 3);

        Vector512<uint> valid = Vector512.LessThan(length - Vector512<uint>.One, Vector512.Create(3u))
            & (Vector512.LessThan(lanes, Vector512.Create(0x80u))
                | Vector512.LessThan(lanes - Vector512.Create(0xC200u), Vector512.Create(0x1E00u))
                | Vector512.AndNot(
                    Vector512.LessThan(lanes - Vector512.Create(0xE0A000u), Vector512.Create(0xF6000u)),
                    Vector512.LessThan(lanes - Vector512.Create(0xEDA000u), Vector512.Create(0x2000u))));
        Vector512<uint> unused = Vector512.GreaterThanOrEqual(Vector512<uint>.Indices, Vector512.Create((uint)count));
        if ((valid | unused) != Vector512<uint>.AllBitsSet)
        {
            return 0;
        }

        Vector512<uint> chars = (lanes & Vector512.Create(0x7Fu))
            | ((lanes >> 2) & Vector512.Create(0xFC0u))
            | ((lanes >> 4) & Vector512.Create(0xF000u));
        Avx512F.ConvertToVector256UInt16(chars).Store((ushort*)output);
        return count < 16 ? count : 16;
    }
}
