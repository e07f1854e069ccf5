using System;
using System.IO;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>
/// The analyzers as a user gets them: pack the package into a local folder feed, build a consumer with the
/// mistakes the rules catch, and find each diagnostic at its file, line and column in the build output.
/// </summary>
public class AnalyzerPackageConsumerTests
{
    private const string Program = """
        using TokenizerCompiler;

        string text = args.Length > 0 ? args[0] : "Hello, world!";
        O200k.Tokenizer.TryGetSpecialTokenId("<|im_start|>", out int start);
        string wrong = O200k.Tokenizer.Decode(new[] { 15339, 300000, 199998 });
        foreach (string line in args)
        {
            var ids = O200k.Tokenizer.EncodeToIds(line);
            System.Console.WriteLine(Cl100k.Tokenizer.Decode(ids));
        }

        System.Console.WriteLine(text + start + wrong);

        [Tokenizer("o200k_base.tiktoken", Pattern = "o200k")]
        public static partial class O200k;

        [Tokenizer("cl100k_base.tiktoken", Pattern = "cl100k")]
        public static partial class Cl100k;
        """;

    [Fact]
    public void PackedAnalyzersReportTheirDiagnosticsInAConsumerBuild()
    {
        string work = Path.Combine(Path.GetTempPath(), "tkc-analyzer-package-test-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed");
        string consumer = Path.Combine(work, "Consumer");
        Directory.CreateDirectory(Path.Combine(consumer, "model"));
        try
        {
            ProcessRunner.Pack(feed);

            File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="TokenizerCompiler" Version="0.1.0" />
                    <TokenizerVocabulary Include="{TestData.VocabularyPath("o200k_base")}" />
                    <TokenizerVocabulary Include="{TestData.VocabularyPath("cl100k_base")}" />
                    <AdditionalFiles Include="model/config.json" TokenizerClass="O200k" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(consumer, "Program.cs"), Program);
            File.WriteAllText(Path.Combine(consumer, "model", "config.json"), """{ "vocab_size": 200000, "eos_token_id": 199999 }""");
            File.WriteAllText(Path.Combine(consumer, "nuget.config"),
                $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
            File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(consumer, "Directory.Packages.props"), "<Project />");

            string output = ProcessRunner.Run("dotnet", $"build -c Release --packages \"{Path.Combine(work, "packages")}\"", consumer, expectSuccess: false);

            Assert.Contains("Program.cs(4,38): error TKC1001: '<|im_start|>' is not a special token of O200k; did you mean '<|endoftext|>', '<|endofprompt|>'?", output, StringComparison.Ordinal);
            Assert.Contains("Program.cs(5,54): error TKC1002: Token id 300000 is outside the vocabulary (size 200019) of O200k", output, StringComparison.Ordinal);
            // The build summary carries the unused slots, so package builds flag them too.
            Assert.Contains("Program.cs(5,62): error TKC1002: Token id 199998 names an unused slot of O200k", output, StringComparison.Ordinal);
            Assert.Contains("Program.cs(8,15): warning TKC1004:", output, StringComparison.Ordinal);
            Assert.Contains("Program.cs(9,54): warning TKC1003: Token ids from O200k are used with Cl100k", output, StringComparison.Ordinal);
            Assert.Contains("config.json(1,17): warning TKC1006: 'vocab_size' in config.json is 200000", output, StringComparison.Ordinal);
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
