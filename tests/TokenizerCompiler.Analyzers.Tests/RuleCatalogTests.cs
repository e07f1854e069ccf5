using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace TokenizerCompiler.Analyzers.Tests;

public class RuleCatalogTests
{
    private static readonly DiagnosticDescriptor[] Descriptors =
        AnalyzerHarness.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).ToArray();

    [Fact]
    public void EveryRuleHasAUniqueAnalyzerIdADocsPageAndAHelpLinkToIt()
    {
        Assert.Equal(6, Descriptors.Length);
        Assert.Equal(Descriptors.Length, Descriptors.Select(d => d.Id).Distinct().Count());
        foreach (DiagnosticDescriptor descriptor in Descriptors)
        {
            Assert.Matches("^TKC1[0-9]{3}$", descriptor.Id);
            string page = Path.Combine(AnalyzerHarness.RepositoryRoot, "docs", "rules", descriptor.Id + ".md");
            Assert.True(File.Exists(page), page);
            Assert.StartsWith("# " + descriptor.Id + ": " + descriptor.Title, File.ReadAllText(page));
            Assert.EndsWith("/docs/rules/" + descriptor.Id + ".md", descriptor.HelpLinkUri);
        }
    }

    [Fact]
    public void EveryRuleIsInTheReleaseTrackingFileWithItsSeverity()
    {
        string unshipped = File.ReadAllText(Path.Combine(AnalyzerHarness.RepositoryRoot, "src", "Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (DiagnosticDescriptor descriptor in Descriptors)
        {
            Assert.Contains($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", unshipped);
        }
    }
}
