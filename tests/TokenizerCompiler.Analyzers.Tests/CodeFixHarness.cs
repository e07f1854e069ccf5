using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace TokenizerCompiler.Analyzers.Tests;

/// <summary>Applies a code fix the way an IDE does: an <see cref="AdhocWorkspace"/> holding the compilation's files, the analyzer's diagnostic, the fix's first action.</summary>
internal static class CodeFixHarness
{
    /// <summary>The text of <c>Source0.cs</c> after the fix for the first <paramref name="diagnosticId"/> in it.</summary>
    public static async Task<string> ApplyAsync(Compilation compilation, DiagnosticAnalyzer analyzer, CodeFixProvider fix, string diagnosticId)
    {
        using var workspace = new AdhocWorkspace();
        ProjectInfo info = ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Consumer", "Consumer", LanguageNames.CSharp,
            compilationOptions: compilation.Options, parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            metadataReferences: compilation.References);
        Project project = workspace.AddProject(info);
        DocumentId? target = null;
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            Document document = project.AddDocument(System.IO.Path.GetFileName(tree.FilePath), tree.GetText(), filePath: tree.FilePath);
            project = document.Project;
            if (tree.FilePath.EndsWith("Source0.cs", System.StringComparison.Ordinal))
            {
                target = document.Id;
            }
        }

        Assert.NotNull(target);
        Compilation workspaceCompilation = (await project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.AnalyzeAsync(workspaceCompilation, analyzer);
        Diagnostic diagnostic = diagnostics.First(d => d.Id == diagnosticId && d.Location.SourceTree!.FilePath.EndsWith("Source0.cs", System.StringComparison.Ordinal));

        Document targetDocument = project.GetDocument(target!)!;
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(targetDocument, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await fix.RegisterCodeFixesAsync(context);
        Assert.NotEmpty(actions);

        ImmutableArray<CodeActionOperation> operations = await actions[0].GetOperationsAsync(CancellationToken.None);
        Solution changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        SourceText text = await changed.GetDocument(target!)!.GetTextAsync();
        return text.ToString();
    }

    /// <summary>Whether a fix is offered for the first <paramref name="diagnosticId"/> in <c>Source0.cs</c>.</summary>
    public static async Task<bool> IsOfferedAsync(Compilation compilation, DiagnosticAnalyzer analyzer, CodeFixProvider fix, string diagnosticId)
    {
        try
        {
            await ApplyAsync(compilation, analyzer, fix, diagnosticId);
            return true;
        }
        catch (Xunit.Sdk.NotEmptyException)
        {
            return false;
        }
    }
}
