// Golden ids for the SentencePiece tokenizer.model files in ../shared/vocabularies (Llama 2), from the official
// SentencePiece C++ core compiled to WebAssembly (npm @agnai/sentencepiece-js, pinned in package.json).
// Each corpus file is encoded whole, as UTF-8 text, in one encodeIds call; output: gzip of uint32 LE ids.
//
// usage: (cd tools/goldens && npm ci && node sentencepiece-goldens.mjs)
import sentencepiece from "@agnai/sentencepiece-js";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const shared = path.resolve(repo, "../shared/vocabularies");
const corpusDir = path.join(repo, "tests/data/corpus");
const outRoot = path.join(repo, "tests/data/goldens/sentencepiece");
const version = JSON.parse(fs.readFileSync(path.join(here, "node_modules/@agnai/sentencepiece-js/package.json"), "utf8")).version;

const models = [{ name: "llama2", file: path.join(shared, "llama2-sentencepiece/tokenizer.model") }];
const manifest = {
  generator: "tools/goldens/sentencepiece-goldens.mjs",
  reference: `npm @agnai/sentencepiece-js ${version} (google/sentencepiece compiled to WebAssembly)`,
  format: "gzip of uint32 little-endian token ids",
  encode: "SentencePieceProcessor.load(model); encodeIds(text) on the whole corpus file (UTF-8, no BOM)",
  models: {},
};
for (const model of models) {
  const spp = new sentencepiece.SentencePieceProcessor();
  await spp.load(model.file);
  const outDir = path.join(outRoot, model.name);
  fs.mkdirSync(outDir, { recursive: true });
  const files = {};
  for (const file of fs.readdirSync(corpusDir).filter((f) => f.endsWith(".txt")).sort()) {
    const text = fs.readFileSync(path.join(corpusDir, file), "utf8");
    const ids = spp.encodeIds(text);
    const buf = Buffer.alloc(ids.length * 4);
    ids.forEach((id, i) => buf.writeUInt32LE(id, i * 4));
    fs.writeFileSync(path.join(outDir, file.replace(/\.txt$/, ".ids.gz")), zlib.gzipSync(buf, { level: 9 }));
    files[file] = { ids: ids.length };
  }
  manifest.models[model.name] = {
    source: path.relative(repo, model.file),
    sha256: crypto.createHash("sha256").update(fs.readFileSync(model.file)).digest("hex"),
    files,
  };
}
fs.writeFileSync(path.join(outRoot, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
console.log("wrote", outRoot);
