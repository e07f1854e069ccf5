using TokenizerCompiler.Core.Diagnostics;

namespace TokenizerCompiler.Generator.Model;

/// <summary>A diagnostic as data: the core's diagnostic, or one against the declaration itself.</summary>
/// <param name="Diagnostic">The problem.</param>
/// <param name="DeclarationLocation">Set when the problem belongs on the attribute rather than in the vocabulary file.</param>
internal sealed record DiagnosticInfo(CompilerDiagnostic Diagnostic, LocationInfo? DeclarationLocation);
