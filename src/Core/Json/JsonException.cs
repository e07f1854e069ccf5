using System;

namespace TokenizerCompiler.Core.Json;

/// <summary>The text is not valid JSON; <see cref="Position"/> is where the parser gave up.</summary>
public sealed class JsonSyntaxException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JsonSyntaxException(string message, int position)
        : base(message)
    {
        Position = position;
    }

    /// <summary>The UTF-16 offset in the source text.</summary>
    public int Position { get; }
}
