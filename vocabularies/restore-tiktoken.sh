#!/usr/bin/env bash
# Restores the four OpenAI tiktoken rank files in the standard `.tiktoken` form
# (one line per token: base64(token bytes) + ' ' + rank, LF line ends) into vocabularies/tiktoken/:
#
#   o200k_base, cl100k_base  <- NuGet Microsoft.ML.Tokenizers.Data.O200kBase / .Cl100kBase 2.0.1
#                               (embedded resource "<name>.tiktoken.deflate": raw Deflate of a text whose
#                               first line is "Capacity: N", then one base64 token per line, CRLF, no ranks:
#                               rank = line index after the header)
#   p50k_base, r50k_base     <- npm tiktoken@1.0.22, encoders/<name>.json, field "bpe_ranks"
#                               (lines "<x> <offset> <b64> <b64> ...": consecutive ranks from offset)
#
# Needs: dotnet (SDK 8+), node + npm (with network access to NuGet and the npm registry).
# Then verifies every file against npm tiktoken (WASM core): for every rank r, decode_single_token_bytes(r)
# must equal the base64-decoded token of line r, and the line count must equal the number of ranks.
# Writes vocabularies/tiktoken/SHA256SUMS.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
OUT="$HERE/tiktoken"
GOLDENS="$REPO/tools/goldens"
WORK="$(mktemp -d /tmp/restore-tiktoken.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# --- npm tiktoken (pinned by tools/goldens/package-lock.json) ---
if [ ! -f "$GOLDENS/node_modules/tiktoken/package.json" ]; then
  (cd "$GOLDENS" && npm ci --no-audit --no-fund)
fi

# --- NuGet: extract the deflated resources with a throwaway console project ---
mkdir -p "$WORK/extract"
cat > "$WORK/extract/extract.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net8.0</TargetFramework>
    <RollForward>Major</RollForward>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML.Tokenizers.Data.O200kBase" Version="[2.0.1]" />
    <PackageReference Include="Microsoft.ML.Tokenizers.Data.Cl100kBase" Version="[2.0.1]" />
  </ItemGroup>
</Project>
XML
cat > "$WORK/extract/Program.cs" <<'CS'
using System.IO.Compression;
using System.Reflection;
using System.Text;

// args: outDir
var outDir = args[0];
foreach (var (asmName, res, name) in new[] {
    ("Microsoft.ML.Tokenizers.Data.O200kBase", "o200k_base.tiktoken.deflate", "o200k_base"),
    ("Microsoft.ML.Tokenizers.Data.Cl100kBase", "cl100k_base.tiktoken.deflate", "cl100k_base") })
{
    var asm = Assembly.Load(asmName);
    using var raw = asm.GetManifestResourceStream(res) ?? throw new Exception($"no resource {res} in {asmName}");
    using var inflated = new DeflateStream(raw, CompressionMode.Decompress);
    using var reader = new StreamReader(inflated, new UTF8Encoding(false));
    var header = reader.ReadLine() ?? throw new Exception("empty");
    if (!header.StartsWith("Capacity: ")) throw new Exception($"unexpected header {header}");
    var capacity = int.Parse(header.Substring("Capacity: ".Length));
    var sb = new StringBuilder();
    int rank = 0;
    string? line;
    while ((line = reader.ReadLine()) != null)
    {
        if (line.Length == 0) continue;
        var b64 = line.Split(' ')[0];
        Convert.FromBase64String(b64); // validate
        sb.Append(b64).Append(' ').Append(rank).Append('\n');
        rank++;
    }
    File.WriteAllText(Path.Combine(outDir, name + ".tiktoken"), sb.ToString(), new UTF8Encoding(false));
    Console.WriteLine($"{name}: {rank} tokens (header Capacity: {capacity}) from {asmName} 2.0.1");
}
CS
# Ensure the data assemblies are loadable from the app's output folder.
(cd "$WORK/extract" && dotnet run -c Release -- "$OUT")

# --- npm: p50k_base / r50k_base from tiktoken's encoders/*.json, then verify all four ---
cat > "$WORK/tiktoken-files.cjs" <<'JS'
const fs = require("fs"), path = require("path"), crypto = require("crypto");
const [goldens, outDir] = process.argv.slice(2);
const tk = require(path.join(goldens, "node_modules/tiktoken"));
const version = JSON.parse(fs.readFileSync(path.join(goldens, "node_modules/tiktoken/package.json"), "utf8")).version;
function ranksFromJson(name) {
  const j = JSON.parse(fs.readFileSync(path.join(goldens, "node_modules/tiktoken/encoders", name + ".json"), "utf8"));
  const out = [];
  for (const line of j.bpe_ranks.split("\n")) {
    if (!line) continue;
    const [, offStr, ...toks] = line.split(" ");
    const off = parseInt(offStr, 10);
    toks.forEach((t, i) => { out[off + i] = t; });
  }
  return out;
}
for (const name of ["p50k_base", "r50k_base"]) {
  const ranks = ranksFromJson(name);
  let s = "";
  let n = 0;
  // p50k_base has a hole at 50256 (the rank of the special <|endoftext|>): ranks are written explicitly
  for (let r = 0; r < ranks.length; r++) {
    if (ranks[r] === undefined) { console.log(`${name}: no ordinary token has rank ${r}`); continue; }
    s += ranks[r] + " " + r + "\n";
    n++;
  }
  fs.writeFileSync(path.join(outDir, name + ".tiktoken"), s);
  console.log(`${name}: ${n} tokens (max rank ${ranks.length - 1}) from npm tiktoken@${version} encoders/${name}.json`);
}
const sums = [];
for (const name of ["o200k_base", "cl100k_base", "p50k_base", "r50k_base"]) {
  const file = path.join(outDir, name + ".tiktoken");
  const data = fs.readFileSync(file);
  const lines = data.toString("latin1").split("\n");
  if (lines.pop() !== "") throw new Error(`${name}: missing final LF`);
  const enc = tk.get_encoding(name);
  const json = ranksFromJson(name);
  const jsonCount = json.filter((x) => x !== undefined).length;
  if (jsonCount !== lines.length) throw new Error(`${name}: ${lines.length} lines but npm json has ${jsonCount} ranks`);
  let prev = -1;
  lines.forEach((ln) => {
    const [b64, rankStr] = ln.split(" ");
    const r = +rankStr;
    if (!(r > prev)) throw new Error(`${name}: ranks not increasing at ${ln}`);
    prev = r;
    if (json[r] !== b64) throw new Error(`${name}: rank ${r} differs from npm encoders json`);
    const mine = Buffer.from(b64, "base64");
    const theirs = Buffer.from(enc.decode_single_token_bytes(r));
    if (!mine.equals(theirs)) throw new Error(`${name}: rank ${r} bytes differ from tiktoken decode`);
    if (enc.encode_single_token(mine) !== r) throw new Error(`${name}: encode_single_token differs at ${r}`);
  });
  enc.free();
  const sha = crypto.createHash("sha256").update(data).digest("hex");
  sums.push(`${sha}  ${name}.tiktoken`);
  console.log(`verified ${name}: ${lines.length} tokens, max rank ${prev} == npm tiktoken@${version} (decode_single_token_bytes, encode_single_token, encoders json)`);
}
fs.writeFileSync(path.join(outDir, "SHA256SUMS"), sums.join("\n") + "\n");
JS
node "$WORK/tiktoken-files.cjs" "$GOLDENS" "$OUT"
(cd "$OUT" && sha256sum -c SHA256SUMS)
