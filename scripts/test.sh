#!/usr/bin/env bash
# Installs what the tests need (libgit2, pkg-config, git) and runs the whole test suite, then the
# short versions of the soak, crash and fuzz scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
# lighttpd, openssh-server/-client and openssl run the loopback git servers of the push tests.
# python3 drives the stalled server of scripts/crash.sh and the mutations of scripts/fuzz.sh.
bash scripts/bootstrap.sh --deps lighttpd openssh-server openssh-client openssl python3
swift build --build-tests
# The suite is Swift Testing only: no empty XCTest run ("Executed 0 tests") in the log.
swift test --skip-build --disable-xctest "$@"
# Short soak, crash and fuzz runs (about 30 s together) against the binary just built; the full
# versions: scripts/soak.sh, scripts/crash.sh, scripts/fuzz.sh. They need Linux (/proc, GNU tools).
if [ "$(uname -s)" = Linux ]; then
    export CONTEXT_SYNC_BIN="$(swift build --show-bin-path)/context-sync"
    bash scripts/soak.sh --quick
    bash scripts/crash.sh --quick
    bash scripts/fuzz.sh --quick
else
    echo "test: the soak, crash and fuzz scripts need Linux; they did not run on $(uname -s)" >&2
fi
