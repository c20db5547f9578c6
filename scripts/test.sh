#!/usr/bin/env bash
# Installs what the tests need (libgit2, pkg-config, git) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# lighttpd, openssh-server/-client and openssl run the loopback git servers of the push tests.
bash scripts/bootstrap.sh --deps lighttpd openssh-server openssh-client openssl
swift build --build-tests
swift test --skip-build "$@"
