#!/usr/bin/env bash
# Secret-scanner benchmark: throughput (MB/s) and findings per MB of `context-sync scan` on a
# large corpus of ordinary text, side by side with detect-secrets on the same files.
#
#   scripts/bench-scan.sh                 # defaults below
#   CORPUS_MB=200 DS_MB=8 scripts/bench-scan.sh
#   SOURCES="/opt/swift /usr/share/doc" scripts/bench-scan.sh
#
# Both tools are pinned to one CPU core (taskset) when available. detect-secrets is installed from
# PyPI into a throw-away virtual environment under a temporary directory. It is much slower, so it
# scans a deterministic subset (DS_MB) of the corpus, and context-sync scans that same subset too,
# so the findings-per-MB columns compare identical files. Not part of the test suite.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-$ROOT/.build-bench}
CORPUS_MB=${CORPUS_MB:-150}
DS_MB=${DS_MB:-6}
RUNS=${RUNS:-3}
DS_RUNS=${DS_RUNS:-1}
SOURCES=${SOURCES:-"/opt/swift /usr/share/doc /work/shared/fixtures/claude-transcripts"}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-scan.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "   keeping $WORK"; fi

PIN=()
if command -v taskset >/dev/null 2>&1; then PIN=(taskset -c 0); fi

echo "== building context-sync (release, scratch $SCRATCH)"
swift build -c release --scratch-path "$SCRATCH" --product context-sync >/dev/null
BIN="$SCRATCH/release/context-sync"

echo "== collecting text files from: $SOURCES"
# Regular text files (grep -I: no NUL in the first block), 1 byte to 20 MB, in a fixed order.
# shellcheck disable=SC2086
find $SOURCES -type f -size +0 -size -20M -print0 2>/dev/null \
  | xargs -0 grep -IlZ . 2>/dev/null | tr '\0' '\n' | sort > "$WORK/all.txt"
# Interleave the sources deterministically (hash of the path) so a byte cap keeps a mix.
while IFS= read -r f; do printf '%s\t%s\n' "$(printf '%s' "$f" | cksum | cut -d' ' -f1)" "$f"; done < "$WORK/all.txt" \
  | sort -n | cut -f2- > "$WORK/mixed.txt"

copy_until() {  # copy_until LIST DEST MB: copy files (keeping their paths) until MB megabytes
  local list=$1 dest=$2 cap=$(( $3 * 1000000 )) total=0 size
  mkdir -p "$dest"
  while IFS= read -r f; do
    size=$(stat -c %s "$f")
    if (( total + size > cap )); then continue; fi
    mkdir -p "$dest$(dirname "$f")"
    cp "$f" "$dest$f"
    total=$(( total + size ))
    if (( total >= cap * 99 / 100 )); then break; fi
  done < "$list"
  echo "$total"
}
CORPUS_BYTES=$(copy_until "$WORK/mixed.txt" "$WORK/corpus" "$CORPUS_MB")
SUBSET_BYTES=$(copy_until "$WORK/mixed.txt" "$WORK/subset" "$DS_MB")
printf '   corpus %d files, %.1f MB; detect-secrets subset %d files, %.1f MB\n' \
  "$(find "$WORK/corpus" -type f | wc -l)" "$(echo "$CORPUS_BYTES/1000000" | bc -l)" \
  "$(find "$WORK/subset" -type f | wc -l)" "$(echo "$SUBSET_BYTES/1000000" | bc -l)"

now() { date +%s.%N; }

best_time() {  # best_time RUNS OUTFILE CMD...: run RUNS times, print the best wall time in seconds
  local runs=$1 out=$2 best="" t0 t1 dt; shift 2
  for _ in $(seq "$runs"); do
    t0=$(now); "$@" > "$out" 2>/dev/null || true; t1=$(now)
    dt=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || (( $(echo "$dt < $best" | bc -l) )); then best=$dt; fi
  done
  echo "$best"
}

# Both tools run from the work directory on relative paths (detect-secrets skips files outside
# its working directory).
cd "$WORK"
echo "== context-sync scan (one core, best of $RUNS)"
find corpus -type f -exec cat {} + > /dev/null  # warm the page cache
CS_T=$(best_time "$RUNS" "$WORK/cs-corpus.jsonl" "${PIN[@]}" "$BIN" scan --json corpus)
CS_N=$(wc -l < "$WORK/cs-corpus.jsonl")
CS_SUB_T=$(best_time "$RUNS" "$WORK/cs-subset.jsonl" "${PIN[@]}" "$BIN" scan --json subset)
CS_SUB_N=$(wc -l < "$WORK/cs-subset.jsonl")

echo "== detect-secrets (PyPI, throw-away venv)"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet detect-secrets
DS_VERSION=$("$WORK/venv/bin/detect-secrets" --version)
find subset -type f -exec cat {} + > /dev/null
DS_T=$(best_time "$DS_RUNS" "$WORK/ds.json" "${PIN[@]}" "$WORK/venv/bin/detect-secrets" scan --all-files subset)
DS_N=$("$WORK/venv/bin/python" -c 'import json,sys; print(sum(len(v) for v in json.load(open(sys.argv[1]))["results"].values()))' "$WORK/ds.json")

MB=$(echo "$CORPUS_BYTES/1000000" | bc -l)
SMB=$(echo "$SUBSET_BYTES/1000000" | bc -l)
CS_RATE=$(echo "$MB/$CS_T" | bc -l)
CS_SUB_RATE=$(echo "$SMB/$CS_SUB_T" | bc -l)
DS_RATE=$(echo "$SMB/$DS_T" | bc -l)
echo
printf '%-30s %9s %9s %10s %9s %12s\n' "tool" "MB" "seconds" "MB/s" "findings" "findings/MB"
printf '%-30s %9.1f %9.3f %10.1f %9d %12.3f\n' "context-sync (corpus)" "$MB" "$CS_T" "$CS_RATE" "$CS_N" "$(echo "$CS_N/$MB" | bc -l)"
printf '%-30s %9.1f %9.3f %10.1f %9d %12.3f\n' "context-sync (subset)" "$SMB" "$CS_SUB_T" "$CS_SUB_RATE" "$CS_SUB_N" "$(echo "$CS_SUB_N/$SMB" | bc -l)"
printf '%-30s %9.1f %9.3f %10.1f %9d %12.3f\n' "detect-secrets $DS_VERSION (subset)" "$SMB" "$DS_T" "$DS_RATE" "$DS_N" "$(echo "$DS_N/$SMB" | bc -l)"
printf '\nthroughput ratio context-sync / detect-secrets: %.0fx (corpus rate / subset rate), %.0fx on the same subset files\n' \
  "$(echo "$CS_RATE/$DS_RATE" | bc -l)" "$(echo "$CS_SUB_RATE/$DS_RATE" | bc -l)"
echo
echo "context-sync findings by rule (corpus):"
sed -E 's/.*"rule":"([^"]+)".*/\1/' "$WORK/cs-corpus.jsonl" | sort | uniq -c | sort -rn | sed 's/^/  /'
echo "detect-secrets findings by type (subset):"
"$WORK/venv/bin/python" -c '
import json, sys, collections
r = json.load(open(sys.argv[1]))["results"]
c = collections.Counter(s["type"] for v in r.values() for s in v)
for t, n in c.most_common(): print(f"  {n:6d} {t}")' "$WORK/ds.json"
