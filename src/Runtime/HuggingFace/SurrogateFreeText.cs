using System;
using System.Buffers;
using System.Globalization;
using System.Text;

namespace TokenizerCompiler.HuggingFace;

/// <summary>
/// .NET's regular expressions see UTF-16 code units, so <c>\p{L}</c> never matches a letter outside the Basic
/// Multilingual Plane (𝔢, emoji, historic scripts): its two surrogates have category Cs. Oniguruma (Hugging
/// Face) and fancy-regex (tiktoken) match code points. This view replaces every supplementary code point with
/// one BMP stand-in of the same general category, so the pattern sees one character of the right class, and maps
/// match positions back to the original text.
/// </summary>
internal ref struct SurrogateFreeText
{
    private char[]? _chars;
    private int[]? _originalIndex;

    /// <summary>Builds the view; when <paramref name="text"/> has no surrogates it is the text itself.</summary>
    public SurrogateFreeText(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            Text = text;
            _chars = null;
            _originalIndex = null;
            Length = text.Length;
            return;
        }

        _chars = ArrayPool<char>.Shared.Rent(text.Length);
        _originalIndex = ArrayPool<int>.Shared.Rent(text.Length + 1);
        int length = 0;
        for (int i = 0; i < text.Length;)
        {
            _originalIndex[length] = i;
            if (Rune.DecodeFromUtf16(text[i..], out Rune rune, out int consumed) == OperationStatus.Done && rune.Value > 0xFFFF)
            {
                _chars[length++] = StandIn(Rune.GetUnicodeCategory(rune));
            }
            else
            {
                _chars[length++] = text[i];
                consumed = 1;
            }

            i += consumed;
        }

        _originalIndex[length] = text.Length;
        Text = _chars.AsSpan(0, length);
        Length = text.Length;
    }

    /// <summary>The text the pattern runs on.</summary>
    public ReadOnlySpan<char> Text { get; }

    /// <summary>Length of the original text.</summary>
    public int Length { get; }

    /// <summary>The original index of position <paramref name="index"/> in <see cref="Text"/> (which may be its end).</summary>
    public readonly int Original(int index) => _originalIndex is null ? index : _originalIndex[index];

    /// <summary>Returns the buffers to the pool.</summary>
    public void Dispose()
    {
        if (_chars is not null)
        {
            ArrayPool<char>.Shared.Return(_chars);
            ArrayPool<int>.Shared.Return(_originalIndex!);
            _chars = null;
            _originalIndex = null;
        }
    }

    /// <summary>
    /// A BMP character of <paramref name="category"/>, chosen outside ASCII, Latin-1 and the CJK and kana ranges
    /// that real split patterns name explicitly, and never whitespace.
    /// </summary>
    private static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u10A0',
        UnicodeCategory.LowercaseLetter => '\u0561',
        UnicodeCategory.TitlecaseLetter => '\u1F88',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\uA840',
        UnicodeCategory.NonSpacingMark => '\u0591',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u2160',
        UnicodeCategory.OtherNumber => '\u2460',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\u2045',
        UnicodeCategory.ClosePunctuation => '\u2046',
        UnicodeCategory.InitialQuotePunctuation => '\u2039',
        UnicodeCategory.FinalQuotePunctuation => '\u203A',
        UnicodeCategory.OtherPunctuation => '\u2047',
        UnicodeCategory.MathSymbol => '\u2200',
        UnicodeCategory.CurrencySymbol => '\u20A0',
        UnicodeCategory.ModifierSymbol => '\u02C2',
        UnicodeCategory.OtherSymbol => '\u2100',
        UnicodeCategory.Format => '\u2061',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378', // unassigned
    };
}
