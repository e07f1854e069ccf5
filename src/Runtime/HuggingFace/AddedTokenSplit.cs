using System;
using System.Runtime.CompilerServices;
using TokenizerCompiler.Internal;

namespace TokenizerCompiler.HuggingFace;

/// <summary>Encodes the text between two added tokens (a stretch).</summary>
internal interface IStretchEncoder
{
    /// <summary>Encodes <paramref name="text"/>[<paramref name="from"/>..<paramref name="to"/>); false when the sink stopped, with <paramref name="consumed"/> where.</summary>
    bool EncodeStretch<TSink>(ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TSink : ITokenSink, allows ref struct;
}

/// <summary>Hugging Face's first step on UTF-8: added tokens come out whole, the stretches between them go on.</summary>
internal static class AddedTokenSplit
{
    /// <summary>
    /// Hands each added token that <paramref name="added"/> finds in <paramref name="text"/>[<paramref name="from"/>..<paramref name="to"/>)
    /// to the sink as its id, and the stretches around them to <paramref name="encoder"/>; see
    /// <see cref="Tokenizer.Run{TSink}"/> for the contract.
    /// </summary>
    /// <remarks>
    /// Not inlined: the loop runs once per stretch, which is a word when an added token is as common as a space
    /// (KL3M-001), and inlined into the public entry point it ran out of the JIT's inlining budget there, leaving the
    /// matcher's bit tests and the sink's Accept as calls.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool Run<TEncoder, TSink>(ref TEncoder encoder, AddedTokenByteMatcher added, ReadOnlySpan<byte> text, int from, int to, ref TSink sink, out int consumed)
        where TEncoder : struct, IStretchEncoder
        where TSink : ITokenSink, allows ref struct
    {
        int position = from;
        while (true)
        {
            int start = added.FindNext(text[..to], position, out int length, out int id);
            int end = start >= 0 ? start : to;
            if (!encoder.EncodeStretch(text, position, end, ref sink, out consumed))
            {
                return false;
            }

            if (start < 0)
            {
                consumed = to;
                return true;
            }

            if (!sink.Accept(new ReadOnlySpan<int>(in id), start, start + length))
            {
                consumed = start;
                return false;
            }

            position = start + length;
        }
    }
}
