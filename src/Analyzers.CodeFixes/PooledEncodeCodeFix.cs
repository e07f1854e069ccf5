using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace TokenizerCompiler.Analyzers.CodeFixes;

/// <summary>
/// TKC1004: turns <c>var ids = tokenizer.EncodeToIds(text);</c> into the span overload writing into a buffer rented
/// from <c>ArrayPool&lt;int&gt;.Shared</c> (sized by the encoder's bound: at most one id per UTF-8 byte), with
/// <c>ids</c> now a <c>ReadOnlySpan&lt;int&gt;</c> over the written part and the rest of the block in a try/finally
/// that returns the buffer.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PooledEncodeCodeFix)), Shared]
public sealed class PooledEncodeCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Rules.HotPathAllocationId);

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is InvocationExpressionSyntax invocation
                && Match(invocation, model, context.CancellationToken) is { } target)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Encode into a pooled buffer with the span overload",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(Rewrite(root, target))),
                        equivalenceKey: nameof(PooledEncodeCodeFix)),
                    diagnostic);
            }
        }
    }

    /// <summary>The fix applies to <c>T name = x.EncodeToIds(text[, policy]);</c> with a string text that is cheap to evaluate twice, as a statement of a block.</summary>
    private static Target? Match(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        if (invocation.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 }
            || declarator.Parent.Parent is not LocalDeclarationStatementSyntax { Parent: BlockSyntax, UsingKeyword.RawKind: 0 } statement
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { Name: "EncodeToIds" } method
            || method.Parameters.Length == 0 || method.Parameters[0].Type.SpecialType != SpecialType.System_String
            || invocation.ArgumentList.Arguments.Count == 0)
        {
            return null;
        }

        ExpressionSyntax text = invocation.ArgumentList.Arguments[0].Expression;
        bool simple = text is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax or ThisExpressionSyntax };
        return simple && invocation.ArgumentList.Arguments[0].NameColon is null ? new Target(statement, declarator, invocation, text) : null;
    }

    private static SyntaxNode Rewrite(SyntaxNode root, Target target)
    {
        var block = (BlockSyntax)target.Statement.Parent!;
        int index = block.Statements.IndexOf(target.Statement);
        string name = target.Declarator.Identifier.ValueText;
        string buffer = name + "Buffer";

        InvocationExpressionSyntax spanCall = target.Invocation.WithArgumentList(
            target.Invocation.ArgumentList.WithArguments(target.Invocation.ArgumentList.Arguments.Insert(1, Argument(IdentifierName(buffer)))));
        StatementSyntax rent = ParseStatement(
            $"int[] {buffer} = global::System.Buffers.ArrayPool<int>.Shared.Rent(global::System.Text.Encoding.UTF8.GetMaxByteCount({target.Text.WithoutTrivia()}.Length));");
        StatementSyntax view = ParseStatement(
            $"global::System.ReadOnlySpan<int> {name} = new global::System.ReadOnlySpan<int>({buffer}, 0, {spanCall.WithoutTrivia()});");
        StatementSyntax giveBack = ParseStatement($"global::System.Buffers.ArrayPool<int>.Shared.Return({buffer});");

        var body = new List<StatementSyntax> { view.WithTrailingTrivia(ElasticCarriageReturnLineFeed) };
        body.AddRange(block.Statements.Skip(index + 1));
        TryStatementSyntax guarded = TryStatement(Block(body), default, FinallyClause(Block(giveBack)));

        var statements = block.Statements.Take(index).ToList();
        statements.Add(rent.WithLeadingTrivia(target.Statement.GetLeadingTrivia()));
        statements.Add(guarded);
        BlockSyntax rewritten = block.WithStatements(List(statements))
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
        return root.ReplaceNode(block, rewritten);
    }

    private sealed class Target(LocalDeclarationStatementSyntax statement, VariableDeclaratorSyntax declarator, InvocationExpressionSyntax invocation, ExpressionSyntax text)
    {
        public LocalDeclarationStatementSyntax Statement { get; } = statement;

        public VariableDeclaratorSyntax Declarator { get; } = declarator;

        public InvocationExpressionSyntax Invocation { get; } = invocation;

        public ExpressionSyntax Text { get; } = text;
    }
}
