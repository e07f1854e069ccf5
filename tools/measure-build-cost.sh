#!/usr/bin/env bash
# Measures what compiling o200k_base into a consumer costs at build time: a clean build and a rebuild after
# an unrelated edit, for the QuickStart sample with and without the [Tokenizer] declaration and vocabulary.
# Usage: tools/measure-build-cost.sh [runs]   (needs the package packed into artifacts/packages first:
#        dotnet pack src/Runtime -c Release -o artifacts/packages)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
packages="$work/packages"

make_consumer() { # $1 = folder, $2 = with|without
  mkdir -p "$1"
  cp "$root/samples/QuickStart/Program.cs" "$1/"
  sed "s#../../vocabularies/tiktoken/o200k_base.tiktoken#$root/vocabularies/tiktoken/o200k_base.tiktoken#" \
    "$root/samples/QuickStart/QuickStart.csproj" > "$1/QuickStart.csproj"
  printf '<configuration><packageSources><clear /><add key="local" value="%s" /></packageSources></configuration>' \
    "$root/artifacts/packages" > "$1/nuget.config"
  echo '<Project />' > "$1/Directory.Build.props"; echo '<Project />' > "$1/Directory.Packages.props"
  if [ "$2" = without ]; then
    # Same package, no vocabulary: the program prints a constant instead of tokenizing.
    sed -i '/TokenizerVocabulary/d' "$1/QuickStart.csproj"
    printf 'System.Console.WriteLine("no tokenizer");\n' > "$1/Program.cs"
  fi
  dotnet restore "$1" --packages "$packages" >/dev/null
}

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN {printf "%.2f", e - s}'; }

for variant in without with; do
  dir="$work/$variant"; make_consumer "$dir" "$variant"
  for i in $(seq "$runs"); do
    dotnet build-server shutdown >/dev/null 2>&1 || true
    rm -rf "$dir/bin" "$dir/obj/Debug"
    clean=$(seconds dotnet build "$dir" --no-restore)
    echo "// edit $i" >> "$dir/Program.cs"
    rebuild=$(seconds dotnet build "$dir" --no-restore)
    echo "$variant run $i: clean ${clean}s, rebuild after unrelated edit ${rebuild}s"
  done
done
