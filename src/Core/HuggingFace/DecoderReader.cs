using System.Collections.Generic;
using System.Globalization;
using System.Text;
using TokenizerCompiler.Core.Json;

namespace TokenizerCompiler.Core.HuggingFace;

/// <summary>
/// Reads a tokenizer.json <c>decoder</c>. Token-local steps (ByteLevel, Replace, ByteFallback, Metaspace) are
/// applied here, once per token, so decoding at run time is a concatenation of precomputed bytes; what acts on
/// the whole output (Strip after Fuse, Metaspace's leading space, no decoder at all) goes into a <see cref="DecoderSpec"/>.
/// </summary>
internal sealed class DecoderReader
{
    private readonly List<TokenStep> _steps = new();
    private int _stripLeading;
    private bool _fused;
    private bool _joinWithSpace;

    private enum TokenStepKind
    {
        ByteLevel,
        Replace,
        ByteFallback,
    }

    public DecoderSpec Spec => new(_stripLeading, _joinWithSpace);

    public static DecoderReader Read(JsonValue? value, string path, JsonReadContext context)
    {
        var reader = new DecoderReader();
        if (value is null || value.Kind == JsonKind.Null)
        {
            reader._joinWithSpace = true;
            return reader;
        }

        reader.ReadStep(value, path, context);
        return reader;
    }

    /// <summary>The bytes <paramref name="token"/> decodes to.</summary>
    public byte[] Decode(string token)
    {
        string text = token;
        foreach (TokenStep step in _steps)
        {
            switch (step.Kind)
            {
                case TokenStepKind.ByteLevel:
                    if (ByteLevelAlphabet.BytesOf(text) is byte[] bytes)
                    {
                        return bytes;
                    }

                    break;
                case TokenStepKind.ByteFallback:
                    if (text.Length == 6 && text.StartsWith("<0x", System.StringComparison.Ordinal) && text[5] == '>'
                        && byte.TryParse(text.Substring(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value))
                    {
                        return new[] { value };
                    }

                    break;
                default:
                    text = text.Replace(step.Pattern, step.Content);
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private void ReadStep(JsonValue value, string path, JsonReadContext context)
    {
        string? type = context.TypeOf(value, path);
        switch (type)
        {
            case null:
                return;
            case "Sequence":
                context.ForEachItem(value, "decoders", path, (item, itemPath) => ReadStep(item, itemPath, context));
                return;
            case "ByteLevel":
                _steps.Add(new TokenStep(TokenStepKind.ByteLevel, string.Empty, string.Empty));
                return;
            case "ByteFallback":
                _steps.Add(new TokenStep(TokenStepKind.ByteFallback, string.Empty, string.Empty));
                return;
            case "Fuse":
                _fused = true;
                return;
            case "Replace":
                string? content = context.RequiredString(value, "content", path);
                if (context.Pattern(value, path, out string pattern, out bool isRegex) && content is not null)
                {
                    if (isRegex)
                    {
                        context.Unsupported(path + ".pattern", value["pattern"], "a regular expression in a Replace decoder");
                        return;
                    }

                    _steps.Add(new TokenStep(TokenStepKind.Replace, pattern, content));
                }

                return;
            case "Strip":
                ReadStrip(value, path, context);
                return;
            case "Metaspace":
                string replacement = context.OptionalString(value, "replacement", path) ?? "\u2581";
                _steps.Add(new TokenStep(TokenStepKind.Replace, replacement, " "));
                string? scheme = context.OptionalString(value, "prepend_scheme", path);
                bool prepends = scheme is null ? context.Bool(value, "add_prefix_space", path, true) : scheme != "never";
                if (prepends)
                {
                    _stripLeading = 1;
                }

                return;
            default:
                context.Unsupported(path + ".type", value["type"], $"decoder '{type}'");
                return;
        }
    }

    private void ReadStrip(JsonValue value, string path, JsonReadContext context)
    {
        string? content = context.RequiredString(value, "content", path);
        int start = context.Int(value, "start", path, 0);
        int stop = context.Int(value, "stop", path, 0);
        if (content != " " || stop != 0 || !_fused)
        {
            // Strip acts on every token; only after Fuse (one token) and on leading spaces is it a whole-output step.
            context.Unsupported(path, value, "a Strip decoder other than leading spaces after Fuse");
            return;
        }

        _stripLeading = start;
    }

    private readonly record struct TokenStep(TokenStepKind Kind, string Pattern, string Content);
}
