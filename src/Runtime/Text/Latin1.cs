using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace TokenizerCompiler.Text;

/// <summary>Spellings in Latin-1 (one byte per character, U+0000..U+00FF), the alphabet of Binary BPE's tokens.</summary>
internal static class Latin1
{
    /// <summary>
    /// The Latin-1 bytes of a UTF-8 spelling, or <see langword="false"/> when it is not well-formed UTF-8 or holds a
    /// character above U+00FF.
    /// </summary>
    public static bool TryGetSpelling(ReadOnlySpan<byte> utf8, out byte[] latin1)
    {
        latin1 = [];
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return false;
        }

        string text = Encoding.UTF8.GetString(utf8);
        foreach (char c in text)
        {
            if (c > '\u00FF')
            {
                return false;
            }
        }

        latin1 = Encoding.Latin1.GetBytes(text);
        return true;
    }

    /// <summary>
    /// The character at <paramref name="at"/> of UTF-8 text when it is at most U+00FF, advancing past it; -1 at the end
    /// of the text or at any other character (without advancing). Without a branch on the lead byte: a third of an
    /// executable's bytes are high, in no order a predictor could learn.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Next(ReadOnlySpan<byte> utf8, ref int at)
    {
        if ((uint)at >= (uint)utf8.Length)
        {
            return -1;
        }

        int lead = utf8[at];
        int wide = lead >> 7;                                       // 1 for a two-byte character
        int otherLead = ((lead | 1) ^ 0xC3) & -wide;                // not zero for a lead byte other than C2 or C3
        if ((otherLead | (int)((uint)(at + wide) >= (uint)utf8.Length ? 1u : 0u)) != 0)
        {
            return -1; // above U+00FF (or a cut character, which valid text never ends with)
        }

        // C2 xx is U+00xx (80..BF), C3 xx is U+00xx + 40 (C0..FF): 80 | (lead's low bit << 6) | (xx & 3F).
        // Selected by mask: the JIT makes a conditional select on wide a branch, mispredicted on executables.
        int twoByte = 0x80 | ((lead & 1) << 6) | (utf8[at + wide] & 0x3F);
        at += 1 + wide;
        return lead ^ ((lead ^ twoByte) & -wide);
    }

    /// <summary>
    /// Writes the Latin-1 bytes of UTF-8 <paramref name="utf8"/> to <paramref name="latin1"/> (at least as long) and
    /// returns how many, or -1 when a character is above U+00FF or the text is not well-formed there.
    /// </summary>
    public static int Narrow(ReadOnlySpan<byte> utf8, Span<byte> latin1)
    {
        int at = 0, written = 0;
        while (at < utf8.Length)
        {
            int next = Next(utf8, ref at);
            if (next < 0)
            {
                return -1;
            }

            latin1[written++] = (byte)next;
        }

        return written;
    }
}
