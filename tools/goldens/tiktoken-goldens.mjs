// Golden token ids from OpenAI tiktoken (npm `tiktoken`, the Rust core compiled to WASM).
//
// For o200k_base, cl100k_base, p50k_base and r50k_base, every corpus file
// (tests/data/corpus/*.txt, read as UTF-8, whole file as one string) is encoded with
// encode_ordinary (special-token text is plain text) and written to
//   tests/data/goldens/tiktoken/<encoding>/<corpus-file-without-.txt>.ids.gz
// as gzip(uint32 little-endian ids).  Also writes specials.json and manifest.json.
//
// usage: (cd tools/goldens && npm ci && node tiktoken-goldens.mjs)
import { get_encoding } from "tiktoken";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const corpusDir = path.join(repo, "tests/data/corpus");
const outDir = path.join(repo, "tests/data/goldens/tiktoken");
const tiktokenVersion = JSON.parse(fs.readFileSync(path.join(here, "node_modules/tiktoken/package.json"), "utf8")).version;

const ENCODINGS = ["o200k_base", "cl100k_base", "p50k_base", "r50k_base"];

export function idsToGzip(ids) {
  const buf = Buffer.alloc(ids.length * 4);
  for (let i = 0; i < ids.length; i++) buf.writeUInt32LE(ids[i], i * 4);
  // mtime-free, deterministic gzip
  return zlib.gzipSync(buf, { level: 9 });
}

const sha256 = (b) => crypto.createHash("sha256").update(b).digest("hex");

const files = fs.readdirSync(corpusDir).filter((f) => f.endsWith(".txt")).sort();
const manifest = {
  generator: "tools/goldens/tiktoken-goldens.mjs",
  tiktoken: tiktokenVersion,
  format: "gzip of uint32 little-endian token ids",
  input: "whole corpus file decoded as UTF-8 (no BOM in any file), encoded in one call",
  method: "encode_ordinary(text): special-token text is encoded as ordinary text",
  corpus: {},
  encodings: {},
};
for (const f of files) {
  const bytes = fs.readFileSync(path.join(corpusDir, f));
  manifest.corpus[f] = { bytes: bytes.length, sha256: sha256(bytes) };
}

const SPECIAL_SAMPLES = [
  "<|endoftext|>",
  "Hello world<|endoftext|>The next document starts here.",
  "<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n    return c<|fim_middle|>c = a + b",
  "Summarize the text below.<|endofprompt|> The text is about tokenizers.",
  "A <|endoftext|> in the middle, and a fake <|endoftext |> that is not special.",
  "<|im_start|>user\nhi<|im_end|>",
  "<|endoftext|><|endoftext|>",
];

const specials = { tiktoken: tiktokenVersion, encodings: {} };
for (const name of ENCODINGS) {
  const enc = get_encoding(name);
  fs.mkdirSync(path.join(outDir, name), { recursive: true });
  const per = {};
  for (const f of files) {
    const text = fs.readFileSync(path.join(corpusDir, f), "utf8");
    const t0 = Date.now();
    const ids = enc.encode_ordinary(text);
    const gz = idsToGzip(ids);
    const out = path.join(outDir, name, f.replace(/\.txt$/, "") + ".ids.gz");
    fs.writeFileSync(out, gz);
    // round trip check
    const back = Buffer.from(enc.decode(ids)).toString("utf8");
    if (back !== text) throw new Error(`${name} ${f}: decode(encode(x)) != x`);
    per[f] = { ids: ids.length, sha256_ids_u32le: sha256(gunzipped(gz)) };
    console.log(`${name}\t${f}\t${ids.length} ids\t${Date.now() - t0} ms`);
  }
  manifest.encodings[name] = { n_vocab: enc.token_byte_values().length, files: per };

  const samples = [];
  for (const s of SPECIAL_SAMPLES) {
    const all = Array.from(enc.encode(s, "all"));
    const ordinary = Array.from(enc.encode_ordinary(s));
    samples.push({ text: s, encode_all: all, encode_ordinary: ordinary });
  }
  specials.encodings[name] = samples;
  enc.free();
}

function gunzipped(gz) {
  return zlib.gunzipSync(gz);
}

fs.writeFileSync(path.join(outDir, "specials.json"), JSON.stringify(specials, null, 1) + "\n");
fs.writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
console.log("done");
