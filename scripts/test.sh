#!/usr/bin/env bash
# Installs what the tests need (libgit2, pkg-config, git) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --deps
swift build --build-tests
swift test --skip-build "$@"
