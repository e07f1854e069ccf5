using System;

namespace TokenizerCompiler.Analyzers.Facts;

/// <summary>
/// The tiktoken encoding behind an OpenAI model name or encoding name, as tiktoken and Microsoft.ML.Tokenizers map
/// them, restricted to the encodings whose rank files this package compiles (o200k, cl100k, p50k, r50k).
/// </summary>
internal static class KnownTiktokenModels
{
    private static readonly (string Prefix, string Encoding)[] Prefixes =
    {
        ("o1-", "o200k_base"), ("o3-", "o200k_base"), ("o4-mini-", "o200k_base"), ("gpt-5-", "o200k_base"),
        ("gpt-4.1-", "o200k_base"), ("gpt-4.5-", "o200k_base"), ("gpt-4o-", "o200k_base"), ("chatgpt-4o-", "o200k_base"),
        ("gpt-4-", "cl100k_base"), ("gpt-3.5-turbo-", "cl100k_base"), ("gpt-35-turbo-", "cl100k_base"),
    };

    private static readonly (string Name, string Encoding)[] Exact =
    {
        ("o1", "o200k_base"), ("o3", "o200k_base"), ("o4-mini", "o200k_base"), ("gpt-5", "o200k_base"),
        ("gpt-4.1", "o200k_base"), ("gpt-4o", "o200k_base"),
        ("gpt-4", "cl100k_base"), ("gpt-3.5-turbo", "cl100k_base"), ("gpt-3.5", "cl100k_base"), ("gpt-35-turbo", "cl100k_base"),
        ("text-embedding-ada-002", "cl100k_base"), ("text-embedding-3-small", "cl100k_base"), ("text-embedding-3-large", "cl100k_base"),
        ("davinci-002", "cl100k_base"), ("babbage-002", "cl100k_base"),
        ("text-davinci-003", "p50k_base"), ("text-davinci-002", "p50k_base"), ("code-davinci-002", "p50k_base"),
        ("code-davinci-001", "p50k_base"), ("code-cushman-002", "p50k_base"), ("code-cushman-001", "p50k_base"),
        ("text-davinci-001", "r50k_base"), ("text-curie-001", "r50k_base"), ("text-babbage-001", "r50k_base"),
        ("text-ada-001", "r50k_base"), ("davinci", "r50k_base"), ("curie", "r50k_base"), ("babbage", "r50k_base"),
        ("ada", "r50k_base"), ("gpt2", "r50k_base"),
    };

    /// <summary>The encoding of a model name, or null when it is not one of ours.</summary>
    public static string? EncodingOfModel(string model)
    {
        foreach ((string name, string encoding) in Exact)
        {
            if (string.Equals(name, model, StringComparison.OrdinalIgnoreCase))
            {
                return encoding;
            }
        }

        foreach ((string prefix, string encoding) in Prefixes)
        {
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return encoding;
            }
        }

        return null;
    }

    /// <summary>The canonical encoding name, or null when its rank file is not one the package compiles.</summary>
    public static string? Encoding(string name)
    {
        foreach (string known in new[] { "o200k_base", "cl100k_base", "p50k_base", "r50k_base" })
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }
}
