#!/usr/bin/env bash
# Installs context-sync where it survives the clone: builds the release binary (through
# scripts/bootstrap.sh, which installs libgit2 and pkg-config when missing) and COPIES it to
# --prefix DIR (default ~/.local/bin), so `swift package clean` or deleting the clone breaks
# nothing that was installed (timer, cron, launchd, claude-hook, hook all default to this path).
#   scripts/install.sh                      # -> ~/.local/bin/context-sync
#   scripts/install.sh --prefix /usr/local/bin
#   scripts/install.sh --binary PATH        # install an already built binary (no build)
# Exit codes: 0 installed, 1 build or copy failed, 2 usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { printf 'install.sh: error: %s (usage: scripts/install.sh [--prefix DIR] [--binary PATH])\n' "$1" >&2; exit 2; }

prefix="${HOME:?HOME is not set}/.local/bin"
bin=""
while [ $# -gt 0 ]; do
    case "$1" in
    --prefix) [ $# -ge 2 ] || usage "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --binary) [ $# -ge 2 ] || usage "--binary needs the path of a built context-sync"; bin=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage "unknown argument $1" ;;
    esac
done
[ -n "$prefix" ] || usage "--prefix is empty"
if [ -z "$bin" ]; then
    bin=$(bash scripts/bootstrap.sh)
fi
[ -x "$bin" ] && [ -f "$bin" ] || { echo "install.sh: error: $bin is not an executable file" >&2; exit 1; }

mkdir -p "$prefix"
dest="$prefix/context-sync"
# Copy next to the destination, then rename: a running timer never sees half a binary, and a
# symlink already at $dest is replaced, not written through.
tmp=$(mktemp "$prefix/.context-sync.XXXXXX")
trap 'rm -f "$tmp"' EXIT
cp "$bin" "$tmp"
chmod 755 "$tmp"
mv -f "$tmp" "$dest"
trap - EXIT
echo "installed $dest"
case ":${PATH:-}:" in
*":$prefix:"*) echo "it is on your PATH: run 'context-sync --help'" ;;
*) echo "$prefix is not on your PATH: add 'export PATH=\"$prefix:\$PATH\"' to your shell's profile" ;;
esac
