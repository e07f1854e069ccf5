using System;
using System.Globalization;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Parses a JSON number the way Hugging Face's core does (serde_json without its float_roundtrip feature): the digits
/// as an integer, converted to double, then multiplied or divided by a power of ten. That can land one unit in the last
/// place away from the correctly rounded value .NET's parser gives, and Unigram scores near a tie decide between two
/// segmentations on exactly that last bit.
/// </summary>
public static class SerdeJsonDouble
{
    /// <summary>Parses <paramref name="text"/> (a JSON number) as serde_json's default parser would.</summary>
    public static double Parse(string text)
    {
        int i = 0;
        bool negative = text.Length > 0 && text[0] == '-';
        if (negative)
        {
            i++;
        }

        ulong significand = 0;
        int exponent = 0;
        bool overflowed = false;
        for (; i < text.Length && char.IsDigit(text[i]); i++)
        {
            Accumulate(text[i], ref significand, ref exponent, ref overflowed, fraction: false);
        }

        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && char.IsDigit(text[i]); i++)
            {
                Accumulate(text[i], ref significand, ref exponent, ref overflowed, fraction: true);
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            exponent += int.Parse(text.Substring(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        double value = significand;
        while (true)
        {
            int magnitude = Math.Abs(exponent);
            if (magnitude <= 308)
            {
                double power = Pow10(magnitude);
                value = exponent >= 0 ? value * power : value / power;
                break;
            }

            if (value == 0 || exponent > 0)
            {
                value = exponent > 0 ? double.PositiveInfinity : value;
                break;
            }

            value /= 1e308;
            exponent += 308;
        }

        return negative ? -value : value;
    }

    private static void Accumulate(char digit, ref ulong significand, ref int exponent, ref bool overflowed, bool fraction)
    {
        ulong d = (ulong)(digit - '0');
        if (!overflowed && significand <= (ulong.MaxValue - d) / 10)
        {
            significand = (significand * 10) + d;
            exponent -= fraction ? 1 : 0;
        }
        else
        {
            // Digits past what a 64-bit integer holds are dropped (integer digits still scale the value).
            overflowed = true;
            exponent += fraction ? 0 : 1;
        }
    }

    /// <summary>10^<paramref name="n"/> as the double literal <c>1e{n}</c> (correctly rounded), as serde_json's table holds it.</summary>
    private static double Pow10(int n) => double.Parse("1e" + n.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
