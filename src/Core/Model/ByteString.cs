using System;

namespace TokenizerCompiler.Core.Model;

/// <summary>An immutable byte sequence with value equality, for dictionaries keyed by token bytes at build time.</summary>
public readonly struct ByteString : IEquatable<ByteString>
{
    private readonly byte[] _bytes;
    private readonly int _hash;

    /// <summary>Wraps <paramref name="bytes"/> (not copied: the caller must not change them).</summary>
    public ByteString(byte[] bytes)
    {
        _bytes = bytes;
        _hash = unchecked((int)Tables.TokenHash.Hash(bytes));
    }

    /// <summary>The bytes.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <inheritdoc/>
    public bool Equals(ByteString other) => _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ByteString other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;
}
