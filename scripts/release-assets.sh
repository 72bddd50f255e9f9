#!/bin/sh
# Generate what the release archives ship beside the binary: shell
# completions (bash, zsh, fish, powershell) and man pages, into dist-assets/.
# goreleaser runs it as a before hook (hooks get no shell, hence a script):
#   sh scripts/release-assets.sh [VERSION [DATE]]
# VERSION and DATE (RFC 3339, the commit's) go into the man pages' footer,
# so two builds of one commit make the same pages; without them the pages
# say "dev" and today's date.
set -eu
cd "$(dirname "$0")/.."
version=${1:-}
date=${2:-}
out=dist-assets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One host build serves every step: the same code path as `go run .`, linked
# once. The version is stamped so the man pages name the release.
ldflags=
[ -n "$version" ] && ldflags="-X main.version=$version"
[ -n "$date" ] && ldflags="$ldflags -X main.date=$date"
CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/rolesw" .

rm -rf "$out"
mkdir -p "$out/completions" "$out/man"
"$tmp/rolesw" completion bash >"$out/completions/rolesw.bash"
"$tmp/rolesw" completion zsh >"$out/completions/_rolesw"
"$tmp/rolesw" completion fish >"$out/completions/rolesw.fish"
"$tmp/rolesw" completion powershell >"$out/completions/rolesw.ps1"
"$tmp/rolesw" man "$out/man" >/dev/null

for f in "$out"/completions/*; do
  [ -s "$f" ] || { echo "release-assets: $f is empty" >&2; exit 1; }
done
[ -s "$out/man/rolesw.1" ] || { echo "release-assets: $out/man/rolesw.1 missing" >&2; exit 1; }
echo "release-assets: $(ls "$out/completions" | wc -l) completions, $(ls "$out/man" | wc -l) man pages in $out"
