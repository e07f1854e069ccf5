namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// GPT-2's byte-to-character mapping, which Hugging Face's ByteLevel components use so that every byte is a
/// printable character: the printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards
/// in byte order.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly short[] CharToByte = BuildCharToByte();

    /// <summary>The character that stands for <paramref name="value"/>.</summary>
    public static char CharOf(byte value) => ByteToChar[value];

    /// <summary>The byte <paramref name="c"/> stands for, or -1 when it is not in the alphabet.</summary>
    public static int ByteOf(char c) => c < CharToByte.Length ? CharToByte[c] : -1;

    /// <summary>Maps a token string of the alphabet to its bytes; <see langword="null"/> when a character is outside it.</summary>
    public static byte[]? BytesOf(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            int value = ByteOf(token[i]);
            if (value < 0)
            {
                return null;
            }

            bytes[i] = (byte)value;
        }

        return bytes;
    }

    private static bool MapsToItself(int b) => (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            map[b] = MapsToItself(b) ? (char)b : (char)next++;
        }

        return map;
    }

    private static short[] BuildCharToByte()
    {
        var map = new short[256 + 68];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = -1;
        }

        for (int b = 0; b < 256; b++)
        {
            map[ByteToChar[b]] = (short)b;
        }

        return map;
    }
}
