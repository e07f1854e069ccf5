using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using Xunit;

namespace TokenizerCompiler.Tests;

/// <summary>vocabularies/manifest.json is true: every file it lists exists with the SHA-256 it records, and every vocabulary compiles.</summary>
public class VocabularyManifestTests
{
    public static IEnumerable<object[]> Entries()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "vocabularies", "manifest.json")));
        foreach (JsonElement entry in manifest.RootElement.GetProperty("vocabularies").EnumerateArray())
        {
            yield return new object[] { entry.GetProperty("name").GetString()!, entry.GetProperty("path").GetString()!, entry.GetProperty("sha256").ToString() };
        }
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void FilesHaveTheRecordedHashes(string name, string path, string sha256)
    {
        string full = Path.GetFullPath(Path.Combine(TestData.RepositoryRoot, path));
        if (sha256.StartsWith('{'))
        {
            using JsonDocument files = JsonDocument.Parse(sha256);
            foreach (JsonProperty file in files.RootElement.EnumerateObject())
            {
                Assert.True(Hash(File.ReadAllBytes(Path.Combine(full, file.Name))) == file.Value.GetString(), $"{name}/{file.Name}");
            }

            return;
        }

        byte[] content = full.EndsWith(".gz") ? Gunzip(full) : File.ReadAllBytes(full);
        Assert.True(Hash(content) == sha256, name);
    }

    [Fact]
    public void ManifestListsEveryVocabularyTheTestsUse()
    {
        string[] names = Entries().Select(e => (string)e[0]).ToArray();
        foreach (string expected in HuggingFaceVocabularies.Shared.Concat(HuggingFaceVocabularies.Npm).Append("llama2-sentencepiece").Append("o200k_base"))
        {
            Assert.Contains(expected, names);
        }
    }

    private static string Hash(byte[] data) => System.Convert.ToHexStringLower(SHA256.HashData(data));

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
