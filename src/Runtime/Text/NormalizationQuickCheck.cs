using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TokenizerCompiler.Text;

/// <summary>
/// Tells, without ICU where it can, whether UTF-8 text is in a Unicode normalization form: Unicode's quick check, which
/// answers yes when every character is one the form keeps (NFC_QC and its kin) and the combining marks in each run
/// stand in canonical order, and no at a character the form maps away or two marks out of order. Other text gets
/// maybe, and the caller asks the runtime's normalization as it did before.
/// </summary>
/// <remarks>
/// <para>
/// Pipelines with NFC or NFKC (Qwen 3, KL3M) asked <see cref="string.IsNormalized(NormalizationForm)"/> about every
/// chunk of text outside ASCII, on a UTF-16 copy: on mixed scripts the copy and ICU's check were about 15 % of
/// the encode. This answers from a bit and a byte per code point.
/// </para>
/// <para>
/// The tables come from the runtime's own normalization, so they agree with whatever Unicode version its ICU has. A
/// code point is slow (no yes) when it is unassigned, a surrogate, U+FFFE (which the callers treat apart), in the
/// private use planes 15 and 16, a character the form maps to something else, or, for the composing forms,
/// a character after the first of a primary composite's canonical decomposition (something before it could compose
/// with it: Unicode's NFC_QC=Maybe characters, the vowels and finals of decomposed Hangul among them), and a character
/// whose own decomposition starts with such a one (Unicode 16's Kirat Rai U+16D68 is U+16D67 twice, so U+16D63 U+16D68
/// composes: found in review with ICU 76; this machine's ICU 72 does not know those letters). A combining
/// mark (canonical combining class other than zero: canonical ordering moves it in front of U+0345, class 240) that is
/// not slow gets the rank of its class among all classes, found by ordering the marks with the same test; then text is
/// surely in the form when no character is slow and no mark follows one of a higher class within a run of marks.
/// Building takes about 50 ms of the thread pool per form, once per process; until then the callers ask ICU.
/// </para>
/// </remarks>
internal sealed class NormalizationQuickCheck
{
    private const int CodePoints = 0x110000;

    // Planes 15 and 16 hold only private use characters: slow, which spares the build 131 K normalizations.
    private const int LastBuilt = 0xEFFFF;

    private static readonly Task<NormalizationQuickCheck>?[] s_builds = new Task<NormalizationQuickCheck>?[4];

    private readonly ulong[] _slow;    // a bit per code point
    private readonly ulong[] _changes; // a bit per code point the form maps to something else (a slow one)
    private readonly byte[] _ranks;    // per code point of the BMP: 0 for a starter, else its combining class's rank
    private readonly NormalizationForm _form;

    private NormalizationQuickCheck(NormalizationForm form, ulong[] slow, ulong[] changes, byte[] ranks)
    {
        _form = form;
        _slow = slow;
        _changes = changes;
        _ranks = ranks;
    }

    /// <summary>The check for <paramref name="form"/> when it is built, starting its build on the thread pool when not.</summary>
    public static NormalizationQuickCheck? For(NormalizationForm form)
    {
        Task<NormalizationQuickCheck> build = Build(form);
        return build.IsCompletedSuccessfully ? build.Result : null;
    }

    /// <summary>The check for <paramref name="form"/>, waiting for its build (tests).</summary>
    public static NormalizationQuickCheck WaitFor(NormalizationForm form) => Build(form).GetAwaiter().GetResult();

    /// <summary>Whether the check gives no answer for text holding <paramref name="codePoint"/> (tests).</summary>
    public bool IsSlow(int codePoint) => ((_slow[codePoint >> 6] >> codePoint) & 1) != 0;

    /// <summary>The rank of <paramref name="codePoint"/>'s combining class: 0 for a starter (tests).</summary>
    public int RankOf(int codePoint) => codePoint < _ranks.Length ? _ranks[codePoint] : 0;

    /// <summary>
    /// Whether the form leaves <paramref name="utf8"/>, well-formed UTF-8 (<see cref="Utf8Text"/> makes it so), as it
    /// is: <see cref="QuickCheckResult.Yes"/> when no character is slow and the marks of each run stand in canonical
    /// order; <see cref="QuickCheckResult.No"/> at a character the form maps to something else, or a mark after one
    /// of a higher class (normalization reorders them), which no normalized text holds; otherwise
    /// <see cref="QuickCheckResult.Maybe"/> (a character that may compose with the one before it, say), which only the
    /// normalization itself can answer. Asks nothing of ICU: the tables' own answer, which the tests hold against the
    /// runtime's; the callers use <see cref="CheckAskingAroundSlow"/>.
    /// </summary>
    public QuickCheckResult Check(ReadOnlySpan<byte> utf8) => Scan(utf8, askAroundSlow: false);

    /// <summary>
    /// <see cref="Check"/>, but at a slow character that the form need not map away, the runtime's normalization is
    /// asked about that character's stretch alone: from the last starter before it that is not slow to the first such
    /// starter after it. Such a starter is a normalization boundary (it combines with nothing before it, and nothing
    /// before it reorders past it), so the text is in the form exactly when every stretch is, and the rest of the text
    /// is answered by the tables. Maybe only for a stretch longer than <see cref="LongestAskedStretch"/> bytes, or one
    /// holding U+FFFE (which the callers treat apart).
    /// </summary>
    /// <remarks>
    /// Before, a slow character made the whole text (a 16 KB chunk) a question for ICU, on a UTF-16 copy: KL3M-003 on
    /// the corpus's Article 1 of the Declaration of Human Rights in every language spent about a quarter of its encode
    /// there (two transcodes and ICU's compose).
    /// </remarks>
    public QuickCheckResult CheckAskingAroundSlow(ReadOnlySpan<byte> utf8) => Scan(utf8, askAroundSlow: true);

    /// <summary>The longest stretch around a slow character that <see cref="CheckAskingAroundSlow"/> asks ICU about, in bytes.</summary>
    private const int LongestAskedStretch = 256;

    private QuickCheckResult Scan(ReadOnlySpan<byte> utf8, bool askAroundSlow)
    {
        ref ulong slow = ref MemoryMarshal.GetArrayDataReference(_slow);
        ref byte ranks = ref MemoryMarshal.GetArrayDataReference(_ranks);
        ref byte start = ref MemoryMarshal.GetReference(utf8);
        int length = utf8.Length;
        int lastRank = 0;
        int boundary = 0; // where the last starter that is not slow begins
        int i = 0;
        while (i < length)
        {
            // Eight ASCII bytes at a time (starters all): mixed text has ASCII spaces and punctuation between its words.
            if (i <= length - 8 && (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)) & 0x8080808080808080UL) == 0)
            {
                boundary = i + 7;
                i += 8;
                lastRank = 0;
                continue;
            }

            int at = i;
            int codePoint = Decode(ref start, length, ref i);
            if (codePoint < 0)
            {
                return QuickCheckResult.Maybe;
            }

            if (((Unsafe.Add(ref slow, codePoint >> 6) >> codePoint) & 1) != 0)
            {
                if (IsChange(codePoint))
                {
                    return QuickCheckResult.No;
                }

                if (!askAroundSlow)
                {
                    return QuickCheckResult.Maybe;
                }

                int next = NextBoundary(ref start, length, i, out QuickCheckResult stop);
                QuickCheckResult stretch = stop != QuickCheckResult.Yes ? stop : AskAbout(utf8[boundary..next]);
                if (stretch != QuickCheckResult.Yes)
                {
                    return stretch;
                }

                i = next;
                lastRank = 0;
                continue;
            }

            // Marks outside the BMP are slow, so every mark has a rank here.
            int rank = codePoint < 0x10000 ? Unsafe.Add(ref ranks, codePoint) : 0;
            if (rank != 0 && rank < lastRank)
            {
                return QuickCheckResult.No; // canonical ordering swaps the two marks
            }

            if (rank == 0)
            {
                boundary = at;
            }

            lastRank = rank;
        }

        return QuickCheckResult.Yes;
    }

    /// <summary>
    /// Where the first starter that is not slow begins at or after <paramref name="from"/> (or the text's end), with
    /// <paramref name="stop"/> yes; no when a character before it is one the form maps away, maybe when one does not
    /// decode.
    /// </summary>
    private int NextBoundary(ref byte start, int length, int from, out QuickCheckResult stop)
    {
        int i = from;
        while (i < length)
        {
            int at = i;
            int codePoint = Decode(ref start, length, ref i);
            if (codePoint < 0)
            {
                stop = QuickCheckResult.Maybe;
                return at;
            }

            if (IsSlow(codePoint))
            {
                if (IsChange(codePoint))
                {
                    stop = QuickCheckResult.No;
                    return at;
                }
            }
            else if (RankOf(codePoint) == 0)
            {
                stop = QuickCheckResult.Yes;
                return at;
            }
        }

        stop = QuickCheckResult.Yes;
        return length;
    }

    /// <summary>The runtime's answer for one stretch around slow characters (see <see cref="CheckAskingAroundSlow"/>).</summary>
    private QuickCheckResult AskAbout(ReadOnlySpan<byte> stretch)
    {
        if (stretch.Length > LongestAskedStretch)
        {
            return QuickCheckResult.Maybe;
        }

        Span<char> chars = stackalloc char[LongestAskedStretch]; // UTF-16 never takes more chars than UTF-8 bytes
        if (System.Text.Unicode.Utf8.ToUtf16(stretch, chars, out _, out int written) != System.Buffers.OperationStatus.Done)
        {
            return QuickCheckResult.Maybe;
        }

        ReadOnlySpan<char> text = chars[..written];
        return text.Contains('\uFFFE') ? QuickCheckResult.Maybe
            : text.IsNormalized(_form) ? QuickCheckResult.Yes
            : QuickCheckResult.No;
    }

    /// <summary>Whether the form maps <paramref name="codePoint"/> (a slow one) to something else wherever it stands.</summary>
    private bool IsChange(int codePoint) => ((_changes[codePoint >> 6] >> codePoint) & 1) != 0;

    /// <summary>
    /// The code point that starts at <paramref name="i"/> of well-formed UTF-8, moving <paramref name="i"/> past it, or
    /// -1 at a byte that starts none or a sequence cut by the end. (Text that is not well formed decodes to some code
    /// point; the tests on the length keep every read inside, and the range test the table lookups.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Decode(ref byte start, int length, ref int i)
    {
        int lead = Unsafe.Add(ref start, i);
        int codePoint;
        if (lead < 0x80)
        {
            codePoint = lead;
            i++;
        }
        else if (lead < 0xE0 && i <= length - 2)
        {
            // The lead byte gives the length, and no continuation byte needs a test.
            codePoint = ((lead & 0x1F) << 6) | (Unsafe.Add(ref start, i + 1) & 0x3F);
            i += 2;
        }
        else if (lead < 0xF0 && i <= length - 3)
        {
            codePoint = ((lead & 0x0F) << 12) | ((Unsafe.Add(ref start, i + 1) & 0x3F) << 6) | (Unsafe.Add(ref start, i + 2) & 0x3F);
            i += 3;
        }
        else if (lead < 0xF5 && i <= length - 4)
        {
            codePoint = ((lead & 0x07) << 18) | ((Unsafe.Add(ref start, i + 1) & 0x3F) << 12)
                | ((Unsafe.Add(ref start, i + 2) & 0x3F) << 6) | (Unsafe.Add(ref start, i + 3) & 0x3F);
            i += 4;
        }
        else
        {
            return -1;
        }

        return (uint)codePoint < CodePoints ? codePoint : -1;
    }

    private static Task<NormalizationQuickCheck> Build(NormalizationForm form)
    {
        int index = form switch
        {
            NormalizationForm.FormC => 0,
            NormalizationForm.FormD => 1,
            NormalizationForm.FormKC => 2,
            NormalizationForm.FormKD => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Expected a Unicode normalization form."),
        };

        return Volatile.Read(ref s_builds[index]) ?? StartBuild(index, form);
    }

    /// <summary>
    /// Starts the build of <paramref name="form"/>'s tables unless another thread did. A method of its own: the lambda's
    /// capture of the form, in the caller, allocated its closure on every call, built or not.
    /// </summary>
    private static Task<NormalizationQuickCheck> StartBuild(int index, NormalizationForm form) =>
        Internal.BackgroundBuild.Start(ref s_builds[index], () => Create(form));

    /// <summary>Builds the tables of <paramref name="form"/> from the runtime's normalization (see the remarks above).</summary>
    private static NormalizationQuickCheck Create(NormalizationForm form)
    {
        bool composes = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        var slow = new ulong[CodePoints / 64];
        slow.AsSpan().Fill(ulong.MaxValue);
        var composesWithBefore = new ulong[CodePoints / 64];
        var changes = new ulong[CodePoints / 64];
        var marks = new List<int>();
        var decomposable = new List<(int CodePoint, int First)>();
        for (int codePoint = 0; codePoint <= LastBuilt; codePoint++)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF || codePoint == 0xFFFE
                || CharUnicodeInfo.GetUnicodeCategory(codePoint) == UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            string text = char.ConvertFromUtf32(codePoint);
            string decomposed = text.Normalize(NormalizationForm.FormD);
            if (decomposed != text && text.Normalize(NormalizationForm.FormC) == text)
            {
                // A primary composite (NFC keeps it): what follows its first character composes with something before it.
                for (int at = FirstLength(decomposed); at < decomposed.Length; at += char.IsSurrogatePair(decomposed, at) ? 2 : 1)
                {
                    Set(composesWithBefore, char.ConvertToUtf32(decomposed, at));
                }
            }

            if (text.Normalize(form) != text)
            {
                Set(changes, codePoint); // no text in the form holds it: it never comes out of the form's composition
                continue;
            }

            bool starter = codePoint != 0x0345 && ("a\u0345" + text).Normalize(NormalizationForm.FormD) == "a\u0345" + decomposed;
            if (!starter)
            {
                // A mark: fast only as itself (a decomposition would have to be ordered too), and inside the BMP.
                if (decomposed != text || codePoint >= 0x10000)
                {
                    continue;
                }

                marks.Add(codePoint);
            }

            slow[codePoint >> 6] &= ~(1UL << codePoint);
            if (decomposed != text)
            {
                decomposable.Add((codePoint, char.ConvertToUtf32(decomposed, 0)));
            }
        }

        if (composes)
        {
            for (int word = 0; word < slow.Length; word++)
            {
                slow[word] |= composesWithBefore[word];
            }

            // A character whose decomposition starts with one that composes with something before it composes too
            // (Unicode 16: Kirat Rai U+16D68 = U+16D67 U+16D67, so U+16D63 U+16D68 is U+16D6A in NFC).
            foreach ((int codePoint, int first) in decomposable)
            {
                if (((composesWithBefore[first >> 6] >> first) & 1) != 0)
                {
                    Set(slow, codePoint);
                }
            }
        }

        return new NormalizationQuickCheck(form, slow, changes, RankMarks(marks));
    }

    /// <summary>
    /// Ranks the combining classes of <paramref name="marks"/> in their order, 1 for the lowest: a mark's class is higher
    /// than another's exactly when canonical ordering moves the other in front of it.
    /// </summary>
    private static byte[] RankMarks(List<int> marks)
    {
        static int Compare(int x, int y)
        {
            string a = char.ConvertFromUtf32(x), b = char.ConvertFromUtf32(y);
            if (("a" + a + b).Normalize(NormalizationForm.FormD) == "a" + b + a)
            {
                return 1; // x's class is higher: y goes first
            }

            return ("a" + b + a).Normalize(NormalizationForm.FormD) == "a" + a + b ? -1 : 0;
        }

        marks.Sort(Compare);
        var ranks = new byte[0x10000];
        int rank = 0;
        for (int k = 0; k < marks.Count; k++)
        {
            if (k == 0 || Compare(marks[k - 1], marks[k]) != 0)
            {
                rank++;
            }

            ranks[marks[k]] = checked((byte)rank);
        }

        return ranks;
    }

    private static int FirstLength(string text) => text.Length > 1 && char.IsSurrogatePair(text, 0) ? 2 : 1;

    private static void Set(ulong[] bits, int codePoint) => bits[codePoint >> 6] |= 1UL << codePoint;
}

/// <summary>The answer of <see cref="NormalizationQuickCheck.Check"/>.</summary>
internal enum QuickCheckResult
{
    /// <summary>The form leaves the text as it is.</summary>
    Yes,

    /// <summary>The form changes the text.</summary>
    No,

    /// <summary>Only the normalization can tell.</summary>
    Maybe,
}
