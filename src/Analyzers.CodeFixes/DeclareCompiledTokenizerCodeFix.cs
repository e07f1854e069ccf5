using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace TokenizerCompiler.Analyzers.CodeFixes;

/// <summary>
/// TKC1005: adds <c>[Tokenizer("o200k_base.tiktoken")] internal static partial class O200kBase { }</c> beside the
/// calling type (or reuses an existing class of that name that already declares it) and replaces the run-time
/// load with <c>O200kBase.Tokenizer</c>. An explicitly typed local that held the result becomes <c>var</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeclareCompiledTokenizerCodeFix)), Shared]
public sealed class DeclareCompiledTokenizerCodeFix : CodeFixProvider
{
    private const string TokenizerAttributeName = "TokenizerCompiler.TokenizerAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Rules.MigrateToCompiledTokenizerId);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(MigrationAnalyzer.VocabularyFileProperty, out string? file) || file is null
                || !diagnostic.Properties.TryGetValue(MigrationAnalyzer.ClassNameProperty, out string? className) || className is null
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create($"Compile '{file}' into the assembly as {className}",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(Rewrite(root, model, invocation, file, className, context.CancellationToken))),
                    equivalenceKey: nameof(DeclareCompiledTokenizerCodeFix)),
                diagnostic);
        }
    }

    private static SyntaxNode Rewrite(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax invocation, string file, string className, CancellationToken cancellationToken)
    {
        // Reuse a class of that name that already declares a tokenizer; avoid a clash with any other type.
        INamedTypeSymbol[] existing = model.Compilation.GetSymbolsWithName(className, SymbolFilter.Type, cancellationToken).OfType<INamedTypeSymbol>().ToArray();
        bool reuse = existing.Any(t => t.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TokenizerAttributeName));
        if (!reuse && existing.Length > 0)
        {
            className += "Tokenizer";
        }

        ExpressionSyntax replacement = ParseExpression(className + ".Tokenizer").WithTriviaFrom(invocation);
        SyntaxNode anchor = invocation.Ancestors().OfType<BaseTypeDeclarationSyntax>().LastOrDefault() ?? (SyntaxNode)invocation;
        var declarationType = invocation.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Type.IsVar: false } local } }
            ? local.Type
            : null;

        var tracked = root.TrackNodes(new SyntaxNode[] { invocation, anchor }.Concat(declarationType is null ? Enumerable.Empty<SyntaxNode>() : new[] { declarationType }));
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(invocation)!, replacement);
        if (declarationType is not null)
        {
            TypeSyntax current = tracked.GetCurrentNode(declarationType)!;
            tracked = tracked.ReplaceNode(current, IdentifierName("var").WithTriviaFrom(current));
        }

        if (reuse)
        {
            return tracked;
        }

        MemberDeclarationSyntax declaration = ParseMemberDeclaration(
            $"[global::TokenizerCompiler.Tokenizer(\"{file}\")]\ninternal static partial class {className}\n{{\n}}\n")!
            .WithAdditionalAnnotations(Formatter.Annotation);
        if (tracked.GetCurrentNode(anchor) is BaseTypeDeclarationSyntax type)
        {
            return tracked.InsertNodesAfter(type, new[] { declaration.WithLeadingTrivia(ElasticCarriageReturnLineFeed) });
        }

        var unit = (CompilationUnitSyntax)tracked;
        return unit.AddMembers(declaration);
    }
}
