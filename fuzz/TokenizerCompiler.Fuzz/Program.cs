using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SharpFuzz;
using TokenizerCompiler.Fuzz;

// Usage:
//   afl-fuzz ... -- dotnet TokenizerCompiler.Fuzz.dll <target>           AFL++ (assemblies instrumented by sharpfuzz)
//   dotnet TokenizerCompiler.Fuzz.dll <target> --replay DIR               run every file in DIR once (regressions)
//   dotnet TokenizerCompiler.Fuzz.dll <target> --smoke DIR SECONDS SEED   built-in random mutation of DIR's seeds
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: <encode|tiktoken|image> [--replay DIR | --smoke DIR SECONDS SEED]");
    return 2;
}

Action<byte[]> target = FuzzTargets.Get(args[0]);
if (args.Length >= 3 && args[1] == "--replay")
{
    FuzzTargets.Warm(args[0]);
    foreach (string file in Directory.GetFiles(args[2]).Order(StringComparer.Ordinal))
    {
        target(File.ReadAllBytes(file));
    }

    Console.WriteLine($"replayed {Directory.GetFiles(args[2]).Length} inputs: no crash");
    return 0;
}

if (args.Length >= 5 && args[1] == "--smoke")
{
    FuzzTargets.Warm(args[0]);
    byte[][] seeds = Directory.GetFiles(args[2]).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
    var random = new Random(int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
    var clock = Stopwatch.StartNew();
    long executions = 0;
    while (clock.Elapsed.TotalSeconds < double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture))
    {
        byte[] input = Mutator.Mutate(seeds[random.Next(seeds.Length)], random);
        try
        {
            target(input);
        }
        catch (Exception e)
        {
            string path = Path.Combine(Path.GetTempPath(), $"tkc-fuzz-{args[0]}-{executions}.bin");
            File.WriteAllBytes(path, input);
            Console.Error.WriteLine($"CRASH after {executions} executions, input saved to {path}:\n{e}");
            return 1;
        }

        executions++;
    }

    Console.WriteLine($"smoke {args[0]}: {executions} executions in {clock.Elapsed.TotalSeconds:F0} s, 0 crashes");
    return 0;
}

// Under AFL nothing instrumented may run before Run() has set up the coverage map, so the tokenizer is
// loaded lazily by the first input.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target(memory.ToArray());
});
return 0;
