using System.Collections.Generic;
using TokenizerCompiler.Core.Diagnostics;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.Compilation;

/// <summary>The result of compiling a vocabulary: the definition and its image, or the reasons there are none.</summary>
public sealed class CompilationOutput
{
    internal CompilationOutput(TokenizerDefinition? definition, byte[]? image, IReadOnlyList<CompilerDiagnostic> diagnostics)
    {
        Definition = definition;
        Image = image;
        Diagnostics = diagnostics;
    }

    /// <summary>The validated definition; <see langword="null"/> when there were errors.</summary>
    public TokenizerDefinition? Definition { get; }

    /// <summary>The serialised tables; <see langword="null"/> when there were errors.</summary>
    public byte[]? Image { get; }

    /// <summary>Every problem found, errors and otherwise.</summary>
    public IReadOnlyList<CompilerDiagnostic> Diagnostics { get; }

    /// <summary>Whether compilation produced an image.</summary>
    public bool Succeeded => Image is not null;
}
