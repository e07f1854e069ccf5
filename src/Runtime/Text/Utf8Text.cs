using System;
using System.Buffers;
using System.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace TokenizerCompiler.Text;

/// <summary>
/// Input text as valid UTF-8, the form the engine works on. UTF-16 input is transcoded into a pooled buffer;
/// valid UTF-8 input is used in place; invalid UTF-8 is copied with each invalid sequence replaced by U+FFFD
/// (maximal-subpart replacement, as the WHATWG decoder and .NET do). Lone surrogates become U+FFFD too.
/// Offsets in the result map back to offsets in the caller's input.
/// </summary>
internal ref struct Utf8Text
{
    private readonly ReadOnlySpan<byte> _original;
    private byte[]? _rented;
    private readonly Source _source;

    private Utf8Text(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> original, byte[]? rented, Source source)
    {
        Bytes = bytes;
        _original = original;
        _rented = rented;
        _source = source;
    }

    /// <summary>What the caller handed in, which says what <see cref="SourceBytesFor"/> counts.</summary>
    private enum Source
    {
        Utf8,
        Utf16,
        Latin1,
    }

    /// <summary>The valid UTF-8 text.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Transcodes UTF-16 text.</summary>
    public static Utf8Text FromUtf16(ReadOnlySpan<char> text)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(16, text.Length * 3));
        Utf8.FromUtf16(text, rented, out _, out int written, replaceInvalidSequences: true, isFinalBlock: true);
        return new Utf8Text(rented.AsSpan(0, written), default, rented, Source.Utf16);
    }

    /// <summary>
    /// Transcodes Latin-1 bytes (one character per byte, as Binary BPE reads a file). Each of the characters is one
    /// UTF-16 char, so <see cref="CharsForBytes"/> and <see cref="SourceBytesFor"/> map an offset back to an offset
    /// in the bytes.
    /// </summary>
    public static Utf8Text FromLatin1(ReadOnlySpan<byte> latin1)
    {
        // Every character stores two bytes (the second is overwritten when the first was ASCII, and lies within the
        // two per character the buffer has), so executable bytes, half of them above 0x7F in no pattern, cost no
        // mispredicted branch.
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(16, latin1.Length * 2));
        ref byte to = ref MemoryMarshal.GetArrayDataReference(rented);
        nint written = 0;
        foreach (byte value in latin1)
        {
            int high = value >> 7;
            int lead = -high; // all ones before a two-byte character: a mask, because the JIT made the select a branch
            Unsafe.Add(ref to, written) = (byte)((value & ~lead) | ((0xC0 | (value >> 6)) & lead));
            Unsafe.Add(ref to, written + 1) = (byte)(0x80 | (value & 0x3F));
            written += 1 + high;
        }

        return new Utf8Text(rented.AsSpan(0, (int)written), default, rented, Source.Latin1);
    }

    /// <summary>Uses UTF-8 text in place when it is valid, else a repaired copy.</summary>
    public static Utf8Text FromUtf8(ReadOnlySpan<byte> text)
    {
        if (Utf8.IsValid(text))
        {
            return new Utf8Text(text, text, null, Source.Utf8);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(16, text.Length * 3));
        int written = 0;
        int read = 0;
        while (read < text.Length)
        {
            Rune.DecodeFromUtf8(text.Slice(read), out Rune rune, out int consumed);
            written += rune.EncodeToUtf8(rented.AsSpan(written));
            read += consumed;
        }

        return new Utf8Text(rented.AsSpan(0, written), text, rented, Source.Utf8);
    }

    /// <summary>How many UTF-16 chars of the original input the first <paramref name="bytes"/> bytes stand for.</summary>
    public readonly int CharsForBytes(int bytes) => Encoding.UTF8.GetCharCount(Bytes[..bytes]);

    /// <summary>
    /// Where the first <paramref name="bytes"/> bytes end in the original input, in its own units where those are
    /// bytes: bytes of UTF-8 input, bytes (characters) of Latin-1 input; for UTF-16 input the UTF-8 offset itself.
    /// </summary>
    public readonly int SourceBytesFor(int bytes)
    {
        if (_source == Source.Latin1)
        {
            return CharsForBytes(bytes);
        }

        if (_rented is null || _source == Source.Utf16)
        {
            return bytes;
        }

        int read = 0, written = 0;
        while (written < bytes)
        {
            Rune.DecodeFromUtf8(_original.Slice(read), out Rune rune, out int consumed);
            written += rune.Utf8SequenceLength;
            read += consumed;
        }

        return read;
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
