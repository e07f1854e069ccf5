namespace TokenizerCompiler.Core.Diagnostics;

/// <summary>How serious a vocabulary problem is; mirrors Roslyn's severities without depending on Roslyn.</summary>
public enum DiagnosticSeverityLevel
{
    /// <summary>Information only (for example: a pattern runs on the slow path).</summary>
    Info,

    /// <summary>The vocabulary compiles, but something is probably wrong.</summary>
    Warning,

    /// <summary>The vocabulary cannot be compiled.</summary>
    Error,
}
