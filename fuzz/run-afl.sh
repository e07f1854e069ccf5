#!/usr/bin/env bash
# Coverage-guided fuzzing with AFL++ and SharpFuzz. Usage: fuzz/run-afl.sh <encode|tiktoken|image> [seconds]
# Needs afl++ (Debian package) and the repository's dotnet tools (dotnet tool restore installs sharpfuzz).
# Findings land in $OUT/<target>/default/crashes; copy each into fuzz/regressions/<target>/ and add a test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?target: encode, tiktoken or image}
seconds=${2:-600}
out=${OUT_DIR:-/tmp/tkc-afl}
bin="$out/bin"
cd "$root"
dotnet tool restore >/dev/null
rm -rf "$bin"
dotnet publish fuzz/TokenizerCompiler.Fuzz -c Release -o "$bin" >/dev/null
# Instrument the code under test (not the harness, not the framework).
for dll in TokenizerCompiler.dll TokenizerCompiler.Core.dll; do dotnet sharpfuzz "$bin/$dll" >/dev/null; done
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 TKC_REPOSITORY="$root"
rm -rf "${out:?}/$target"
timeout --preserve-status "$seconds" afl-fuzz -i "fuzz/seeds/$target" -o "$out/$target" -t 10000 -m none \
  -- dotnet "$bin/TokenizerCompiler.Fuzz.dll" "$target" || true
stats="$out/$target/default/fuzzer_stats"
execs=$(awk -F: '/^execs_done/ {gsub(/ /, "", $2); print $2}' "$stats")
crashes=$(awk -F: '/^saved_crashes|^unique_crashes/ {gsub(/ /, "", $2); print $2}' "$stats" | head -n 1)
echo "afl $target: $execs executions in $seconds s, $crashes crashes (findings in $out/$target/default/crashes)"
