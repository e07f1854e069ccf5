using System;
using System.Diagnostics;
using System.Runtime;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// Runs a workload until the JIT has stopped compiling methods for it, so that the measured iterations do not share
/// the machine's cores with tiered compilation's background thread.
/// </summary>
/// <remarks>
/// On one thread this does not matter on 2 cores: the background compiler takes the idle core. A workload that keeps
/// both cores busy (the batch) shares them with it instead, and tier-1 compilation of the encoders' methods (with
/// dynamic PGO, several rounds) took seconds longer than BenchmarkDotNet's pilot and warm-up stages: in one run the
/// pilot chose 4 operations per iteration from a 50 ms first operation, and the measured iterations drifted from 4.9 to
/// 11.9 ms as compilation went on (1.24× the sequential job; 1.85-2.04× in runs where it had finished). With tiered
/// compilation off (<c>DOTNET_TieredCompilation=0</c>) the same benchmark measured 1.81-1.90× with no drift.
/// </remarks>
internal static class JitSettling
{
    /// <summary>
    /// Runs <paramref name="workload"/> until no method has been compiled (by any thread) for
    /// <paramref name="quietPeriod"/>, or <paramref name="limit"/> has passed; returns how long it ran and how many methods
    /// were compiled meanwhile.
    /// </summary>
    public static (TimeSpan Elapsed, long Compiled) RunUntilSettled(Action workload, TimeSpan quietPeriod, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        long first = JitInfo.GetCompiledMethodCount(currentThread: false);
        long last = first;
        TimeSpan lastChange = TimeSpan.Zero;
        while (clock.Elapsed < limit)
        {
            workload();
            long now = JitInfo.GetCompiledMethodCount(currentThread: false);
            if (now != last)
            {
                last = now;
                lastChange = clock.Elapsed;
            }
            else if (clock.Elapsed - lastChange >= quietPeriod)
            {
                break;
            }
        }

        return (clock.Elapsed, last - first);
    }

    /// <summary>
    /// Runs one benchmark's call until tiered compilation has settled (half a second without a method compiled, ten
    /// seconds at most) and says how long that took.
    /// </summary>
    /// <remarks>
    /// A call that takes tens of milliseconds gets few invocations in the pilot and warm-up stages (four per iteration
    /// on a slower machine), and a method called once per call reaches tier 1 only after thirty calls and the background
    /// compiler's delay: on a Zen 3 VM KL3M-003's encode on code still drifted down through the eight warm-up iterations
    /// (24.8 → 18.4 ms) and measured 18.5 ms, where an in-process probe read 9-11 ms after seconds of calls.
    /// </remarks>
    public static void Settle(Action call)
    {
        var (elapsed, compiled) = RunUntilSettled(call, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10));
        Console.WriteLine($"// warm-up until the JIT settled: {elapsed.TotalSeconds:F1} s, {compiled} methods compiled");
    }
}
