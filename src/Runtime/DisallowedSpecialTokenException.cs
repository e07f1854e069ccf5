using System;

namespace TokenizerCompiler;

/// <summary>
/// The input contains the text of a special token and the policy was <see cref="SpecialTokenPolicy.Disallow"/>.
/// Pass <see cref="SpecialTokenPolicy.Allow"/> to encode it as the special token, or
/// <see cref="SpecialTokenPolicy.TreatAsText"/> to encode it as plain text.
/// </summary>
public sealed class DisallowedSpecialTokenException : Exception
{
    /// <summary>Creates the exception for <paramref name="tokenText"/> found at <paramref name="byteOffset"/> of the UTF-8 input.</summary>
    public DisallowedSpecialTokenException(string tokenText, int byteOffset)
        : base($"The text contains the special token '{tokenText}' (at UTF-8 byte {byteOffset}), which the policy disallows. " +
               "Use SpecialTokenPolicy.Allow to encode it as a special token or SpecialTokenPolicy.TreatAsText to encode it as text.")
    {
        TokenText = tokenText;
        ByteOffset = byteOffset;
    }

    /// <summary>The special token's text.</summary>
    public string TokenText { get; }

    /// <summary>Where it starts in the UTF-8 input.</summary>
    public int ByteOffset { get; }
}
