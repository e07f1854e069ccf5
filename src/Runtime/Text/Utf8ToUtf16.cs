using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Text.Unicode;

namespace TokenizerCompiler.Text;

/// <summary>
/// UTF-8 to UTF-16 with exactly the results of <see cref="Utf8.ToUtf16(ReadOnlySpan{byte}, Span{char}, out int, out int, bool, bool)"/>
/// with replacement (status, bytes read, chars written, and the chars), faster on text outside ASCII: .NET's
/// transcoder takes each multi-byte character through branches (about 0.7 ns a byte on the decode's runs of mixed
/// scripts), and decode to chars on cl100k's Chinese, where most characters are split between byte tokens, spent 62 %
/// of its time there.
/// </summary>
/// <remarks>
/// <para>
/// Each character of one to three bytes, read as one big-endian number (lead byte highest), is well-formed exactly when
/// that number lies in one of the ranges of Unicode's table 3-7: <c>00..7F</c>, <c>C280..DFBF</c>,
/// <c>E0A080..EFBFBF</c> less the surrogates <c>EDA080..EDBFBF</c> (the continuation bytes are continuation bytes by
/// construction). So a few vector compares check many characters, and masks and shifts of the same numbers give the
/// chars. Two paths put characters into lanes that way, both in blocks of 64 bytes whose masks are computed once:
/// </para>
/// <para>
/// With AVX-512 VBMI2, the wide blocks (<c>Utf8ToUtf16.WideBlock.cs</c>) take sixteen characters at a time, any mix of
/// lengths. Otherwise, steps: a table keyed by where the characters in the next twelve bytes end (a byte ends a
/// character when the next is not a continuation byte) gives one shuffle, either up to eight characters of one or two
/// bytes into 16-bit lanes, or up to four of one to three bytes into 32-bit lanes; sixteen bytes of ASCII widen at
/// once, and sixteen three-byte characters in a row go in one check. Four-byte characters are decoded one at a time.
/// </para>
/// <para>
/// The last bytes go through a zero-padded copy (or zeros after them in the caller's buffer): a zero is a character of
/// its own, so what a step takes past the end is one char per byte, which the count drops. Everything done is whole
/// valid characters, a prefix .NET's transcoder would have produced the same way, so from the first character that is
/// not valid (or cut at the end), or where the destination has no room for a block's stores, .NET's transcoder takes
/// the rest: invalid sequences, a full destination and <c>isFinalBlock</c> keep .NET's exact semantics.
/// </para>
/// </remarks>
internal static unsafe partial class Utf8ToUtf16
{
    /// <summary>The bytes one vector step reads.</summary>
    private const int WindowBytes = 16;

    /// <summary>The chars one vector step may store (the ASCII step's sixteen).</summary>
    private const int WindowChars = 16;

    /// <summary>Whether this machine has the byte shuffle the steps need.</summary>
    public static bool IsVectorized => Ssse3.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>
    /// Transcodes <paramref name="source"/> into <paramref name="destination"/>, replacing invalid sequences with U+FFFD,
    /// as <see cref="Utf8.ToUtf16(ReadOnlySpan{byte}, Span{char}, out int, out int, bool, bool)"/> does.
    /// </summary>
    public static OperationStatus Transcode(ReadOnlySpan<byte> source, Span<char> destination, out int bytesRead, out int charsWritten, bool isFinalBlock)
        => Transcode(source, destination, out bytesRead, out charsWritten, isFinalBlock, FastestPath);

    /// <summary>The ways this class can transcode, slowest first; tests run each one this machine has.</summary>
    internal enum Path
    {
        /// <summary>.NET's transcoder alone.</summary>
        DotNet,

        /// <summary>Steps of sixteen bytes (SSSE3 or Arm64), then .NET's transcoder.</summary>
        Steps,

        /// <summary>Blocks of 64 bytes (AVX-512 VBMI2), the steps, then .NET's transcoder.</summary>
        WideBlocks,
    }

    /// <summary>The fastest <see cref="Path"/> this machine has.</summary>
    internal static Path FastestPath => IsWideBlockSupported ? Path.WideBlocks : IsVectorized ? Path.Steps : Path.DotNet;

    /// <summary>
    /// <see cref="Transcode(ReadOnlySpan{byte}, Span{char}, out int, out int, bool)"/> of the first
    /// <paramref name="length"/> bytes of <paramref name="buffer"/>, which may clear the <see cref="PaddingBytes"/> bytes
    /// after them when the buffer has them: the last steps then read those zeros in place rather than a copy.
    /// </summary>
    public static OperationStatus TranscodePrefix(Span<byte> buffer, int length, Span<char> destination, out int bytesRead, out int charsWritten, bool isFinalBlock)
    {
        Path path = FastestPath;
        bool padded = TakesVectorPath(path, length) && buffer.Length - length >= PaddingBytes;
        if (padded)
        {
            buffer.Slice(length, PaddingBytes).Clear(); // only when a vector path will read the padding
        }

        return Transcode(buffer[..length], destination, out bytesRead, out charsWritten, isFinalBlock, path, padded);
    }

    /// <summary>
    /// <see cref="Transcode(ReadOnlySpan{byte}, Span{char}, out int, out int, bool)"/> by <paramref name="path"/> (which
    /// this machine must have; tests compare each against .NET's transcoder on the same inputs).
    /// <paramref name="zeroPadded"/>: the source is followed in memory by <see cref="PaddingBytes"/> zero bytes.
    /// </summary>
    internal static OperationStatus Transcode(ReadOnlySpan<byte> source, Span<char> destination, out int bytesRead, out int charsWritten, bool isFinalBlock, Path path, bool zeroPadded = false)
    {
        int read = 0;
        int written = 0;
        if (TakesVectorPath(path, source.Length))
        {
            fixed (byte* input = source)
            fixed (char* output = destination)
            {
                TranscodeValidPrefix(input, source.Length, zeroPadded, path == Path.WideBlocks, output, destination.Length, out read, out written);
            }

            if (read == source.Length)
            {
                bytesRead = read;
                charsWritten = written;
                return OperationStatus.Done;
            }
        }

        OperationStatus status = Utf8.ToUtf16(source[read..], destination[written..], out int restRead, out int restWritten, replaceInvalidSequences: true, isFinalBlock);
        bytesRead = read + restRead;
        charsWritten = written + restWritten;
        return status;
    }

    /// <summary>
    /// Sources shorter than this go to .NET's transcoder, which is precompiled in the runtime: on a few characters the
    /// vector paths gain next to nothing, and a process that only ever transcodes a few tokens at a time (a streaming
    /// decoder) then never compiles them (about 2 ms on a process's first call).
    /// </summary>
    private const int ShortestVectorSource = 64;

    /// <summary>Whether a source of <paramref name="length"/> bytes goes through the vector loops of <paramref name="path"/>.</summary>
    private static bool TakesVectorPath(Path path, int length) => path != Path.DotNet && length >= ShortestVectorSource;

    /// <summary>The zero bytes after the source that let its last block read in place.</summary>
    public const int PaddingBytes = BlockBytes;

    /// <summary>
    /// Transcodes whole valid characters from the start of <paramref name="source"/> in blocks of
    /// <see cref="BlockBytes"/> bytes, the last from a zero-padded copy unless the source is
    /// <paramref name="zeroPadded"/>, while the destination has room for the block's stores. Stops at the first step
    /// that is not valid UTF-8.
    /// </summary>
    private static void TranscodeValidPrefix(byte* source, int sourceLength, bool zeroPadded, bool wideBlocks, char* destination, int destinationLength, out int read, out int written)
    {
        byte* p = source;
        byte* end = source + sourceLength;
        char* q = destination;
        char* destinationEnd = destination + destinationLength;
        // A fixed buffer rather than a stackalloc: a method with a stackalloc is compiled fully optimized on its first
        // call, inlining the block paths, which made a process's first decode to chars 2-3 ms slower.
        PaddedBlock padded;
        byte* copy = padded.Bytes;
        while (p < end)
        {
            int left = (int)(end - p);
            int limit = Math.Min(left, BlockSteps);
            if (destinationEnd - q < limit + WindowChars)
            {
                break;
            }

            byte* block = p;
            if (left < BlockBytes && !zeroPadded)
            {
                new Span<byte>(copy, BlockBytes).Clear();
                new Span<byte>(p, left).CopyTo(new Span<byte>(copy, BlockBytes));
                block = copy;
            }

            // The 64-byte path where the machine has it and the destination has room for its stores; the steps for
            // what it leaves (a four-byte or ill-formed character), which also say where valid text stops.
            int taken = wideBlocks && destinationEnd - q >= WideBlockChars ? TranscodeWideBlock(block, ref q) : 0;
            bool stop = false;
            if (taken == 0)
            {
                taken = TranscodeBlock(StepTable.Instance, block, limit, ref q); // built on first use: the wide blocks need no table
                stop = taken < limit;
            }

            if (taken > left)
            {
                // Zero bytes after the end are characters of their own, so a step that ran past it stored one char per
                // byte past it, which the count drops. (A character cut at the end is not valid, so no step takes it.)
                q -= taken - left;
                taken = left;
            }

            p += taken;
            if (stop)
            {
                break;
            }
        }

        read = (int)(p - source);
        written = (int)(q - destination);
    }

    /// <summary>A block's worth of bytes on the stack, for the last bytes' zero-padded copy.</summary>
    private struct PaddedBlock
    {
        public fixed byte Bytes[BlockBytes];
    }

    /// <summary>The bytes a block reads: its masks cover them, and its steps start in the first <see cref="BlockSteps"/>.</summary>
    private const int BlockBytes = 64;

    /// <summary>How far into a block steps start: a step's key needs the twelve bytes after its start and one more.</summary>
    private const int BlockSteps = BlockBytes - WindowBytes;

    /// <summary>
    /// Transcodes the characters that start in the first <paramref name="limit"/> (at most <see cref="BlockSteps"/>)
    /// bytes at <paramref name="input"/>; the steps may read on to the block's end. The block's masks come from one pass
    /// over it, so each step's key is a shift of them rather than a load that waits on the step before. Returns the
    /// bytes taken: at least <paramref name="limit"/>, unless a step was not valid.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int TranscodeBlock(StepTable table, byte* input, int limit, ref char* output)
    {
        Vector128<byte> first = Vector128.Load(input);
        Vector128<byte> second = Vector128.Load(input + 16);
        Vector128<byte> third = Vector128.Load(input + 32);
        Vector128<byte> fourth = Vector128.Load(input + 48);
        ulong nonAscii = first.ExtractMostSignificantBits()
            | ((ulong)second.ExtractMostSignificantBits() << 16)
            | ((ulong)third.ExtractMostSignificantBits() << 32)
            | ((ulong)fourth.ExtractMostSignificantBits() << 48);
        if (nonAscii == 0 && limit == BlockSteps)
        {
            // All ASCII: the whole block widens (the room for a block's steps holds its sixty-four chars).
            StoreWidened(first, output);
            StoreWidened(second, output + 16);
            StoreWidened(third, output + 32);
            StoreWidened(fourth, output + 48);
            output += BlockBytes;
            return BlockBytes;
        }

        ulong continuation = ContinuationBytes(first)
            | ((ulong)ContinuationBytes(second) << 16)
            | ((ulong)ContinuationBytes(third) << 32)
            | ((ulong)ContinuationBytes(fourth) << 48);
        ulong ends = ~(continuation >> 1);
        uint* steps = table.Steps;
        Vector128<byte>* patterns = table.Patterns;
        if ((ends & ThreeByteRunMask) == ThreeByteRun && limit == BlockSteps && TryStoreThreeByteRun(steps, patterns, input, output))
        {
            output += BlockSteps / 3;
            return BlockSteps;
        }

        // The output pointer stays in a register through the steps (a pointer behind a reference would be stored and
        // loaded again by every step, on the path from one step to the next).
        char* q = output;
        int offset = 0;
        while (offset < limit)
        {
            int taken = Step(steps, patterns, input + offset, ref q, (uint)(nonAscii >> offset), (uint)(ends >> offset));
            if (taken == 0)
            {
                break;
            }

            offset += taken;
        }

        output = q;
        return offset;
    }

    /// <summary>The bits of <c>ends</c> that <see cref="ThreeByteRun"/> covers: the block's first 48 bytes.</summary>
    private const ulong ThreeByteRunMask = 0xFFFF_FFFF_FFFF;

    /// <summary>The ends of sixteen three-byte characters (every third byte), the run of CJK, Thai or Devanagari text.</summary>
    private const ulong ThreeByteRun = 0x9249_2492_4924;

    /// <summary>
    /// Sixteen three-byte characters at <paramref name="input"/> as four steps of four wide lanes, checked together:
    /// the same shuffle serves each twelve bytes. False (and nothing counted) when any is not valid.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStoreThreeByteRun(uint* steps, Vector128<byte>* patterns, byte* input, char* output)
    {
        Vector128<byte> pattern = patterns[steps[ThreeByteRun & StepTable.KeyMask] >> StepTable.PatternShift];
        Vector128<uint> first = Shuffle(Vector128.Load(input), pattern).AsUInt32();
        Vector128<uint> second = Shuffle(Vector128.Load(input + 12), pattern).AsUInt32();
        Vector128<uint> third = Shuffle(Vector128.Load(input + 24), pattern).AsUInt32();
        Vector128<uint> fourth = Shuffle(Vector128.Load(input + 36), pattern).AsUInt32();
        Vector128<uint> valid = ValidThreeByteLanes(first) & ValidThreeByteLanes(second) & ValidThreeByteLanes(third) & ValidThreeByteLanes(fourth);
        if (valid != Vector128<uint>.AllBitsSet)
        {
            return false;
        }

        Vector128.Narrow(WideLaneChars(first), WideLaneChars(second)).Store((ushort*)output);
        Vector128.Narrow(WideLaneChars(third), WideLaneChars(fourth)).Store((ushort*)output + 8);
        return true;
    }

    /// <summary>Lanes that hold a well-formed three-byte character (<c>E0A080..EFBFBF</c>, not a surrogate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> ValidThreeByteLanes(Vector128<uint> lanes)
        => Vector128.AndNot(
            Vector128.LessThan(lanes - Vector128.Create(0xE0A000u), Vector128.Create(0xF6000u)),
            Vector128.LessThan(lanes - Vector128.Create(0xEDA000u), Vector128.Create(0x2000u)));

    /// <summary>The chars of wide lanes (see <see cref="TryStoreWideLanes"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> WideLaneChars(Vector128<uint> lanes)
        => (lanes & Vector128.Create(0x7Fu))
            | ((lanes >> 2) & Vector128.Create(0xFC0u))
            | ((lanes >> 4) & Vector128.Create(0xF000u));

    /// <summary>The continuation bytes (<c>10xxxxxx</c>) of sixteen, as a bit mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ContinuationBytes(Vector128<byte> bytes)
        => Vector128.Equals(bytes & Vector128.Create((byte)0xC0), Vector128.Create((byte)0x80)).ExtractMostSignificantBits();

    /// <summary>
    /// One step at <paramref name="input"/> (sixteen readable bytes, room for sixteen chars at
    /// <paramref name="output"/>): <paramref name="nonAscii"/> and <paramref name="ends"/> have the input's first byte in
    /// their lowest bit. Returns the bytes taken, zero when the step is not valid UTF-8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(uint* steps, Vector128<byte>* patterns, byte* input, ref char* output, uint nonAscii, uint ends)
    {
        Vector128<byte> bytes = Vector128.Load(input);
        if ((nonAscii & 0xFFFF) == 0)
        {
            StoreWidened(bytes, output);
            output += 16;
            return 16;
        }

        if ((nonAscii & 0xFF) == 0)
        {
            Vector128.WidenLower(bytes).Store((ushort*)output);
            output += 8;
            return 8;
        }

        uint step = steps[ends & StepTable.KeyMask];
        Vector128<byte> lanes = Shuffle(bytes, patterns[step >> StepTable.PatternShift]);
        switch ((step >> StepTable.KindShift) & StepTable.KindMask)
        {
            case StepTable.ShortLanes:
                if (!TryStoreShortLanes(lanes.AsUInt16(), output))
                {
                    return 0;
                }

                break;
            case StepTable.WideLanes:
                if (!TryStoreWideLanes(lanes.AsUInt32(), output))
                {
                    return 0;
                }

                break;
            default:
                if (!TryStoreFourByte(input, output))
                {
                    return 0;
                }

                output += 2;
                return 4;
        }

        output += (step >> StepTable.CharsShift) & StepTable.CountMask;
        return (int)(step & StepTable.CountMask); // the bytes sit lowest: one instruction on the path to the next step
    }

    /// <summary>Sixteen ASCII bytes as sixteen chars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreWidened(Vector128<byte> bytes, char* output)
    {
        (Vector128<ushort> lower, Vector128<ushort> upper) = Vector128.Widen(bytes);
        lower.Store((ushort*)output);
        upper.Store((ushort*)output + 8);
    }

    /// <summary>
    /// Characters of one or two bytes, one to a 16-bit lane (lead byte high, unused lanes zero): valid when each lane is
    /// ASCII or lies in <c>C280..DFBF</c>; the char is the last byte's six bits under the lead's five.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStoreShortLanes(Vector128<ushort> lanes, char* output)
    {
        Vector128<ushort> valid = Vector128.LessThan(lanes, Vector128.Create((ushort)0x80))
            | Vector128.LessThan(lanes - Vector128.Create((ushort)0xC200), Vector128.Create((ushort)0x1E00));
        if (valid != Vector128<ushort>.AllBitsSet)
        {
            return false;
        }

        Vector128<ushort> chars = (lanes & Vector128.Create((ushort)0x7F)) | ((lanes >> 2) & Vector128.Create((ushort)0x7C0));
        chars.Store((ushort*)output);
        return true;
    }

    /// <summary>
    /// Characters of one to three bytes, one to a 32-bit lane (lead byte highest, unused lanes zero): valid when each
    /// lane is ASCII, lies in <c>C280..DFBF</c>, or lies in <c>E0A080..EFBFBF</c> outside the surrogates
    /// <c>EDA080..EDBFBF</c>. The continuation bytes' top bits are <c>10</c>, and a two-byte lead's third bit is zero, so
    /// the same masks serve one-, two- and three-byte lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStoreWideLanes(Vector128<uint> lanes, char* output)
    {
        Vector128<uint> valid = Vector128.LessThan(lanes, Vector128.Create(0x80u))
            | Vector128.LessThan(lanes - Vector128.Create(0xC200u), Vector128.Create(0x1E00u))
            | ValidThreeByteLanes(lanes);
        if (valid != Vector128<uint>.AllBitsSet)
        {
            return false;
        }

        Vector128<uint> chars = WideLaneChars(lanes);
        Vector128.Narrow(chars, chars).Store((ushort*)output);
        return true;
    }

    /// <summary>A valid four-byte character at <paramref name="input"/> as a surrogate pair; false for anything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStoreFourByte(byte* input, char* output)
    {
        uint lead = input[0];
        uint second = input[1];
        uint third = input[2];
        uint fourth = input[3];
        if ((lead & 0xF8) != 0xF0 || ((second | (third << 8) | (fourth << 16)) & 0xC0C0C0) != 0x808080)
        {
            return false;
        }

        uint scalar = ((lead & 0x07) << 18) | ((second & 0x3F) << 12) | ((third & 0x3F) << 6) | (fourth & 0x3F);
        if (scalar - 0x10000 > 0xFFFFF)
        {
            return false; // overlong, or past U+10FFFF
        }

        output[0] = (char)(0xD7C0 + (scalar >> 10));
        output[1] = (char)(0xDC00 | (scalar & 0x3FF));
        return true;
    }

    /// <summary>A byte shuffle with indices at or above 0x80 giving zero (SSSE3 <c>pshufb</c>, Arm <c>tbl</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Shuffle(Vector128<byte> bytes, Vector128<byte> indices)
    {
        if (Ssse3.IsSupported)
        {
            return Ssse3.Shuffle(bytes, indices);
        }

        return AdvSimd.Arm64.VectorTableLookup(bytes, indices);
    }

    /// <summary>
    /// The steps, one for each way the characters of twelve bytes can end, built once on first use
    /// (4,096 entries and a few hundred distinct shuffles).
    /// </summary>
    private sealed class StepTable
    {
        public const uint KeyMask = 0xFFF;
        public const uint KindMask = 3;
        public const uint ShortLanes = 1;
        public const uint WideLanes = 2;
        public const int CharsShift = 4;
        public const int KindShift = 8;
        public const uint CountMask = 0xF;
        public const int PatternShift = 16;

        /// <summary>A shuffle index that gives a zero byte.</summary>
        private const byte Zero = 0x80;

        public static readonly StepTable Instance = new();

        private StepTable()
        {
            var patterns = new List<Vector128<byte>>();
            var indexOf = new Dictionary<Vector128<byte>, int>();
            uint[] steps = new uint[KeyMask + 1];
            Span<int> starts = stackalloc int[12];
            Span<int> lengths = stackalloc int[12];
            byte[] pattern = new byte[16];
            for (uint ends = 0; ends <= KeyMask; ends++)
            {
                int count = 0;
                int start = 0;
                for (int at = 0; at < 12; at++)
                {
                    if ((ends & (1u << at)) != 0)
                    {
                        starts[count] = start;
                        lengths[count] = at - start + 1;
                        count++;
                        start = at + 1;
                    }
                }

                int shortChars = LeadingCharsAtMost(lengths[..count], 2, 8);
                int wideChars = LeadingCharsAtMost(lengths[..count], 3, 4);
                uint kind;
                int chars;
                if (wideChars == 0)
                {
                    steps[ends] = 0; // a four-byte (or longer, invalid) first character
                    continue;
                }

                Array.Fill(pattern, Zero);
                if (shortChars >= wideChars)
                {
                    kind = ShortLanes;
                    chars = shortChars;
                    for (int c = 0; c < chars; c++)
                    {
                        int last = starts[c] + lengths[c] - 1;
                        pattern[2 * c] = (byte)last;
                        pattern[(2 * c) + 1] = lengths[c] == 2 ? (byte)starts[c] : Zero;
                    }
                }
                else
                {
                    kind = WideLanes;
                    chars = wideChars;
                    for (int c = 0; c < chars; c++)
                    {
                        int last = starts[c] + lengths[c] - 1;
                        pattern[4 * c] = (byte)last;
                        pattern[(4 * c) + 1] = lengths[c] >= 2 ? (byte)(last - 1) : Zero;
                        pattern[(4 * c) + 2] = lengths[c] == 3 ? (byte)starts[c] : Zero;
                    }
                }

                Vector128<byte> shuffle = Vector128.Create(pattern);
                if (!indexOf.TryGetValue(shuffle, out int index))
                {
                    index = patterns.Count;
                    indexOf.Add(shuffle, index);
                    patterns.Add(shuffle);
                }

                int bytes = starts[chars - 1] + lengths[chars - 1];
                steps[ends] = (uint)bytes | ((uint)chars << CharsShift) | (kind << KindShift) | ((uint)index << PatternShift);
            }

            // Native memory, kept for the life of the process: the steps index it without bounds checks (keys are twelve
            // bits, and every step's shuffle index is one of these).
            Steps = (uint*)NativeMemory.Alloc((nuint)(sizeof(uint) * steps.Length));
            steps.CopyTo(new Span<uint>(Steps, steps.Length));
            Patterns = (Vector128<byte>*)NativeMemory.AlignedAlloc((nuint)(sizeof(Vector128<byte>) * patterns.Count), 16);
            patterns.CopyTo(new Span<Vector128<byte>>(Patterns, patterns.Count));
        }

        /// <summary>Per key: the lane kind, the bytes and chars the step takes, and its shuffle's index.</summary>
        public uint* Steps { get; }

        /// <summary>The distinct shuffles.</summary>
        public Vector128<byte>* Patterns { get; }

        private static int LeadingCharsAtMost(ReadOnlySpan<int> lengths, int longest, int most)
        {
            int count = 0;
            while (count < lengths.Length && count < most && lengths[count] <= longest)
            {
                count++;
            }

            return count;
        }
    }
}
