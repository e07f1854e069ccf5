using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Running;
using Microsoft.ML.Tokenizers;

namespace TokenizerCompiler.Benchmarks;

/// <summary>
/// Entry point. <c>dotnet run -c Release -- [BenchmarkDotNet args]</c> runs the suite with <see cref="BenchConfig"/>
/// (e.g. <c>--filter '*Encode*'</c>, <c>--anyCategories Count</c>, <c>--list flat</c>). Extra switches:
/// <c>--full</c> uses BenchmarkDotNet's default (long) job; <c>verify</c> (alone) checks that ours and
/// ML.Tokenizers agree on every input (reporting where they do not), prints input sizes and load times, and exits.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks or the verify mode.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "verify")
        {
            return Verify();
        }

        bool full = args.Contains("--full");
        string[] rest = args.Where(a => a != "--full").ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, new BenchConfig(full));
        return 0;
    }

    private static int Verify()
    {
        Console.WriteLine($"Repository root: {Corpus.RepoRoot}");
        int failures = 0;
        foreach (string encoding in new[] { "o200k", "cl100k" })
        {
            var sw = Stopwatch.StartNew();
            Tokenizer ours = Implementations.Ours(encoding);
            Console.WriteLine($"{encoding}: ours loaded in {sw.ElapsedMilliseconds} ms");
            sw.Restart();
            TiktokenTokenizer ml = Implementations.Ml(encoding);
            Console.WriteLine($"{encoding}: ML.Tokenizers loaded in {sw.ElapsedMilliseconds} ms");
            sw.Restart();
            _ = Implementations.Sharp(encoding);
            Console.WriteLine($"{encoding}: SharpToken loaded in {sw.ElapsedMilliseconds} ms");

            foreach (string input in Corpus.Categories.Append("nospace").Append("a-100k"))
            {
                string text = Corpus.Input(input);
                int bytes = Encoding.UTF8.GetByteCount(text);
                sw.Restart();
                int[] mine = ours.EncodeToIds(text, SpecialTokenPolicy.TreatAsText);
                double oursMs = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                IReadOnlyList<int> theirs = ml.EncodeToIds(text);
                double mlMs = sw.Elapsed.TotalMilliseconds;
                bool same = mine.AsSpan().SequenceEqual(theirs.ToArray());
                if (!same)
                {
                    ReportDifference(ours, mine, theirs, Implementations.Sharp(encoding).Encode(text));
                }

                int count = ours.CountTokens(text.AsSpan(), SpecialTokenPolicy.TreatAsText);
                int index = ours.GetIndexByTokenCount(text.AsSpan(), mine.Length / 2, out int fit, SpecialTokenPolicy.TreatAsText);
                int mlIndex = ml.GetIndexByTokenCount(text, mine.Length / 2, out _, out int mlFit);
                byte[] decoded = new byte[bytes];
                ours.DecodeToUtf8(mine, decoded, out _, out int written);
                bool roundTrip = Encoding.UTF8.GetString(decoded, 0, written) == text;
                // ML.Tokenizers and SharpToken pre-tokenize with .NET Regex over UTF-16, where a supplementary-plane
                // letter (a surrogate pair) is not \p{L}; tiktoken (and ours) match by code point. So ids may differ
                // from ML on text with such letters (the code corpus has some); the goldens tests check ours against tiktoken.
                bool ok = count == mine.Length && roundTrip;
                failures += ok ? 0 : 1;
                Console.WriteLine(
                    $"  {input,-8} {text.Length,8} chars {bytes,8} bytes {mine.Length,7} tokens  ids equal to ML: {same}  count ok: {count == mine.Length}  " +
                    $"round trip: {roundTrip}  index(half) ours {index}/{fit} ML {mlIndex}/{mlFit}  first encode ours {oursMs:F0} ms, ML {mlMs:F0} ms");
            }

            // The first mebibyte of the stream of words no cache has seen (UnseenWordsBenchmarks).
            string words = UnseenWordsBenchmarks.Words()[..UnseenWordsBenchmarks.ChunkChars];
            bool wordsSame = ours.EncodeToIds(words, SpecialTokenPolicy.TreatAsText).AsSpan().SequenceEqual(ml.EncodeToIds(words).ToArray());
            failures += wordsSame ? 0 : 1;
            Console.WriteLine($"  unseen words: ids equal to ML: {wordsSame}");
        }

        Console.WriteLine(failures == 0 ? "OK" : $"{failures} FAILURES");
        return failures == 0 ? 0 : 1;
    }

    private static void ReportDifference(Tokenizer ours, int[] mine, IReadOnlyList<int> ml, List<int> sharp)
    {
        int i = 0;
        while (i < mine.Length && i < ml.Count && mine[i] == ml[i])
        {
            i++;
        }

        int from = Math.Max(0, i - 3);
        string Show(IReadOnlyList<int> ids) => string.Join(" ", Enumerable.Range(from, Math.Min(8, ids.Count - from))
            .Select(k => $"{ids[k]}:'{Escape(ours.Decode(new[] { ids[k] }))}'"));
        Console.WriteLine($"    first difference at id #{i} (ours {mine.Length} ids, ML {ml.Count}, SharpToken {sharp.Count}; SharpToken equals ours: {mine.AsSpan().SequenceEqual(sharp.ToArray())}, equals ML: {ml.SequenceEqual(sharp)})");
        Console.WriteLine($"    ours:       {Show(mine)}");
        Console.WriteLine($"    ML:         {Show(ml)}");
        Console.WriteLine($"    SharpToken: {Show(sharp)}");
    }

    private static string Escape(string s) => s.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
