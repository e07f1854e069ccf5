using System;
using System.Collections.Generic;
using System.Linq;
using TokenizerCompiler.Core.Diagnostics;

namespace TokenizerCompiler;

/// <summary>A vocabulary could not be compiled at run time; <see cref="Diagnostics"/> has every problem with its location.</summary>
public sealed class VocabularyException : Exception
{
    /// <summary>Creates the exception from the compiler's diagnostics.</summary>
    public VocabularyException(IReadOnlyList<CompilerDiagnostic> diagnostics)
        : base("The vocabulary could not be compiled:" + Environment.NewLine + string.Join(Environment.NewLine, diagnostics.Select(d => "  " + d)))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>The problems, each with its file, line and column.</summary>
    public IReadOnlyList<CompilerDiagnostic> Diagnostics { get; }
}
