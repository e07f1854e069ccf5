using System;
using System.Collections.Generic;
using TokenizerCompiler.Core.Model;

namespace TokenizerCompiler.Core.Patterns;

/// <summary>
/// The named tiktoken encodings: their split pattern and special tokens. A <c>.tiktoken</c> file holds only
/// ranks; these facts come from the encoding's definition (tiktoken's <c>openai_public</c>).
/// </summary>
public static class KnownEncodings
{
    /// <summary>Special tokens of the encoding named <paramref name="name"/>, or <see langword="null"/> for an unknown name.</summary>
    public static IReadOnlyList<SpecialToken>? SpecialTokensOf(string name)
    {
        switch (Normalise(name))
        {
            case "gpt2":
            case "r50kbase":
            case "p50kbase":
                return new[] { new SpecialToken("<|endoftext|>", 50256) };
            case "p50kedit":
                return new[]
                {
                    new SpecialToken("<|endoftext|>", 50256),
                    new SpecialToken("<|fim_prefix|>", 50281),
                    new SpecialToken("<|fim_middle|>", 50282),
                    new SpecialToken("<|fim_suffix|>", 50283),
                };
            case "cl100kbase":
                return new[]
                {
                    new SpecialToken("<|endoftext|>", 100257),
                    new SpecialToken("<|fim_prefix|>", 100258),
                    new SpecialToken("<|fim_middle|>", 100259),
                    new SpecialToken("<|fim_suffix|>", 100260),
                    new SpecialToken("<|endofprompt|>", 100276),
                };
            case "o200kbase":
                return new[]
                {
                    new SpecialToken("<|endoftext|>", 199999),
                    new SpecialToken("<|endofprompt|>", 200018),
                };
            default:
                return null;
        }
    }

    /// <summary>The pattern name of the encoding named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public static string? PatternNameOf(string name)
    {
        switch (Normalise(name))
        {
            case "gpt2":
            case "r50kbase":
            case "p50kbase":
            case "p50kedit":
                return "gpt2";
            case "cl100kbase":
                return "cl100k";
            case "o200kbase":
                return "o200k";
            default:
                return null;
        }
    }

    /// <summary>Guesses the encoding name from a file name such as <c>o200k_base.tiktoken</c>.</summary>
    public static string EncodingNameFromFileName(string path)
    {
        string file = path.Replace('\\', '/');
        int slash = file.LastIndexOf('/');
        if (slash >= 0)
        {
            file = file.Substring(slash + 1);
        }

        int dot = file.IndexOf('.');
        return dot > 0 ? file.Substring(0, dot) : file;
    }

    private static string Normalise(string name) =>
        name.Trim().ToLowerInvariant().Replace("-", string.Empty).Replace("_", string.Empty);
}
