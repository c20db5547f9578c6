#!/usr/bin/env bash
# Digest token coverage on real sessions: for each session in Tests/Eval/reference-bullets.json,
# how many of the tokens that carry its reference learnings are in that session's digest page at
# a budget, and the page and full digest sizes.
#
#   scripts/eval-digest.sh            # at 25000 characters (the default page)
#   scripts/eval-digest.sh 80000      # at another budget
#
# Needs ../shared/fixtures/claude-transcripts beside the package (as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-25000}"
case "$budget" in ''|*[!0-9]*) echo "eval-digest: the budget must be a number of characters, got '$budget'" >&2; exit 2 ;; esac
if [ ! -d ../shared/fixtures/claude-transcripts ]; then
  echo "eval-digest: ../shared/fixtures/claude-transcripts not found beside the package" >&2
  exit 2
fi
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
swift build --build-tests >/dev/null
if ! CONTEXT_SYNC_EVAL_BUDGET="$budget" CONTEXT_SYNC_EVAL_REPORT="$report" \
    swift test --skip-build --filter DigestEvalTests >"$report.log" 2>&1; then
  cat "$report" 2>/dev/null || true
  echo "eval-digest: the coverage test failed (log: $report.log)" >&2
  exit 1
fi
rm -f "$report.log"
cat "$report"
