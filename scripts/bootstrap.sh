#!/usr/bin/env bash
# Sets up a machine to build context-sync and builds it in release mode.
#   scripts/bootstrap.sh            install libgit2 + pkg-config when missing, build, print the binary path
#   scripts/bootstrap.sh --deps     only install what is missing (used by scripts/test.sh and CI)
# Idempotent: installs nothing that is already there. Debian/Ubuntu (apt) or macOS (Homebrew).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

need_pkgs=()
have_libgit2() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libgit2; }

install_deps() {
    local extra=("$@")
    if have_libgit2 && command -v git >/dev/null 2>&1 && [ ${#extra[@]} -eq 0 ]; then
        return 0
    fi
    case "$(uname -s)" in
    Linux)
        command -v apt-get >/dev/null 2>&1 || die "libgit2 and pkg-config are missing and there is no apt-get: install libgit2 (>= 1.5) development files and pkg-config with your package manager, then run this again"
        local sudo=()
        if [ "$(id -u)" -ne 0 ]; then
            if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
                die "not root and no sudo: run 'apt-get install -y libgit2-dev pkg-config git${extra[*]:+ ${extra[*]}}' as root, then run this again"
            fi
        fi
        need_pkgs=(libgit2-dev pkg-config git "${extra[@]}")
        local missing=()
        for p in "${need_pkgs[@]}"; do
            dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
        done
        [ ${#missing[@]} -eq 0 ] && return 0
        say "installing ${missing[*]} (apt)"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        ;;
    Darwin)
        command -v brew >/dev/null 2>&1 || die "Homebrew is missing: install it (https://brew.sh), then run this again"
        for p in libgit2 pkg-config; do
            brew list --versions "$p" >/dev/null 2>&1 || { say "installing $p (brew)"; brew install "$p"; }
        done
        ;;
    *) die "unsupported system $(uname -s): install libgit2 and pkg-config, then run 'swift build -c release'" ;;
    esac
    have_libgit2 || die "libgit2 is still not visible to pkg-config after installing"
}

command -v swift >/dev/null 2>&1 || die "swift is not on PATH: install a Swift 6 toolchain (https://swift.org/install) first"

if [ "${1:-}" = "--deps" ]; then
    shift
    install_deps "$@"
    exit 0
fi

install_deps
say "building (release)"
swift build -c release --product context-sync >&2
bin="$(swift build -c release --show-bin-path)/context-sync"
[ -x "$bin" ] || die "build finished but $bin is missing"
say "built $bin ($("$bin" --version))"
echo "$bin"
