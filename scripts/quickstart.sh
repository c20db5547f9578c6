#!/usr/bin/env bash
# The README's "run the main job" command for a newcomer: installs libgit2 + pkg-config if missing,
# builds context-sync, and runs `context-sync demo` — the whole pipeline (sessions -> learnings ->
# secret check -> learnings.md -> commit -> push) on sample sessions in a throwaway repository with a
# throwaway bare remote under a temporary directory, printing learnings.md and the git log.
# Arguments go to `demo` (e.g. --keep). Nothing outside the temporary directory is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(bash scripts/bootstrap.sh)
exec "$bin" demo "$@"
