#!/usr/bin/env bash
# Release check for rolesw: install a pinned goreleaser, validate
# .goreleaser.yaml, make a snapshot release (binaries and archives, nothing
# published) and check what a user would download: six binaries, archives
# holding README, LICENSE, completions and man pages, and a linux/amd64 binary
# whose `rolesw version` names the snapshot version and the commit.
# Called by .ci/run; also runs alone: bash .ci/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { printf '\n=== release: %s (%ds)\n' "$*" $((SECONDS - start)); }
fail() { echo "release.sh: $*" >&2; exit 1; }

# v2.17.0 is the newest release that builds with Go 1.26: its go.mod asks for
# 1.26.4, v2.18.x asks for 1.27. GOTOOLCHAIN=local: never download another
# toolchain. ROLESW_CI_BIN moves the cache (default ~/.cache/rolesw-ci/bin).
goreleaser_version=v2.17.0
bin_dir=${ROLESW_CI_BIN:-$HOME/.cache/rolesw-ci/bin}
goreleaser=$bin_dir/goreleaser
export GOTOOLCHAIN=local

step "goreleaser $goreleaser_version"
# Reuse the cached binary only if it is the pinned version (go version -m
# reads the module version the binary was built from).
if ! go version -m "$goreleaser" 2>/dev/null |
  grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/goreleaser/goreleaser/v2[[:space:]]+$goreleaser_version[[:space:]]"; then
  mkdir -p "$bin_dir"
  GOBIN=$bin_dir go install "github.com/goreleaser/goreleaser/v2@$goreleaser_version"
fi
"$goreleaser" --version | grep -E 'GitVersion|GoVersion' || true
# `release.sh install` stops here: .ci/run builds goreleaser in the
# background while the tests run.
[ "${1:-}" = install ] && exit 0

# goreleaser reads the commit and its date only when `git ls-remote
# --get-url` answers; without a remote (a fresh `git init`, a scratch tree)
# a snapshot gets commit "none". Name the project's URL for goreleaser's git
# calls alone, through git's environment config: the repository's own config
# is untouched and nothing is fetched.
if ! git ls-remote --get-url >/dev/null 2>&1; then
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url \
    GIT_CONFIG_VALUE_0=https://github.com/rolesw/rolesw.git
fi

step "goreleaser check"
"$goreleaser" check

step "snapshot release (nothing published)"
# --snapshot tolerates a dirty tree and no tags; the version comes from
# snapshot.version_template.
"$goreleaser" release --snapshot --clean --skip=publish

step "check the artifacts"
version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)
[ -n "$version" ] || fail "no version in dist/metadata.json"
echo "snapshot version: $version"

for target in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64; do
  exe=rolesw
  [[ $target == windows_* ]] && exe=rolesw.exe
  # goreleaser names the directory <id>_<os>_<arch>_<variant> (amd64_v1, arm64_v8.0).
  found=$(compgen -G "dist/rolesw_${target}*/$exe" || true)
  [ -n "$found" ] || fail "no $exe binary for $target under dist/"
  echo "binary  $found"
done

for target in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64; do
  ext=tar.gz
  [[ $target == windows_* ]] && ext=zip
  archive=dist/rolesw_${version}_${target}.$ext
  [ -f "$archive" ] || fail "missing archive $archive"
  echo "archive $archive"
done

archive=dist/rolesw_${version}_linux_amd64.tar.gz
contents=$(tar -tzf "$archive")
for want in rolesw README.md LICENSE completions/rolesw.bash completions/_rolesw \
  completions/rolesw.fish completions/rolesw.ps1 man/rolesw.1 man/rolesw-exec.1; do
  grep -qx "$want" <<<"$contents" || { echo "$contents" >&2; fail "$archive lacks $want"; }
done
echo "$archive holds: $(tr '\n' ' ' <<<"$contents")"
grep -q "$(sha256sum "$archive" | cut -d' ' -f1)  $(basename "$archive")" dist/checksums.txt ||
  fail "dist/checksums.txt has no correct line for $(basename "$archive")"

[ -s dist/scoop/bucket/rolesw.json ] || fail "no Scoop manifest dist/scoop/bucket/rolesw.json"

linux_bin=$(compgen -G "dist/rolesw_linux_amd64*/rolesw" | head -n1)
got=$("$linux_bin" version)
echo "$linux_bin version: $got"
# The commit goreleaser built (metadata.json), not HEAD now: in a shared
# tree someone may commit while the build runs. It must be a real commit,
# not the "none" of a snapshot without git information.
full_commit=$(sed -n 's/.*"commit":"\([^"]*\)".*/\1/p' dist/metadata.json)
git cat-file -e "${full_commit}^{commit}" 2>/dev/null ||
  fail "dist/metadata.json names commit \"$full_commit\", not a commit of this repository"
commit=${full_commit:0:12}
[[ $got == "rolesw $version (commit $commit, built "* ]] ||
  fail "want \"rolesw $version (commit $commit, built ...)\", got \"$got\""

step "done in $((SECONDS - start)) s"
