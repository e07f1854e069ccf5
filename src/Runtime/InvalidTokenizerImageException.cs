using System;

namespace TokenizerCompiler;

/// <summary>A compiled tokenizer image is corrupt, truncated, or of a format version this runtime does not read.</summary>
public sealed class InvalidTokenizerImageException : Exception
{
    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public InvalidTokenizerImageException(string message)
        : base("Invalid tokenizer image: " + message)
    {
    }
}
