using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// The default configuration: a short job (1 launch, 8 warm-up and 5 measured iterations of about 250 ms, no
/// unrolling: every operation works on about 1 MiB of text, so one invocation already takes from hundreds of
/// microseconds to tens of milliseconds, and slow cases run once per iteration), the memory diagnoser, a ratio to
/// the baseline (Microsoft.ML.Tokenizers) and an MB/s column. Two seconds of warm-up let tiered compilation, the
/// thread caches and the merge tree built on the thread pool settle; two iterations did not, and our rows were
/// measured half warm. The whole suite takes about 15-20 minutes on 2 cores.
/// Pass <c>--full</c> to Program to use BenchmarkDotNet's default job instead.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    /// <summary>Creates the configuration; <paramref name="full"/> selects BenchmarkDotNet's default (long) job.</summary>
    public BenchConfig(bool full = false)
    {
        Add(DefaultConfig.Instance);
        Job job = full
            ? Job.Default.WithId("Full")
            : Job.Default
                .WithId("Quick")
                .WithLaunchCount(1)
                .WithWarmupCount(8)
                .WithIterationCount(5)
                .WithIterationTime(TimeInterval.FromMilliseconds(250))
                .WithUnrollFactor(1)
                .WithMinInvokeCount(1);
        AddJob(job);
        ArtifactsPath = System.IO.Path.Combine(Corpus.RepoRoot, "bench", "BenchmarkDotNet.Artifacts");
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new ThroughputColumn());
        AddColumn(CategoriesColumn.Default);
        AddExporter(MarkdownExporter.GitHub);
        WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
        // One summary for the whole run; each (operation category, encoding, text) is its own group with the
        // ML.Tokenizers method as its baseline, so the Ratio column compares like with like.
        WithOptions(ConfigOptions.JoinSummary);
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
    }
}

/// <summary>UTF-8 megabytes (10^6 bytes) of input per second, from the input's size and the mean time.</summary>
public sealed class ThroughputColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(ThroughputColumn);

    /// <inheritdoc/>
    public string ColumnName => "MB/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "UTF-8 input megabytes (10^6 bytes) processed per second (input bytes / Mean)";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        string? input = InputOf(benchmarkCase);
        if (meanNs is not > 0 || input is null)
        {
            return "-";
        }

        double mbPerSecond = Corpus.Utf8Length(input) / (meanNs.Value / 1e9) / 1e6;
        return mbPerSecond.ToString("N1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>The input name of a case: its [Input] attribute, else its Text parameter.</summary>
    public static string? InputOf(BenchmarkCase benchmarkCase)
    {
        InputAttribute? attribute = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<InputAttribute>();
        if (attribute is not null)
        {
            return attribute.Name;
        }

        return benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Text")?.Value as string;
    }

    /// <inheritdoc/>
    public override string ToString() => ColumnName;
}
