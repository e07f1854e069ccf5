using System;
using System.IO;
using System.Reflection;

namespace TokenizerCompiler;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Opens the tables the build embedded in <paramref name="assembly"/> as the manifest resource
    /// <paramref name="resourceName"/> (what generated tokenizer classes call). A resource of an assembly loaded
    /// from disk is read in place from the mapped file: nothing is copied or built at start.
    /// </summary>
    /// <exception cref="InvalidTokenizerImageException">The resource is missing or is not a valid image.</exception>
    public static unsafe Tokenizer FromEmbeddedResource(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(resourceName);
        Stream stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidTokenizerImageException($"assembly '{assembly.GetName().Name}' has no resource '{resourceName}'");
        if (stream is UnmanagedMemoryStream mapped && mapped.Length <= int.MaxValue)
        {
            // The stream points into the loaded image, which lives as long as the assembly: keep both reachable.
            var owner = new ResourceOwner(assembly, mapped);
            return new Tokenizer(Internal.TokenizerTables.Open(owner, mapped.PositionPointer, (int)mapped.Length, trusted: true));
        }

        using (stream)
        {
            byte[] copy = GC.AllocateUninitializedArray<byte>(checked((int)stream.Length), pinned: true);
            stream.ReadExactly(copy);
            fixed (byte* data = copy)
            {
                return new Tokenizer(Internal.TokenizerTables.Open(copy, data, copy.Length, trusted: true));
            }
        }
    }

    /// <summary>Keeps an assembly and its resource stream alive for as long as the tables point into them.</summary>
    private sealed class ResourceOwner(Assembly assembly, UnmanagedMemoryStream stream)
    {
        public Assembly Assembly { get; } = assembly;

        public UnmanagedMemoryStream Stream { get; } = stream;
    }
}
