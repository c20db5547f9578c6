#!/usr/bin/env bash
# Benchmark of digest / extract / run --no-push against a minimal Python reader (not a test).
#   scripts/bench-digest.sh [--copies N] [--total-mb N] [--runs N] [--cpu]
# Corpora: the fixture transcripts (../shared/fixtures/claude-transcripts) copied N times under
# distinct session ids into one fake project, and a realistic synthetic project
# (gen-claude-root.py --realistic). Each command and the Python baseline (read every line,
# json.loads, walk the messages) run alternately; the median of --runs is reported, with the
# ratio baseline/ours (above 1: we are faster). Peak RSS (GNU time) at 1x and 4x; extract with a
# learnings.md of 0, 2,000 and 10,000 bullets; the warm no-op `run --no-push`. A command that
# fails is reported (FAILED on stderr, FAIL in the table), never timed. --cpu reports CPU seconds
# (user + system) instead of wall-clock: steadier when other jobs share the machine (this VM has
# no hardware counters for perf stat). Wall-clock times are in milliseconds (date +%s%N around
# GNU time, which still gives the RSS). Release build: swift build -c release. Figures, before
# and after issue 16's parser/search/parallel work: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=4 total=60 runs=5 cpu=0
while [ $# -gt 0 ]; do
    case "$1" in
    --copies) copies=$2; shift 2 ;; --total-mb) total=$2; shift 2 ;; --runs) runs=$2; shift 2 ;;
    --cpu) cpu=1; shift ;;
    *) echo "usage: $0 [--copies N] [--total-mb N] [--runs N] [--cpu]" >&2; exit 2 ;;
    esac
done
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
bin=${CONTEXT_SYNC_BIN:-$PWD/.build/release/context-sync}
[ -x "$bin" ] || { echo "no release binary at $bin: run swift build -c release" >&2; exit 2; }
fixtures=../shared/fixtures/claude-transcripts
out=$PWD/bench-out/digest
mkdir -p "$out"

# fixture ROOT SCALE: the fixture sessions SCALE*copies times, one project, distinct ids.
fixture() {
    local root=$1 n=$(( $2 * copies ))
    [ -d "$root/claude" ] && return 0
    local repo=$root/src/app folder
    mkdir -p "$repo"
    git -C "$repo" init -q -b main && git -C "$repo" -c user.name=b -c user.email=b@example.invalid commit -q --allow-empty -m init
    folder=$root/claude/projects/$(printf '%s' "$repo" | sed 's/[^A-Za-z0-9]/-/g')
    mkdir -p "$folder"
    python3 - "$fixtures" "$folder" "$n" "$repo" <<'PY'
import os, sys, uuid, json
src, dst, n, repo = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.endswith(".jsonl") and "subagents" not in d)
for k in range(n):
    for i, f in enumerate(files):
        sid = str(uuid.UUID(int=(k << 32) + i + 1, version=4))
        with open(f, encoding="utf-8", errors="replace") as r, open(os.path.join(dst, sid + ".jsonl"), "w") as w:
            for line in r:
                try: o = json.loads(line)
                except ValueError: w.write(line); continue
                if isinstance(o, dict):
                    if "sessionId" in o: o["sessionId"] = sid
                    if "cwd" in o: o["cwd"] = repo
                w.write(json.dumps(o, separators=(",", ":")) + "\n")
PY
    find "$root/claude" -name '*.jsonl' -exec touch -d 2026-01-01 {} +
}
synthetic() {
    local root=$1 mb=$2
    [ -d "$root/claude" ] && return 0
    # The "big" project holds 40% of the total: ask for 2.5x so it is MB megabytes.
    python3 scripts/gen-claude-root.py "$root" --projects 2 --sessions 50 --total-mb $(( mb * 5 / 2 )) --realistic > /dev/null
}
baseline=$out/baseline.py
cat > "$baseline" <<'PY'
import json, os, sys
n = 0
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        if not f.endswith(".jsonl"): continue
        with open(os.path.join(d, f), encoding="utf-8", errors="replace") as r:
            for line in r:
                try: o = json.loads(line)
                except ValueError: continue
                m = o.get("message") if isinstance(o, dict) else None
                c = m.get("content") if isinstance(m, dict) else None
                for b in (c if isinstance(c, list) else [c]):
                    if isinstance(b, dict): n += len(b.get("text") or "") + len(str(b.get("content") or ""))
                    elif isinstance(b, str): n += len(b)
print(n)
PY
# timed ROOT CMD...: "seconds rssMB" with fresh context-sync state and the repo reset.
timed() {
    local root=$1; shift
    rm -rf "$root/xdg"; git -C "$(repo_of "$root")" reset -q --hard "$(git -C "$(repo_of "$root")" rev-list --max-parents=0 HEAD)"
    local rc=0
    ( cd "$(repo_of "$root")" && HOME=$root XDG_CONFIG_HOME=$root/xdg/config XDG_STATE_HOME=$root/xdg/state XDG_CACHE_HOME=$root/xdg/cache \
      gtime "$@" > /dev/null 2> "$out/err" ) || rc=$?
    # A failed command's time means nothing: say so instead of reporting it.
    if [ "$rc" -ne 0 ]; then
        echo "FAILED (exit $rc): $* -- $(grep -v '^Command exited' "$out/err" | head -n 1)" >&2
        echo "FAIL 0"; return 0
    fi
    secs "$out/t"
}
# gtime CMD...: CMD under GNU time (peak RSS and CPU into $out/t), and the wall-clock time around
# it in milliseconds into $out/t.ms (GNU time's own wall clock has 0.01 s resolution: too coarse
# for 0.1 s commands and a 10% aim).
gtime() {
    local t0 t1 rc=0
    t0=$(date +%s%N)
    /usr/bin/time -f "%e %M %U %S" -o "$out/t" "$@" || rc=$?
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 )) > "$out/t.ms"
    return $rc
}
# secs FILE: "seconds rssMB": wall-clock from FILE.ms (milliseconds), or CPU with --cpu, and the
# RSS from GNU time's last line in FILE.
secs() {
    local ms; ms=$(cat "$1.ms" 2>/dev/null || echo 0)
    tail -n 1 "$1" | awk -v cpu=$cpu -v ms="$ms" '{printf "%s %.0f\n", cpu ? sprintf("%.2f", $3 + $4) : sprintf("%.3f", ms / 1000), $2/1024}'
}
repo_of() { if [ -d "$1/src/app" ]; then echo "$1/src/app"; else echo "$1/src/big"; fi; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# compare ROOT LABEL ARGS...: alternating runs of ours and the baseline.
compare() {
    local root=$1 label=$2; shift 2
    local ours=() base=() rss=0 s m
    for _ in $(seq "$runs"); do
        read -r s m < <(timed "$root" "$bin" "$@" --claude-dir "$root/claude"); ours+=("$s"); rss=$m
        read -r s m < <(timed "$root" python3 "$baseline" "$root/claude"); base+=("$s")
    done
    local o b; o=$(printf '%s\n' "${ours[@]}" | median); b=$(printf '%s\n' "${base[@]}" | median)
    if printf '%s\n' "${ours[@]}" "${base[@]}" | grep -q FAIL; then
        printf '%-28s %8s\n' "$label" "FAIL"; return 0
    fi
    printf '%-28s %8s %8s %7s %7s\n' "$label" "$o" "$b" "$(awk "BEGIN{printf \"%.2fx\", $b/($o>0?$o:0.001)}")" "$rss"
}
unit=s; [ "$cpu" = 0 ] || unit=cpu
printf '%-28s %8s %8s %7s %7s\n' "corpus / command" "ours $unit" "py $unit" "ratio" "RSS MB"
for kind in fixture synthetic; do
    for scale in 1 4; do
        root=$out/$kind-$scale
        if [ $kind = fixture ]; then fixture "$root" $scale; else synthetic "$root" $(( total * scale )); fi
        mb=$(du -sm "$root/claude" | cut -f1)
        for cmd in digest extract "run --no-push"; do
            # shellcheck disable=SC2086
            compare "$root" "$kind ${scale}x (${mb} MB) $cmd" $cmd
        done
    done
done
# Warm no-op run: run --no-push again with the state of a first run (fixture 1x corpus).
root=$out/fixture-1; repo=$(repo_of "$root")
rm -rf "$root/xdg"; env_run() { ( cd "$repo" && HOME=$root XDG_CONFIG_HOME=$root/xdg/config XDG_STATE_HOME=$root/xdg/state XDG_CACHE_HOME=$root/xdg/cache "$@" ); }
env_run "$bin" run --no-push --claude-dir "$root/claude" > /dev/null 2>&1 || echo "FAILED: first run --no-push" >&2
times=()
for _ in $(seq "$runs"); do
    rc=0; env_run gtime "$bin" run --no-push --claude-dir "$root/claude" > /dev/null 2> "$out/err" || rc=$?
    [ "$rc" -eq 0 ] || echo "FAILED (exit $rc): warm run --no-push" >&2
    times+=("$(secs "$out/t" | cut -d' ' -f1)")
done
printf '%-28s %8s\n' "warm no-op run --no-push" "$(printf '%s\n' "${times[@]}" | median)"
git -C "$repo" reset -q --hard "$(git -C "$repo" rev-list --max-parents=0 HEAD)"
# extract against learnings.md of 0, 2,000 and 10,000 bullets (fixture 1x corpus).
root=$out/fixture-1; repo=$(repo_of "$root")
for n in 0 2000 10000; do
    times=()
    for _ in $(seq "$runs"); do
        python3 - "$repo/.claude/learnings.md" "$n" <<'PY'
import os, random, sys
p, n = sys.argv[1], int(sys.argv[2]); os.makedirs(os.path.dirname(p), exist_ok=True)
r = random.Random(n); w = "build test lint deploy config loader server cache index parser token bullet".split()
with open(p, "w") as f:
    f.write("# Learnings\n\n## 2026-01-01 (bench)\n\n")
    for i in range(n): f.write("- %s %d.\n" % (" ".join(r.choice(w) for _ in range(8)), i))
PY
        rm -rf "$root/xdg"
        rc=0; env_run gtime "$bin" extract --claude-dir "$root/claude" > /dev/null 2> "$out/err" || rc=$?
        [ "$rc" -eq 0 ] || echo "FAILED (exit $rc): extract with $n bullets" >&2
        times+=("$(secs "$out/t" | cut -d' ' -f1)")
    done
    printf '%-28s %8s\n' "extract, $n bullets" "$(printf '%s\n' "${times[@]}" | median)"
    rm -f "$repo/.claude/learnings.md"
done
