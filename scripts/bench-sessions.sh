#!/usr/bin/env bash
# Benchmark of session discovery and parsing on a synthetic Claude root (not part of the tests).
#   scripts/bench-sessions.sh [--projects N] [--sessions N] [--total-mb N] [--dir DIR]
# Defaults: 200 projects, 5,000 sessions, 2,000 MB, generated once into bench-out/ (reused when
# the parameters match). Prints wall time, throughput and peak RSS for:
#   projects  cold (no context-sync cache) and warm
#   sessions  cold (full parse of the biggest project, ~40% of the bytes) and warm (nothing new)
# "cold" means context-sync's own cache is empty; the OS page cache is dropped too when this
# script may write /proc/sys/vm/drop_caches (root), and the output says which.
set -euo pipefail
cd "$(dirname "$0")/.."
projects=200 sessions=5000 total=2000 dir=bench-out
while [ $# -gt 0 ]; do
    case "$1" in
    --projects) projects=$2; shift 2 ;;
    --sessions) sessions=$2; shift 2 ;;
    --total-mb) total=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "usage: $0 [--projects N] [--sessions N] [--total-mb N] [--dir DIR]" >&2; exit 2 ;;
    esac
done
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
# CONTEXT_SYNC_BIN: a prebuilt binary to measure instead of building this checkout.
bin=${CONTEXT_SYNC_BIN:-$(bash scripts/bootstrap.sh)}
key="p${projects}-s${sessions}-m${total}"
data="$dir/$key"
if [ ! -f "$data/summary.json" ]; then
    rm -rf "$data"; mkdir -p "$data"
    echo "generating $key into $data ..." >&2
    python3 scripts/gen-claude-root.py "$data" --projects "$projects" --sessions "$sessions" --total-mb "$total" > "$data/summary.json.tmp"
    mv "$data/summary.json.tmp" "$data/summary.json"
fi
data=$(cd "$data" && pwd)
big=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["big_repo"])' "$data/summary.json")
total_bytes=$(du -sb "$data/claude/projects" | cut -f1)
big_bytes=$(find "$data/claude/projects" -path "*$(basename "$(dirname "$big")")-big*" -name '*.jsonl' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
nfiles=$(find "$data/claude/projects" -name '*.jsonl' | wc -l)

export HOME="$data" XDG_CONFIG_HOME="$data/xdg/config" XDG_STATE_HOME="$data/xdg/state" XDG_CACHE_HOME="$data/xdg/cache"
export CLAUDE_CONFIG_DIR="$data/claude"

drop() {
    rm -rf "$XDG_CACHE_HOME"
    if sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then pagecache="dropped"; else pagecache="warm (cannot drop)"; fi
}
# run LABEL CMD...: prints seconds and peak RSS (MB)
run() {
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$data/time.out" "$@" > /dev/null
    read -r secs rss < "$data/time.out"
    printf '%s %s %s\n' "$label" "$secs" "$rss"
}
best() {  # best of 5 warm runs
    local label=$1; shift
    local b=999 r=0
    for _ in 1 2 3 4 5; do
        read -r _ s m < <(run "$label" "$@")
        if awk "BEGIN{exit !($s < $b)}"; then b=$s; r=$m; fi
    done
    printf '%s %s %s\n' "$label" "$b" "$r"
}

echo "context-sync: $("$bin" --version)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; corpus: $nfiles sessions, $((total_bytes/1048576)) MB in $(ls "$data/claude/projects" | wc -l) folders"
drop
read -r _ pc_s pc_m < <(run projects-cold "$bin" projects)
read -r _ pw_s pw_m < <(best projects-warm "$bin" projects)
drop
read -r _ sc_s sc_m < <(run sessions-cold "$bin" sessions --project "$big" --settle 0)
read -r _ sw_s sw_m < <(best sessions-warm "$bin" sessions --project "$big" --settle 0)
mbps=$(awk "BEGIN{printf \"%.0f\", $big_bytes/1048576/($sc_s>0?$sc_s:0.001)}")
printf '\n%-34s %10s %12s\n' "measurement (page cache: $pagecache)" "seconds" "peak RSS MB"
printf '%-34s %10s %12.1f\n' "projects, cold (heads of all files)" "$pc_s" "$(awk "BEGIN{print $pc_m/1024}")"
printf '%-34s %10s %12.1f\n' "projects, warm" "$pw_s" "$(awk "BEGIN{print $pw_m/1024}")"
printf '%-34s %10s %12.1f   (%s MB parsed: %s MB/s)\n' "sessions big, cold (full parse)" "$sc_s" "$(awk "BEGIN{print $sc_m/1024}")" "$((big_bytes/1048576))" "$mbps"
printf '%-34s %10s %12.1f\n' "sessions big, warm (nothing new)" "$sw_s" "$(awk "BEGIN{print $sw_m/1024}")"
echo
echo "aims: projects < 1 s; full parse >= 300 MB/s; warm sessions < 0.05 s; peak RSS < 100 MB"
