#!/usr/bin/env bash
# Cold start: wall time of a process that has o200k_base compiled in (samples/QuickStart, built from the packed
# package) against a hello-world process, run alternately N times each; prints best and median of each and the
# differences.
# Run from the repository root: bash bench/cold-start/run.sh [runs]   (needs the network-free package feed only)
set -euo pipefail
runs="${1:-20}"
root="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet pack src/Runtime -c Release -o "$work/feed" > /dev/null
mkdir -p "$work/QuickStart" "$work/Hello"
cp samples/QuickStart/Program.cs samples/QuickStart/QuickStart.csproj "$work/QuickStart/"
sed -i "s|../../vocabularies/tiktoken/o200k_base.tiktoken|$root/vocabularies/tiktoken/o200k_base.tiktoken|" "$work/QuickStart/QuickStart.csproj"
cat > "$work/nuget.config" <<CONFIG
<configuration><packageSources><clear /><add key="local" value="$work/feed" /><add key="nuget" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
CONFIG
cat > "$work/Hello/Hello.csproj" <<'PROJECT'
<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>
PROJECT
echo 'System.Console.WriteLine("Hello, world!");' > "$work/Hello/Program.cs"
export NUGET_PACKAGES="$work/packages"

once() { # dll -> wall milliseconds of one run
  local s e
  s=$(date +%s%N); dotnet "$1" > /dev/null; e=$(date +%s%N)
  echo $(( (e - s) / 1000000 ))
}

# The two processes run alternately, so that the machine's drift (it is shared and noisy) affects both alike;
# prints the best and the median of each.
compare() { # mode, hello dll, sample dll
  local hello=() sample=()
  for _ in $(seq 1 "$runs"); do
    hello+=("$(once "$2")")
    sample+=("$(once "$3")")
  done
  local hb hm sb sm
  hb=$(printf '%s\n' "${hello[@]}" | sort -n | head -1); hm=$(printf '%s\n' "${hello[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  sb=$(printf '%s\n' "${sample[@]}" | sort -n | head -1); sm=$(printf '%s\n' "${sample[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  echo "$1 hello world: best $hb ms, median $hm ms; o200k sample (encode + decode + print): best $sb ms, median $sm ms"
  echo "$1: the o200k process takes $((sb - hb)) ms more than hello world (best of $runs each), $((sm - hm)) ms (median)"
}

for mode in jit r2r; do
  for app in Hello QuickStart; do
    if [ "$mode" = jit ]; then
      dotnet build "$work/$app" -c Release -o "$work/out-$mode-$app" > /dev/null
    else
      dotnet publish "$work/$app" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/out-$mode-$app" > /dev/null
    fi
  done
  compare "$mode" "$work/out-$mode-Hello/Hello.dll" "$work/out-$mode-QuickStart/QuickStart.dll"
done
