using System;
using System.IO;
using System.Linq;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The package as a user gets it: pack it into a local folder feed, restore the QuickStart sample from that
/// feed alone (into an empty package folder, so no stale copy is used), build it and run it.
/// </summary>
public class PackageConsumerTests
{
    [Fact]
    public void PackedPackageBuildsAndRunsTheQuickStartSample()
    {
        string work = Path.Combine(Path.GetTempPath(), "tkc-package-test-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed");
        string sample = Path.Combine(work, "QuickStart");
        Directory.CreateDirectory(sample);
        try
        {
            ProcessRunner.Pack(feed);

            string source = Path.Combine(TestData.RepositoryRoot, "samples", "QuickStart");
            File.Copy(Path.Combine(source, "Program.cs"), Path.Combine(sample, "Program.cs"));
            string project = File.ReadAllText(Path.Combine(source, "QuickStart.csproj"))
                .Replace("../../vocabularies/tiktoken/o200k_base.tiktoken", TestData.VocabularyPath("o200k_base"), StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(sample, "QuickStart.csproj"), project);
            File.WriteAllText(Path.Combine(sample, "nuget.config"),
                $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
            File.WriteAllText(Path.Combine(sample, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(sample, "Directory.Packages.props"), "<Project />");

            ProcessRunner.Run("dotnet", $"build -c Release --packages \"{Path.Combine(work, "packages")}\"", sample);
            string output = ProcessRunner.Run("dotnet", "run -c Release --no-build -- Hello, world!", sample);

            Assert.Contains("4 tokens: 13225 11 2375 0", output, StringComparison.Ordinal);
            Assert.Contains("decoded: Hello, world!", output, StringComparison.Ordinal);
            Assert.Contains("vocabulary size 200019, <|endoftext|> = 199999", output, StringComparison.Ordinal);

            // The package's precompiled linux-x64 copies reach the consumer's output and its deps.json, which the host
            // reads to load them on linux-x64 instead of the IL copies (README, "Cold start").
            string bin = Path.Combine(sample, "bin", "Release", "net10.0");
            foreach (string assembly in new[] { "TokenizerCompiler.dll", "TokenizerCompiler.Core.dll" })
            {
                Assert.False(IsReadyToRun(Path.Combine(bin, assembly)), assembly);
                Assert.True(IsReadyToRun(Path.Combine(bin, "runtimes", "linux-x64", "lib", "net10.0", assembly)), assembly);
                Assert.Contains($"\"runtimes/linux-x64/lib/net10.0/{assembly}\"", File.ReadAllText(Path.Combine(bin, "QuickStart.deps.json")), StringComparison.Ordinal);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Leave the folder for inspection when the build server still holds a file.
            }
        }
    }

    /// <summary>Whether the assembly at <paramref name="path"/> carries ReadyToRun code (a managed native header).</summary>
    private static bool IsReadyToRun(string path)
    {
        using FileStream stream = File.OpenRead(path);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        return reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>
    /// Every Hugging Face vocabulary the project knows, compiled at build time in one consumer project from the packed
    /// package (tokenizer.json files, and kl3m-003's vocab.json + merges.txt + tokenizer_config.json with
    /// Normalizer="NFKC"), then run: the embedded tokenizers give the Hugging Face ids on a real multilingual text.
    /// </summary>
    [Fact]
    public void EveryHuggingFaceFamilyCompilesInAConsumerProject()
    {
        string work = Path.Combine(Path.GetTempPath(), "tkc-hf-consumer-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed");
        string project = Path.Combine(work, "Consumer");
        Directory.CreateDirectory(project);
        try
        {
            ProcessRunner.Pack(feed);
            var items = new System.Text.StringBuilder();
            var declarations = new System.Text.StringBuilder();
            var runs = new System.Text.StringBuilder();
            foreach (string name in HuggingFaceVocabularies.Shared.Concat(HuggingFaceVocabularies.Npm))
            {
                string folder = Path.Combine(project, "vocab", name);
                Directory.CreateDirectory(folder);
                string file = name == "kl3m-003-64k" ? "vocab.json" : "tokenizer.json";
                if (name == "kl3m-003-64k")
                {
                    foreach (string part in new[] { "vocab.json", "merges.txt", "tokenizer_config.json" })
                    {
                        File.Copy(Path.Combine(TestData.SharedVocabularies, name, part), Path.Combine(folder, part));
                    }
                }
                else if (Array.IndexOf(HuggingFaceVocabularies.Shared, name) >= 0)
                {
                    File.Copy(Path.Combine(TestData.SharedVocabularies, name, "tokenizer.json"), Path.Combine(folder, file));
                }
                else
                {
                    File.WriteAllText(Path.Combine(folder, file), HuggingFaceVocabularies.NpmTokenizerJson(name));
                }

                string className = "T_" + name.Replace('-', '_');
                string normalizer = name == "kl3m-003-64k" ? " Normalizer=\"NFKC\"" : string.Empty;
                items.Append($"    <TokenizerVocabulary Include=\"vocab/{name}/{file}\"{normalizer} />\n");
                declarations.Append($"[Tokenizer(\"{name}/{file}\")] static partial class {className};\n");
                runs.Append($"Write(\"{name}\", {className}.Tokenizer);\n");
            }

            // Llama 2's SentencePiece model is binary: it reaches the compiler only through the build step.
            Directory.CreateDirectory(Path.Combine(project, "vocab", "llama2-sentencepiece"));
            File.Copy(Path.Combine(TestData.SharedVocabularies, "llama2-sentencepiece", "tokenizer.model"), Path.Combine(project, "vocab", "llama2-sentencepiece", "tokenizer.model"));
            items.Append("    <TokenizerVocabulary Include=\"vocab/llama2-sentencepiece/tokenizer.model\" />\n");
            declarations.Append("[Tokenizer(\"llama2-sentencepiece/tokenizer.model\")] static partial class T_llama2_sentencepiece;\n");
            runs.Append("Write(\"llama2-sentencepiece\", T_llama2_sentencepiece.Tokenizer);\n");

            File.WriteAllText(Path.Combine(project, "Consumer.csproj"),
                "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n    <TargetFramework>net10.0</TargetFramework>\n" +
                "    <Nullable>enable</Nullable>\n    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>\n  </PropertyGroup>\n  <ItemGroup>\n" +
                "    <PackageReference Include=\"TokenizerCompiler\" Version=\"0.1.0\" />\n" + items + "  </ItemGroup>\n</Project>\n");
            File.WriteAllText(Path.Combine(project, "Program.cs"),
                "using System;\nusing System.IO;\nusing TokenizerCompiler;\n\nstring text = File.ReadAllText(args[0]);\n" + runs +
                "void Write(string name, Tokenizer tokenizer) => File.WriteAllText(Path.Combine(args[1], name + \".ids\"), " +
                "string.Join(\" \", tokenizer.EncodeToIds(text, SpecialTokenPolicy.Allow)));\n\n" + declarations);
            File.WriteAllText(Path.Combine(project, "nuget.config"),
                $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
            File.WriteAllText(Path.Combine(project, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(project, "Directory.Packages.props"), "<Project />");

            ProcessRunner.Run("dotnet", $"build -c Release --packages \"{Path.Combine(work, "packages")}\"", project);
            const string corpusFile = "mixed-udhr-article1-all-languages";
            ProcessRunner.Run("dotnet", $"run -c Release --no-build -- \"{Path.Combine(TestData.CorpusDirectory, corpusFile + ".txt")}\" \"{work}\"", project);

            foreach (string name in HuggingFaceVocabularies.Shared.Concat(HuggingFaceVocabularies.Npm))
            {
                int[] expected = TestData.ReadIds(Path.Combine(HuggingFaceVocabularies.GoldensDirectory, name, corpusFile + ".ids.gz"));
                int[] actual = File.ReadAllText(Path.Combine(work, name + ".ids")).Split(' ').Select(int.Parse).ToArray();
                Assert.True(expected.SequenceEqual(actual), $"{name}: the compiled tokenizer's ids differ from Hugging Face's");
            }

            int[] sentencePiece = TestData.ReadIds(Path.Combine(TestData.RepositoryRoot, "tests", "data", "goldens", "sentencepiece", "llama2", corpusFile + ".ids.gz"));
            Assert.Equal(sentencePiece, File.ReadAllText(Path.Combine(work, "llama2-sentencepiece.ids")).Split(' ').Select(int.Parse).ToArray());
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Leave the folder for inspection when the build server still holds a file.
            }
        }
    }
}
