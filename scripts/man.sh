#!/usr/bin/env bash
# Builds the context-sync man page with swift-argument-parser's `generate-manual` plugin (it ships
# with the package, so Package.swift needs nothing) and copies it to OUT (default
# .build/man/context-sync.1), which it prints. The page is generated from the same help text as
# `--help`, so it never drifts from the binary.
#   scripts/man.sh                          # -> .build/man/context-sync.1
#   scripts/man.sh --out DIR                # -> DIR/context-sync.1
#   man -l .build/man/context-sync.1        # read it without installing
#   install -Dm644 .build/man/context-sync.1 ~/.local/share/man/man1/context-sync.1
# Works offline once the package's dependencies are checked out (any `swift build` did that).
# Exit codes: 0 written, 1 the plugin failed, 2 usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { printf 'man.sh: error: %s (usage: scripts/man.sh [--out DIR])\n' "$1" >&2; exit 2; }

out=.build/man
while [ $# -gt 0 ]; do
    case "$1" in
    --out) [ $# -ge 2 ] || usage "--out needs a directory"; out=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage "unknown argument $1" ;;
    esac
done

# The plugin writes into its work directory; a fresh one so a stale page is never copied.
work=.build/plugins/GenerateManual/outputs
rm -rf "$work"
if ! swift package --disable-sandbox generate-manual --configuration debug >&2; then
    echo "man.sh: error: swift package generate-manual failed (see above)" >&2
    exit 1
fi
page=$(find "$work" -name 'context-sync.1' -type f | head -n 1)
[ -n "$page" ] || { echo "man.sh: error: the plugin wrote no context-sync.1 under $work" >&2; exit 1; }
mkdir -p "$out"
cp "$page" "$out/context-sync.1.tmp" && mv "$out/context-sync.1.tmp" "$out/context-sync.1"
echo "$out/context-sync.1"
