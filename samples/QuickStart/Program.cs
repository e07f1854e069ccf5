using System.Buffers;
using TokenizerCompiler;

// The generator compiled o200k_base into this assembly: no file I/O and no table building at run time.
string text = args.Length > 0 ? string.Join(' ', args) : "Hello, world! Tokenizers compiled at build time.";

int[] buffer = ArrayPool<int>.Shared.Rent(text.Length * 3 + 16);
int written = O200k.Tokenizer.EncodeToIds(text, buffer, SpecialTokenPolicy.TreatAsText);
Console.WriteLine($"{written} tokens: {string.Join(' ', buffer.AsSpan(0, written).ToArray())}");
Console.WriteLine($"decoded: {O200k.Tokenizer.Decode(buffer.AsSpan(0, written))}");
Console.WriteLine($"vocabulary size {O200k.VocabularySize}, <|endoftext|> = {O200k.SpecialTokens.EndOfText}");
ArrayPool<int>.Shared.Return(buffer);

[Tokenizer("o200k_base.tiktoken", Pattern = "o200k")]
public static partial class O200k;
