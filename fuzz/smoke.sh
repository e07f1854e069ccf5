#!/usr/bin/env bash
# The short fuzzing run CI does on every submission: replay every past finding, then mutate the seeds of each
# target for a few seconds with the harness's built-in mutator (no AFL needed). Exits non-zero on a crash.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
cd "$root"
dotnet build fuzz/TokenizerCompiler.Fuzz -c Release >/dev/null
harness="fuzz/TokenizerCompiler.Fuzz/bin/Release/net10.0/TokenizerCompiler.Fuzz.dll"
for target in encode tiktoken image tokenizer-json; do
  if [ -d "fuzz/regressions/$target" ]; then dotnet "$harness" "$target" --replay "fuzz/regressions/$target"; fi
  seed=${FUZZ_SEED:-$RANDOM}
  echo "smoke $target: seed $seed (FUZZ_SEED=$seed reproduces it)"
  dotnet "$harness" "$target" --smoke "fuzz/seeds/$target" "$seconds" "$seed"
done
