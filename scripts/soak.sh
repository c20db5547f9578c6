#!/usr/bin/env bash
# Soak test: M machines (clones of one bare remote served by `git daemon` on 127.0.0.1) run
# `apply` and `run` concurrently for N rounds with distinct bullets; afterwards every bullet is on
# the remote exactly once, there are no conflict markers, `git fsck` is clean everywhere and a
# final no-op `run` on each machine pushes nothing.
#
#   scripts/soak.sh [--rounds N] [--machines M] [--quick] [--keep]
#
# --quick is 3 machines x 3 rounds (scripts/test.sh runs it). Each round every machine runs one
# command in the background — `apply` with two bullets on stdin, or `run` over a new session
# (the bullet comes from the command extractor of scripts/prove-lib.sh) — alternating so that both
# kinds push at once, and every third round m1 runs both at once (they share its lock); then the
# script waits for all. Exit 3 (push queued) is allowed during the
# rounds; a settle pass (at most 6 sequential passes over the machines) must then push everything.
# Every command is bounded by `timeout`. Exit status: 0 when nothing was lost, duplicated or
# corrupted, 1 otherwise, 2 for a usage or setup error. KEEP=1 keeps the work directory.
set -euo pipefail
PROVE_NAME=soak
source "$(dirname "$0")/prove-lib.sh"

rounds=20 machines=3 per_cmd=120
while [ $# -gt 0 ]; do
    case "$1" in
    --rounds) rounds=${2:?}; shift ;;
    --machines) machines=${2:?}; shift ;;
    --quick) rounds=3 machines=3 ;;
    --keep) export KEEP=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
case "$rounds$machines" in *[!0-9]*) die "--rounds and --machines take whole numbers" ;; esac
[ "$machines" -ge 1 ] && [ "$rounds" -ge 1 ] || die "--rounds and --machines must be at least 1"

prove_init
start=$SECONDS
srv="$PROVE_WORK/srv"
remote="$srv/remote.git"
seed_remote "$remote"
start_daemon "$srv"
url="git://127.0.0.1:$DAEMON_PORT/remote.git"
write_extractor "$PROVE_WORK/extract.sh"
config="[extractor]
kind = \"command\"
command = \"$PROVE_WORK/extract.sh\"
timeout_seconds = 60"
names=()
for i in $(seq 1 "$machines"); do names+=("m$i"); new_machine "m$i" "$url" "$config"; done

expected="$PROVE_WORK/expected"   # "ID WORD" per bullet handed to context-sync
: >"$expected"
applies=0 runs=0 bad=0 failures=()
fail() { failures+=("$*"); say "FAIL: $*"; }

csm() { # NAME LOG CMD-ARGS...: context-sync in machine NAME's repository, bounded, output to LOG
    local name=$1 log=$2; shift 2
    mrun "$name" "$per_cmd" "$@" >>"$log" 2>&1
}

for r in $(seq 1 "$rounds"); do
    rr=$(printf '%02d' "$r")
    pids=() ops=()
    for i in $(seq 1 "$machines"); do
        m="m$i" log="$(mdir "m$i")/log"
        if [ $(( (r + i) % 2 )) = 0 ]; then
            id1="${m}r${rr}a1" w1=$(rand_word) id2="${m}r${rr}a2" w2=$(rand_word)
            printf '%s %s\n%s %s\n' "$id1" "$w1" "$id2" "$w2" >>"$expected"
            in="$PROVE_WORK/in-$m-$rr"
            printf '%s\n%s\n' "$(bullet_text "$id1" "$w1")" "$(bullet_text "$id2" "$w2")" >"$in"
            csm "$m" "$log" apply <"$in" &
            ops+=("$m apply") applies=$((applies + 1))
        else
            id="${m}r${rr}s1" w=$(rand_word)
            printf '%s %s\n' "$id" "$w" >>"$expected"
            add_session "$m" "$id" "$w"
            csm "$m" "$log" run --verbose </dev/null &
            ops+=("$m run") runs=$((runs + 1))
        fi
        pids+=($!)
    done
    if [ $((r % 3)) = 0 ]; then  # m1 also runs the other command at once: the two share its lock
        m=m1 log="$(mdir m1)/log"
        if [ $(( (r + 1) % 2 )) = 0 ]; then   # m1 runs apply this round: add a run
            id="${m}r${rr}s2" w=$(rand_word)
            printf '%s %s\n' "$id" "$w" >>"$expected"
            add_session "$m" "$id" "$w"
            csm "$m" "$log" run --verbose </dev/null &
            ops+=("$m run (second)") runs=$((runs + 1))
        else
            id="${m}r${rr}a3" w=$(rand_word)
            printf '%s %s\n' "$id" "$w" >>"$expected"
            in="$PROVE_WORK/in-$m-$rr-second"
            bullet_text "$id" "$w" >"$in"; echo >>"$in"
            csm "$m" "$log" apply <"$in" &
            ops+=("$m apply (second)") applies=$((applies + 1))
        fi
        pids+=($!)
    fi
    for k in "${!pids[@]}"; do
        rc=0; wait "${pids[$k]}" || rc=$?
        hist_add "$rc"
        case "$rc" in
        0|3) ;;
        *) bad=$((bad + 1)); fail "round $r: ${ops[$k]} exited $rc (see $(mdir "${ops[$k]%% *}")/log)" ;;
        esac
    done
done
during=$(hist_show)

# Settle: sequential passes until every machine's run exits 0 (nothing queued).
settled=0
for pass in 1 2 3 4 5 6; do
    all0=1
    for m in "${names[@]}"; do
        rc=0; csm "$m" "$(mdir "$m")/log" run </dev/null || rc=$?
        [ "$rc" = 0 ] || all0=0
    done
    if [ "$all0" = 1 ]; then settled=$pass; break; fi
done
[ "$settled" != 0 ] || fail "still not settled after 6 passes (exit 3 or worse on some machine)"

# Pull every clone; nothing of ours may be left unpushed.
for m in "${names[@]}"; do
    repo="$(mdir "$m")/repo"
    menv "$m" git -C "$repo" fetch -q origin || fail "$m: git fetch failed"
    ahead=$(git -C "$repo" rev-list --count origin/main..main)
    [ "$ahead" = 0 ] || fail "$m: $ahead commit(s) never pushed"
    menv "$m" git -C "$repo" merge -q --ff-only origin/main >/dev/null 2>&1 || fail "$m: cannot fast-forward to the remote"
    dirty=$(git -C "$repo" status --porcelain)
    [ -z "$dirty" ] || fail "$m: work tree not clean after pulling: $dirty"
done

remote_tally "$remote" "$expected"
for m in "${names[@]}"; do
    cmp -s "$final" "$(mdir "$m")/repo/.claude/learnings.md" || fail "$m: learnings.md differs from the remote's after pulling"
done
git --git-dir="$remote" fsck --no-progress --strict >"$PROVE_WORK/fsck.log" 2>&1 || fail "git fsck of the remote: $(head -3 "$PROVE_WORK/fsck.log")"
for m in "${names[@]}"; do
    git -C "$(mdir "$m")/repo" fsck --no-progress >>"$PROVE_WORK/fsck.log" 2>&1 || fail "git fsck of $m's clone failed"
done

# A final run on each machine: nothing new, nothing pushed, nothing committed.
tip=$(git --git-dir="$remote" rev-parse main)
for m in "${names[@]}"; do
    repo="$(mdir "$m")/repo"
    head=$(git -C "$repo" rev-parse HEAD)
    rc=0; out=$(mrun "$m" "$per_cmd" run </dev/null 2>&1) || rc=$?
    [ "$rc" = 0 ] || fail "$m: final no-op run exited $rc: $out"
    [ "$(git -C "$repo" rev-parse HEAD)" = "$head" ] || fail "$m: the final no-op run committed"
    case "$out" in *"nothing new"*) ;; *) fail "$m: the final run did more than nothing: $out" ;; esac
done
[ "$(git --git-dir="$remote" rev-parse main)" = "$tip" ] || fail "a final no-op run pushed to the remote"
commits=$(git --git-dir="$remote" rev-list --count main)
replays=$(cat "$PROVE_WORK"/m/*/log | grep -c "replayed onto" || true)

printf 'soak: %s machines x %s rounds: %s applies, %s runs, %s bullets, lost %s, duplicated %s, exit codes %s, settled in %s pass(es), %s commits on the remote, %s replays onto another machine'\''s push seen by the runs, %ss\n' \
    "$machines" "$rounds" "$applies" "$runs" "$total" "$lost" "$duplicated" "$during" "$settled" "$commits" "$replays" "$((SECONDS - start))"
if [ "$lost" != 0 ] || [ "$duplicated" != 0 ] || [ "${#failures[@]}" != 0 ]; then
    say "${#failures[@]} other failure(s)"
    exit 1
fi
