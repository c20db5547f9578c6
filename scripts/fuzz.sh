#!/usr/bin/env bash
# Fuzz test of the transcript reader, `scan` and the learnings parser with random mutations of
# real Claude Code transcript lines (byte flips, truncation, inserted quotes/braces/backslashes/
# NUL/invalid UTF-8, line duplication, deep nesting, ...). Every call must end, within its
# timeout, with a documented exit code (0-4), never a signal. The mutator is scripts/fuzz.py.
#
#   scripts/fuzz.sh [--iterations N] [--quick] [--seed S] [--timeout SECONDS] [--max-seconds S] [--keep]
#
# N inputs in all (default 2000), taken in turn by the three targets; --quick is 100 with seed 1
# unless --seed is given (what scripts/test.sh runs, at most 40 s). The corpus is $FUZZ_CORPUS, else
# ../shared/fixtures/claude-transcripts next to the repository, else the copy in
# Tests/Fixtures/claude-transcripts. Failing inputs are kept under the work directory, whose path
# is printed; their content is never printed. Exit status: 0 when there is no crash, hang, unclear
# error or leak, 1 otherwise, 2 for a usage or setup error.
set -euo pipefail
PROVE_NAME=fuzz
source "$(dirname "$0")/prove-lib.sh"

iterations=2000 seed="" timeout=10 max_seconds=1800 quick=0
while [ $# -gt 0 ]; do
    case "$1" in
    --iterations) iterations=${2:?}; shift ;;
    --quick) iterations=100 max_seconds=40 quick=1 ;;
    --seed) seed=${2:?}; shift ;;
    --timeout) timeout=${2:?}; shift ;;
    --max-seconds) max_seconds=${2:?}; shift ;;
    --keep) export KEEP=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
# --quick (CI) is reproducible: seed 1 unless --seed is given; the full run takes a random seed.
[ "$quick" = 1 ] && [ -z "$seed" ] && seed=1
case "$iterations${seed}" in *[!0-9]*) die "--iterations and --seed take whole numbers" ;; esac

corpus=${FUZZ_CORPUS:-}
if [ -z "$corpus" ]; then
    for c in "$PROVE_ROOT/../shared/fixtures/claude-transcripts" "$PROVE_ROOT/Tests/Fixtures/claude-transcripts"; do
        if [ -d "$c" ]; then corpus=$(cd "$c" && pwd); break; fi
    done
fi
[ -n "$corpus" ] && [ -d "$corpus" ] || die "no transcript corpus found (set FUZZ_CORPUS to a directory of .jsonl files)"

prove_init
say "corpus $corpus"
python3 "$PROVE_ROOT/scripts/fuzz.py" --binary "$CS_BIN" --corpus "$corpus" --work "$PROVE_WORK" \
    --iterations "$iterations" --timeout "$timeout" --max-seconds "$max_seconds" ${seed:+--seed "$seed"} </dev/null
