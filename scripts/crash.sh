#!/usr/bin/env bash
# Crash test: `kill -9` at random points of `run` and `apply`, then re-run until quiet; every
# bullet ends up on the remote exactly once, no stale lock or temporary file is left, the user's
# staged and unstaged work is byte-identical, the state is valid JSON, and no `push-once` child
# outlives its killed parent by more than 2 s.
#
#   scripts/crash.sh [--kills N] [--quick] [--seed S] [--keep]
#
# --quick is 8 kills (scripts/test.sh runs it). The kills rotate through four kinds:
#   timing-apply / timing-run  start the command, sleep a random 0-300 ms (half of them: up to
#                              the time an uninterrupted one takes here), kill -9 it;
#   fault                      CONTEXT_SYNC_FAULT=<point> (every point of FaultPoint.swift in turn)
#                              makes the command SIGKILL itself there;
#   stall                      the push goes to a loopback listener that accepts and never answers
#                              (remote.origin.pushurl); once the push-once child is seen the parent
#                              is killed after a random 0-500 ms.
# A killed `apply` is retried with the same bullets (what a user does); a killed `run` leaves its
# session new, and the next run (now or in a later iteration) takes it. A second machine pushes
# now and then so that kills also land in the fetch-and-replay path. Before the kills, one stalled
# push without a kill must end with exit 3 within its deadline and leave no child. Each command is
# bounded (60 s). Exit status: 0 when everything holds, 1 otherwise, 2 for a usage/setup error.
set -euo pipefail
PROVE_NAME=crash
source "$(dirname "$0")/prove-lib.sh"

kills=50 seed=$RANDOM
while [ $# -gt 0 ]; do
    case "$1" in
    --kills) kills=${2:?}; shift ;;
    --quick) kills=8 ;;
    --seed) seed=${2:?}; shift ;;
    --keep) export KEEP=1 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
case "$kills$seed" in *[!0-9]*) die "--kills and --seed take whole numbers" ;; esac
RANDOM=$seed

faults_src="$PROVE_ROOT/Sources/ContextSyncCore/System/FaultPoint.swift"
mapfile -t faults < <(grep -oE 'case [A-Za-z]+ = "[a-z-]+"' "$faults_src" 2>/dev/null | sed -E 's/.*"(.*)"/\1/')
[ "${#faults[@]}" -gt 0 ] || die "no fault points found in $faults_src"

prove_init
start=$SECONDS
srv="$PROVE_WORK/srv"
remote="$srv/remote.git"
seed_remote "$remote"
start_daemon "$srv"
start_stall
url="git://127.0.0.1:$DAEMON_PORT/remote.git"
stall_url="git://127.0.0.1:$STALL_PORT/remote.git"
write_extractor "$PROVE_WORK/extract.sh"
timeout_s=2 attempts=2
config="[extractor]
kind = \"command\"
command = \"$PROVE_WORK/extract.sh\"
timeout_seconds = 60
[push]
attempts = $attempts
timeout_seconds = $timeout_s"
new_machine m1 "$url" "$config"
new_machine m2 "$url" "$config"
repo="$(mdir m1)/repo"
log="$(mdir m1)/log"

failures=()
fail() { failures+=("$*"); say "FAIL: $*"; }

# The user's work in m1: a tracked file with an unstaged edit, a staged new file, a staged edit
# plus a further unstaged edit of the same file, and an untracked file.
printf 'one\n' >"$repo/tracked.txt"; printf 'base\n' >"$repo/both.txt"
git -C "$repo" add tracked.txt both.txt
git -C "$repo" commit -qm "user files"
menv m1 git -C "$repo" push -q origin main
printf 'one\nunstaged edit\n' >"$repo/tracked.txt"
printf 'staged new file\n' >"$repo/staged.txt"; git -C "$repo" add staged.txt
printf 'base\nstaged edit\n' >"$repo/both.txt"; git -C "$repo" add both.txt
printf 'base\nstaged edit\nunstaged on top\n' >"$repo/both.txt"
printf 'untracked\n' >"$repo/untracked.txt"
user_paths=(tracked.txt staged.txt both.txt untracked.txt)
user_work() {
    git -C "$repo" diff -- "${user_paths[@]}"
    echo "--- cached"
    git -C "$repo" diff --cached -- "${user_paths[@]}"
    echo "--- status"
    git -C "$repo" status --porcelain -- "${user_paths[@]}"
    echo "--- bytes"
    (cd "$repo" && sha256sum "${user_paths[@]}")
}
user_work >"$PROVE_WORK/user-work.before"
user_changed=0
check_user_work() { # WHEN
    user_work >"$PROVE_WORK/user-work.now"
    if ! cmp -s "$PROVE_WORK/user-work.before" "$PROVE_WORK/user-work.now"; then
        user_changed=$((user_changed + 1))
        fail "the user's work changed ($1): $(diff "$PROVE_WORK/user-work.before" "$PROVE_WORK/user-work.now" | head -5 | tr '\n' ' ')"
        cp "$PROVE_WORK/user-work.now" "$PROVE_WORK/user-work.before"
    fi
}

expected="$PROVE_WORK/expected"; : >"$expected"
new_bullets() { # FILE N: N fresh bullets for apply into FILE
    local f=$1 n=$2 k id w
    : >"$f"
    for k in $(seq 1 "$n"); do
        id="c${serial}a$k" w=$(rand_word)
        printf '%s %s\n' "$id" "$w" >>"$expected"
        bullet_text "$id" "$w" >>"$f"; echo >>"$f"
    done
}
new_session() { # a fresh session whose bullet the next run extracts
    local id="c${serial}s1" w
    w=$(rand_word)
    printf '%s %s\n' "$id" "$w" >>"$expected"
    add_session m1 "$id" "$w"
}

# start_cs FAULT STDIN ARGS...: context-sync in m1 in the background; CS_PID is its own pid.
# A wrapper job waits for it and keeps its exit status (and keeps bash's "Killed" notices off
# the terminal).
start_cs() {
    local fault=$1 in=$2; shift 2
    rm -f "$PROVE_WORK/cs.pid" "$PROVE_WORK/cs.rc"
    (
        exec 2>/dev/null
        (cd "$repo" && PROVE_EXEC=exec menv m1 env ${fault:+CONTEXT_SYNC_FAULT=$fault} "$CS_BIN" "$@" <"$in" >>"$log" 2>&1) &
        echo $! >"$PROVE_WORK/cs.pid"
        rc=0; wait $! || rc=$?
        echo "$rc" >"$PROVE_WORK/cs.rc"
    ) &
    CS_WRAPPER=$!
    while [ ! -s "$PROVE_WORK/cs.pid" ]; do sleep 0.01; done
    CS_PID=$(cat "$PROVE_WORK/cs.pid")
}

# wait_cs SECONDS: CS_RC, the exit status of CS_PID; killed (and counted as a hang) after SECONDS.
hangs=0
wait_cs() {
    local deadline=$((SECONDS + $1))
    while alive "$CS_PID" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
    if alive "$CS_PID"; then
        hangs=$((hangs + 1))
        fail "context-sync (pid $CS_PID, ${kind:-} ${cmd:-} ${fault:-}, $(tr '\0' ' ' <"/proc/$CS_PID/cmdline" 2>/dev/null), $(grep '^State' "/proc/$CS_PID/status" 2>/dev/null)) still running after $1 s"
        stop_tree "$CS_PID"
    fi
    wait "$CS_WRAPPER" 2>/dev/null || true
    CS_RC=$(cat "$PROVE_WORK/cs.rc" 2>/dev/null || echo "?")
}

# kill_cs: kill -9 CS_PID, remembering its push-once children to check they die with it.
watched=()
kill_cs() {
    local c
    for c in $(descendants "$CS_PID"); do
        grep -qa push-once "/proc/$c/cmdline" 2>/dev/null && watched+=("$c")
    done
    kill -KILL "$CS_PID" 2>/dev/null || true
}

survivors=0
check_children() { # every watched push-once child is gone within 2 s of its parent's death
    local c i
    for c in "${watched[@]}"; do
        for i in $(seq 1 40); do alive "$c" || break; sleep 0.05; done
        if alive "$c" && grep -qa push-once "/proc/$c/cmdline" 2>/dev/null; then
            survivors=$((survivors + 1)); fail "push-once child $c outlived its killed parent by 2 s"
            kill -KILL "$c" 2>/dev/null || true
        fi
    done
    watched=()
}

ok_rc() { [ "$1" = 0 ] || [ "$1" = 3 ]; }

rerun() { # WHAT ARGS...: a bounded re-run of m1 that must succeed (0, or 3 = queued)
    local what=$1 rc=0; shift
    mrun m1 60 "$@" >>"$log" 2>&1 || rc=$?
    hist_add "rerun:$rc"
    ok_rc "$rc" || fail "$what: re-run '$*' exited $rc (see $log)"
}

# 0. A stalled push without a kill: exit 3 within the deadline, no child left behind.
git -C "$repo" config remote.origin.pushurl "$stall_url"
serial=0; new_bullets "$PROVE_WORK/in-0" 1
t0=$SECONDS
start_cs "" "$PROVE_WORK/in-0" apply
sleep 1
watched=(); for c in $(descendants "$CS_PID"); do grep -qa push-once "/proc/$c/cmdline" 2>/dev/null && watched+=("$c"); done
limit=$(( attempts * (timeout_s + 2) + 10 ))
wait_cs "$limit"
[ "$CS_RC" = 3 ] || fail "a stalled push ended with exit $CS_RC, not 3 (queued)"
stall_secs=$((SECONDS - t0))
[ "${#watched[@]}" -gt 0 ] || fail "no push-once child seen during the stalled push"
check_children
git -C "$repo" config --unset remote.origin.pushurl
rerun "after the stalled push" apply <"$PROVE_WORK/in-0"

# How long an uninterrupted apply and run take here: half of the timing kills land anywhere in
# that span (the commit and the push), the other half in the first 300 ms.
ms_now() { date +%s%N | cut -c1-13; }
serial=cal
new_bullets "$PROVE_WORK/in-cal" 1
t=$(ms_now); rerun "calibration" apply <"$PROVE_WORK/in-cal"; apply_ms=$(( $(ms_now) - t ))
new_session
t=$(ms_now); rerun "calibration" run </dev/null; run_ms=$(( $(ms_now) - t ))
delay() { # CMD: seconds to wait before a timing kill
    local span=300
    [ $((RANDOM % 2)) = 0 ] && { if [ "$1" = apply ]; then span=$apply_ms; else span=$run_ms; fi; }
    [ "$span" -gt 0 ] || span=300
    local ms=$(( (RANDOM * 32768 + RANDOM) % span ))
    printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

declare -A kinds=()
landed=0 stall_missed=0 fault_i=0 after_commit=0
for serial in $(seq 1 "$kills"); do
    in="$PROVE_WORK/in-$serial"
    : >"$in"
    if [ $((serial % 6)) = 0 ]; then   # another machine pushes first: m1 must fetch and replay
        id="c${serial}m2" w=$(rand_word)
        printf '%s %s\n' "$id" "$w" >>"$expected"
        bullet_text "$id" "$w" >"$PROVE_WORK/m2-$serial"; echo >>"$PROVE_WORK/m2-$serial"
        rc=0; mrun m2 60 apply <"$PROVE_WORK/m2-$serial" >>"$(mdir m2)/log" 2>&1 || rc=$?
        ok_rc "$rc" || fail "m2 apply exited $rc"
    fi
    case $((serial % 4)) in 1) kind=timing-apply ;; 2) kind=fault ;; 3) kind=timing-run ;; 0) kind=stall ;; esac
    cmd=apply
    case "$kind" in
    timing-run) cmd=run ;;
    fault|stall) [ $((RANDOM % 2)) = 0 ] && cmd=run ;;
    esac
    if [ "$cmd" = apply ]; then new_bullets "$in" $((1 + RANDOM % 2)); else new_session; fi
    fault=""
    [ "$kind" = fault ] && { fault=${faults[$((fault_i % ${#faults[@]}))]}; fault_i=$((fault_i + 1)); }
    [ "$kind" = stall ] && git -C "$repo" config remote.origin.pushurl "$stall_url"

    before=$(git -C "$repo" rev-parse HEAD)
    start_cs "$fault" "$in" "$cmd"
    case "$kind" in
    timing-*)
        sleep "$(delay "$cmd")"
        kill_cs ;;
    fault) ;;   # it kills itself at the point
    stall)
        seen=0
        for i in $(seq 1 200); do
            for c in $(descendants "$CS_PID"); do grep -qa push-once "/proc/$c/cmdline" 2>/dev/null && seen=1; done
            [ "$seen" = 1 ] && break
            alive "$CS_PID" || break
            sleep 0.05
        done
        [ "$seen" = 1 ] || { stall_missed=$((stall_missed + 1)); say "stall $serial: no push-once child seen"; }
        sleep "$(printf '0.%03d' $((RANDOM % 500)))"
        kill_cs ;;
    esac
    wait_cs 60
    rc=$CS_RC
    if [ "$rc" = 137 ]; then
        landed=$((landed + 1)); kinds[$kind]=$(( ${kinds[$kind]:-0} + 1 ))
        [ "$(git -C "$repo" rev-parse HEAD)" != "$before" ] && after_commit=$((after_commit + 1))
    fi
    hist_add "$kind:$rc"
    check_children
    [ "$kind" = stall ] && git -C "$repo" config --unset remote.origin.pushurl
    # A fault point that is reached must kill; anything else must be an ordinary exit.
    case "$rc" in
    0|3|137) ;;
    *) fail "$kind $serial ($cmd${fault:+ at $fault}) exited $rc (see $log)" ;;
    esac
    # Recovery: a killed apply is retried with the same input; a run is re-run now or later.
    if [ "$cmd" = apply ]; then
        rerun "$kind $serial" apply <"$in"
    elif [ $((RANDOM % 2)) = 0 ]; then
        rerun "$kind $serial" run </dev/null
    fi
    check_user_work "after $kind $serial ($cmd${fault:+ at $fault}, exit $rc)"
done

# Settle: re-run until a run exits 0 with nothing left to push (bounded).
settled=0
for pass in 1 2 3 4 5 6; do
    rc=0; mrun m1 60 run </dev/null >>"$log" 2>&1 || rc=$?
    if [ "$rc" = 0 ]; then settled=$pass; break; fi
done
[ "$settled" != 0 ] || fail "m1 does not settle: run still exits $rc after 6 passes"
rc=0; mrun m2 60 run </dev/null >>"$(mdir m2)/log" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "m2's settle run exited $rc"
menv m1 git -C "$repo" fetch -q origin
ahead=$(git -C "$repo" rev-list --count origin/main..main)
[ "$ahead" = 0 ] || fail "m1 has $ahead commit(s) never pushed"

# Every bullet on the remote exactly once.
remote_tally "$remote" "$expected"
cmp -s "$final" "$repo/.claude/learnings.md" || fail "m1's learnings.md differs from the remote's"

# No stale locks, no temporaries, our files clean, the state valid.
stale=$(find "$repo/.git" -name '*.lock' 2>/dev/null | wc -l)
[ "$stale" = 0 ] || fail "stale locks: $(find "$repo/.git" -name '*.lock' | tr '\n' ' ')"
strays=$( { find "$repo/.claude" "$repo" -maxdepth 1 -name '.*.tmp-*'; find "$repo/.git" -maxdepth 1 -name 'index.context-sync-new*';
            find "$(mdir m1)/state" -name '*.pending-commit.json'; } 2>/dev/null | sort -u)
nstrays=$(printf '%s' "$strays" | grep -c . || true)
[ "$nstrays" = 0 ] || fail "stray temporaries: $(echo "$strays" | tr '\n' ' ')"
# Temporaries of the state and cache files (AtomicFile) a kill left: reported, not fatal.
state_tmps=$(find "$(mdir m1)/state" "$(mdir m1)/cache" -name '.*.tmp-*' 2>/dev/null | wc -l)
[ "$state_tmps" = 0 ] || say "warning: $state_tmps temporary file(s) of killed writes left in the state/cache directories: $(find "$(mdir m1)/state" "$(mdir m1)/cache" -name '.*.tmp-*' -printf '%P ' 2>/dev/null)"
ours=$(git -C "$repo" status --porcelain -- .claude CLAUDE.md .gitattributes)
[ -z "$ours" ] || fail "context-sync's files are not clean: $ours"
check_user_work "at the end"
state_bad=0
for f in "$(mdir m1)"/state/context-sync/projects/*.json; do
    [ -e "$f" ] || { state_bad=$((state_bad + 1)); fail "no state file"; continue; }
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null || { state_bad=$((state_bad + 1)); fail "state file $f is not valid JSON"; }
done
pending=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("pendingPush") or "")' \
    "$(ls "$(mdir m1)"/state/context-sync/projects/*.json | head -1)" 2>/dev/null || true)
[ -z "$pending" ] || fail "the state still records a pending push: $pending"
git --git-dir="$remote" fsck --no-progress --strict >"$PROVE_WORK/fsck.log" 2>&1 || fail "git fsck of the remote failed"
git -C "$repo" fsck --no-progress >>"$PROVE_WORK/fsck.log" 2>&1 || fail "git fsck of m1 failed"
tip=$(git --git-dir="$remote" rev-parse main)
rc=0; out=$(mrun m1 60 run </dev/null 2>&1) || rc=$?
{ [ "$rc" = 0 ] && [ "$(git --git-dir="$remote" rev-parse main)" = "$tip" ]; } || fail "the final no-op run exited $rc or pushed: $out"

by=""; for k in timing-apply timing-run fault stall; do by+="${by:+, }$k ${kinds[$k]:-0}"; done
printf 'crash: %s kills: lost %s, duplicated %s, stale locks %s, user work changed %s (%s bullets; %s landed (%s after the branch moved): %s; apply %s ms, run %s ms uninterrupted; push-once survivors %s, stray temporaries %s, state temporaries %s, bad state %s, hangs %s, stalls missed %s; stalled push gave up in %ss; seed %s; %ss)\n' \
    "$kills" "$lost" "$duplicated" "$stale" "$user_changed" "$total" "$landed" "$after_commit" "$by" "$apply_ms" "$run_ms" "$survivors" "$nstrays" "$state_tmps" "$state_bad" "$hangs" "$stall_missed" "$stall_secs" "$seed" "$((SECONDS - start))"
[ "${VERBOSE:-0}" = 1 ] && say "exit codes $(hist_show)"
if [ "$lost" != 0 ] || [ "$duplicated" != 0 ] || [ "${#failures[@]}" != 0 ]; then
    say "${#failures[@]} failure(s)"
    exit 1
fi
