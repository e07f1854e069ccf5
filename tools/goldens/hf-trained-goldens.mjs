// Unigram, WordPiece and WordLevel tokenizers have no published vocabulary among the project's real ones, so this
// script has Hugging Face's Rust core (npm tokenizers, pinned in package.json) TRAIN them on real corpus text, saves
// each tokenizer.json under tests/data/vocabularies/trained/<name>/ and writes golden ids for every corpus file
// (each file encoded whole, addSpecialTokens false) under tests/data/goldens/hf/<name>/, plus manifest-trained.json.
// An unknown token (and, for one Unigram model, <0xXX> byte pieces with byte_fallback) is added to the trained
// vocabulary afterwards, because the node binding exposes no trainer options. Training is not bit-for-bit
// reproducible run to run, so each run rewrites the tokenizers and their goldens together: commit both.
//
// usage: (cd tools/goldens && npm ci && node hf-trained-goldens.mjs)
import tokenizers from "tokenizers";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const { Tokenizer, Unigram, WordPiece, WordLevel } = tokenizers;
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const corpusDir = path.join(repo, "tests/data/corpus");
const trainFiles = ["prose-en-python-faq.txt", "legal-gnu-licences.txt", "russian.txt", "cjk-ja.txt"].map((f) => path.join(corpusDir, f));

function configure(name) {
  switch (name) {
    case "trained-unigram":
    case "trained-unigram-bytefallback": {
      const t = new Tokenizer(Unigram.empty());
      t.setNormalizer(tokenizers.nfkcNormalizer());
      t.setPreTokenizer(tokenizers.metaspacePreTokenizer());
      t.setDecoder(tokenizers.metaspaceDecoder());
      return t;
    }
    case "trained-wordpiece-bert": {
      const t = new Tokenizer(WordPiece.empty());
      t.setNormalizer(tokenizers.bertNormalizer());
      t.setPreTokenizer(tokenizers.bertPreTokenizer());
      return t;
    }
    case "trained-wordpiece": {
      const t = new Tokenizer(WordPiece.empty());
      t.setNormalizer(tokenizers.sequenceNormalizer([tokenizers.nfdNormalizer(), tokenizers.lowercase(), tokenizers.stripAccentsNormalizer()]));
      t.setPreTokenizer(tokenizers.bertPreTokenizer());
      return t;
    }
    default: {
      const t = new Tokenizer(WordLevel.empty());
      t.setPreTokenizer(tokenizers.sequencePreTokenizer([tokenizers.whitespacePreTokenizer(), tokenizers.digitsPreTokenizer(true)]));
      return t;
    }
  }
}

function addUnknown(name, json) {
  const model = json.model;
  if (model.type === "Unigram") {
    model.vocab.push(["<unk>", 0.0]);
    model.unk_id = model.vocab.length - 1;
    if (name.endsWith("bytefallback")) {
      for (let b = 0; b < 256; b++) model.vocab.push([`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, -30.0]);
      model.byte_fallback = true;
    }
  } else {
    const size = Object.keys(model.vocab).length;
    if (model.unk_token && !(model.unk_token in model.vocab)) model.vocab[model.unk_token] = size;
  }
  return json;
}

const names = ["trained-unigram", "trained-unigram-bytefallback", "trained-wordpiece", "trained-wordpiece-bert", "trained-wordlevel"];
const corpus = fs.readdirSync(corpusDir).filter((f) => f.endsWith(".txt")).sort();
const manifest = { generator: "tools/goldens/hf-trained-goldens.mjs", train_files: trainFiles.map((f) => path.basename(f)), tokenizers: {} };
for (const name of names) {
  const trained = configure(name);
  trained.train(trainFiles);
  const tmp = path.join(repo, "tests/data/vocabularies/trained", name + ".tmp.json");
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  trained.save(tmp);
  const json = addUnknown(name, JSON.parse(fs.readFileSync(tmp, "utf8")));
  fs.rmSync(tmp);
  const dir = path.join(repo, "tests/data/vocabularies/trained", name);
  fs.mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(json);
  fs.writeFileSync(path.join(dir, "tokenizer.json"), text);
  const tokenizer = Tokenizer.fromString(text);
  const out = path.join(repo, "tests/data/goldens/hf", name);
  fs.mkdirSync(out, { recursive: true });
  manifest.tokenizers[name] = { model: json.model.type, vocabulary: tokenizer.getVocabSize(true), files: {} };
  for (const file of corpus) {
    const enc = await tokenizer.encode(fs.readFileSync(path.join(corpusDir, file), "utf8"), null, { addSpecialTokens: false });
    const ids = enc.getIds();
    const buf = Buffer.alloc(ids.length * 4);
    ids.forEach((id, i) => buf.writeUInt32LE(id, i * 4));
    fs.writeFileSync(path.join(out, file.replace(/\.txt$/, ".ids.gz")), zlib.gzipSync(buf, { level: 9 }));
    manifest.tokenizers[name].files[file] = { ids: ids.length };
  }
  console.log(name, json.model.type, tokenizer.getVocabSize(true));
}
fs.writeFileSync(path.join(repo, "tests/data/goldens/hf/manifest-trained.json"), JSON.stringify(manifest, null, 1) + "\n");
