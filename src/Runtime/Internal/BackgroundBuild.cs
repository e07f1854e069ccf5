using System;
using System.Threading;
using System.Threading.Tasks;

namespace TokenizerCompiler.Internal;

/// <summary>Tables that only speed things up, built on the thread pool so that the call that first wants one never waits for it.</summary>
internal static class BackgroundBuild
{
    /// <summary>
    /// Starts <paramref name="make"/> on the thread pool and keeps its task in <paramref name="build"/>, unless another
    /// thread has put one there first; returns the task that is there.
    /// </summary>
    public static Task<T> Start<T>(ref Task<T>? build, Func<T> make)
    {
        var task = new Task<T>(make);
        if (Interlocked.CompareExchange(ref build, task, null) == null)
        {
            task.Start(TaskScheduler.Default);
        }

        return build!;
    }
}
