using System;

namespace TokenizerCompiler.Transfer;

/// <summary>An embedding file (safetensors, .npy, fastText .vec) is malformed, truncated or of an unsupported kind.</summary>
public sealed class EmbeddingFormatException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public EmbeddingFormatException()
    {
    }

    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public EmbeddingFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    public EmbeddingFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
