#!/usr/bin/env bash
# Cold start: wall time of a process that has o200k_base compiled in (samples/QuickStart, built from the packed
# package) against a hello-world process, both run N times; prints best and mean of each and the difference.
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

measure() { # label, dll
  local best=999999 total=0 t s e
  for _ in $(seq 1 "$runs"); do
    s=$(date +%s%N); dotnet "$2" > /dev/null; e=$(date +%s%N)
    t=$(( (e - s) / 1000000 )); total=$((total + t)); [ "$t" -lt "$best" ] && best=$t
  done
  echo "$1: best $best ms, mean $((total / runs)) ms" >&2
  echo "$best"
}

for mode in jit r2r; do
  for app in Hello QuickStart; do
    if [ "$mode" = jit ]; then
      dotnet build "$work/$app" -c Release -o "$work/out-$mode-$app" > /dev/null
    else
      dotnet publish "$work/$app" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/out-$mode-$app" > /dev/null
    fi
  done
  hello=$(measure "$mode hello world" "$work/out-$mode-Hello/Hello.dll")
  sample=$(measure "$mode o200k sample (encode + decode + print)" "$work/out-$mode-QuickStart/QuickStart.dll")
  echo "$mode: the o200k process takes $((sample - hello)) ms more than hello world (best of $runs each)"
done
