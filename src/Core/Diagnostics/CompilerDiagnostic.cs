namespace TokenizerCompiler.Core.Diagnostics;

/// <summary>
/// A problem found while compiling a vocabulary. Plain, equatable data so that it can travel through an
/// incremental generator pipeline and be turned into a Roslyn diagnostic (or a CLI message) at the end.
/// </summary>
/// <param name="Id">The stable diagnostic id, e.g. <c>TKC0002</c>.</param>
/// <param name="Severity">How serious the problem is.</param>
/// <param name="Message">The formatted, human readable message.</param>
/// <param name="FilePath">The vocabulary file the problem is in.</param>
/// <param name="Span">Where in that file.</param>
public sealed record CompilerDiagnostic(
    string Id,
    DiagnosticSeverityLevel Severity,
    string Message,
    string FilePath,
    SourceSpan Span)
{
    /// <summary>Formats the diagnostic the way compilers print them: <c>path(line,col): error ID: message</c>.</summary>
    public override string ToString()
    {
        string level = Severity switch
        {
            DiagnosticSeverityLevel.Error => "error",
            DiagnosticSeverityLevel.Warning => "warning",
            _ => "info",
        };
        return $"{FilePath}({Span.Line + 1},{Span.Column + 1}): {level} {Id}: {Message}";
    }
}
