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
#
# Then, on one generated BIG_MB file (default 500; 0 skips it), peak RSS (GNU time %M) and
# throughput of `scan` and `scan --redact`, this tree against a baseline built from BASE_REF
# (default main, via git archive; BASE_BIN=path reuses a built binary). BIG_ONLY=1 runs only that.
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

now() { date +%s.%N; }

big_file_rss() {  # peak RSS and throughput on one BIG_MB file, baseline vs this tree
  local mb=${BIG_MB:-500} ref=${BASE_REF:-main} base=${BASE_BIN:-} big="$WORK/big.log"
  (( mb > 0 )) || return 0
  if [ -z "$base" ]; then
    echo "== building the baseline ($ref, release)"
    mkdir -p "$WORK/base"
    git -C "$ROOT" archive "$ref" | tar -x -C "$WORK/base"
    swift build -c release --package-path "$WORK/base" --scratch-path "$SCRATCH-base" --product context-sync >/dev/null
    base="$SCRATCH-base/release/context-sync"
  fi
  echo "== generating a $mb MB file (fixture transcripts repeated, secrets every ~4 MB)"
  gen() {  # gen OUT EVERY: the fixtures repeated to BIG_MB, a token every EVERY bytes (0: only on line 1)
  python3 - "$1" "$mb" "$2" "$ROOT/Tests/Fixtures" /work/shared/fixtures <<'PY'
import os, sys, random
out, mb, every, roots = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
text = b""
for r in roots:
    for d, _, fs in sorted(os.walk(r)):
        for f in sorted(fs):
            with open(os.path.join(d, f), "rb") as h: text += h.read()
rnd = random.Random(7)
alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
target, written, k = mb * 1000000, 0, 0
with open(out, "wb") as o:
    if every == 0:
        tok = "gh" + "p_" + "".join(rnd.choice(alnum) for _ in range(36))
        o.write(f"export GITHUB_TOKEN={tok}\n".encode())
        while o.tell() < target:
            o.write(text[: target - o.tell()])
        sys.exit(0)
    while written < target:
        piece = text[: min(len(text), target - written)]
        step = every
        for at in range(0, len(piece), step):
            o.write(piece[at:at + step])
            tok = "gh" + "p_" + "".join(rnd.choice(alnum) for _ in range(36))
            o.write(f"\nexport GITHUB_TOKEN={tok}\n".encode())
            written += len(piece[at:at + step]) + 38
            k += 1
        written = o.tell()
PY
  }
  gen "$big" $((4 << 20))
  gen "$WORK/one.log" 0
  local bytes; bytes=$(stat -c %s "$big")
  cat "$big" > /dev/null
  printf '   %s: %.1f MB\n' "$big" "$(echo "$bytes/1000000" | bc -l)"
  measure() {  # measure LABEL BIN ARGS...: best wall time of RUNS, peak RSS of that run, findings
    local label=$1 bin=$2 best="" rss="" t0 t1 dt r n=0; shift 2
    for _ in $(seq "$RUNS"); do
      t0=$(now)
      /usr/bin/time -f %M -o "$WORK/rss" "${PIN[@]}" "$bin" scan "$@" > "$WORK/out" 2> "$WORK/err" || true
      t1=$(now); dt=$(echo "$t1 - $t0" | bc -l); r=$(tail -n 1 "$WORK/rss")  # GNU time prefixes "Command exited with non-zero status 1"
      if [ -z "$best" ] || (( $(echo "$dt < $best" | bc -l) )); then best=$dt; rss=$r; fi
    done
    if [[ " $* " == *" --redact "* ]]; then n=$(grep -c ': ' "$WORK/err" || true); else n=$(wc -l < "$WORK/out"); fi
    printf '%-34s %9.3f %10.1f %12.1f %9d\n' "$label" "$best" "$(echo "$bytes/1000000/$best" | bc -l)" "$(echo "$rss/1024" | bc -l)" "$n"
  }
  echo
  printf '%-34s %9s %10s %12s %9s\n' "run ($mb MB file, best of $RUNS)" "seconds" "MB/s" "peak RSS MB" "findings"
  measure "scan, baseline ($ref)" "$base" "$big"
  measure "scan, this tree" "$BIN" "$big"
  measure "scan --redact, baseline ($ref)" "$base" --redact "$big"
  measure "scan --redact, this tree" "$BIN" --redact "$big"
  # One secret on line 1 and none after: the streamed scan re-reads the whole file for echoes of
  # it (the whole-buffer result); the baseline's 8 MB windows look for them only near line 1.
  bytes=$(stat -c %s "$WORK/one.log"); cat "$WORK/one.log" > /dev/null
  measure "scan, 1 secret, baseline ($ref)" "$base" "$WORK/one.log"
  measure "scan, 1 secret, this tree" "$BIN" "$WORK/one.log"
  echo
}

if [ -n "${BIG_ONLY:-}" ]; then big_file_rss; exit 0; fi

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

big_file_rss
