# shellcheck shell=bash
# Shared harness of scripts/soak.sh, scripts/crash.sh and scripts/fuzz.sh (sourced, not run).
#
# Everything lives under one temporary directory; every server and every background process is
# registered by pid and stopped by pid when the script ends (trap), and only loopback addresses
# are used. Machines are sandboxes with their own HOME, XDG_* directories, Claude root and
# CONTEXT_SYNC_MACHINE; the system's services and the caller's own ~/.claude are never touched.
#
# The binary is $CONTEXT_SYNC_BIN, else the debug build that `swift build --build-tests` made.

PROVE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CS_BIN=${CONTEXT_SYNC_BIN:-$PROVE_ROOT/.build/debug/context-sync}
PROVE_NAME=${PROVE_NAME:-prove}
PROVE_PIDS=()
PROVE_WORK=""

say() { printf '%s: %s\n' "$PROVE_NAME" "$*" >&2; }
die() { say "error: $*"; exit 2; }

prove_init() { # create the work directory and the cleanup trap
    [ -x "$CS_BIN" ] || die "no binary at $CS_BIN (run \`swift build --build-tests\` first, or set CONTEXT_SYNC_BIN)"
    command -v git >/dev/null || die "git is missing (apt-get install git)"
    command -v python3 >/dev/null || die "python3 is missing (apt-get install python3)"
    PROVE_WORK=$(mktemp -d "${TMPDIR:-/tmp}/cs-$PROVE_NAME.XXXXXX")
    trap prove_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM HUP
}

prove_register() { PROVE_PIDS+=("$@"); } # informational: cleanup stops every job still running

alive() { # PID: exists and is neither a zombie nor dead (a process being reaped has no status)
    local st
    st=$(grep '^State:' "/proc/$1/status" 2>/dev/null) || return 1
    case "$st" in *Z*|*X*) return 1 ;; esac
}

stop_pid() { # PID: SIGTERM, wait up to 1 s, then SIGKILL
    local pid=$1 i
    alive "$pid" || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do alive "$pid" || return 0; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
}

descendants() { # PID: its children, grandchildren, ... (from /proc)
    local c
    for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do printf '%s\n' "$c"; descendants "$c"; done
}

stop_tree() { # PID: stop it and everything it started (SIGTERM, then SIGKILL after 1 s)
    local pids p i left
    pids="$1 $(descendants "$1")"
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    for i in $(seq 1 20); do
        left=0
        for p in $pids; do alive "$p" && left=1; done
        [ "$left" = 0 ] && return 0
        sleep 0.05
    done
    for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
}

prove_cleanup() {
    local rc=$? pid
    set +e
    # Our own background jobs still running (servers, commands of an interrupted round); bash's
    # notices of their deaths go to /dev/null.
    exec 3>&2 2>/dev/null
    for pid in $(jobs -p); do stop_tree "$pid"; done
    wait
    exec 2>&3 3>&-
    if [ -n "$PROVE_WORK" ] && [ -d "$PROVE_WORK" ]; then
        if [ "${KEEP:-0}" = 1 ] || { [ "$rc" != 0 ] && [ "${KEEP_ON_FAILURE:-1}" = 1 ]; }; then
            say "work directory kept: $PROVE_WORK"
        else
            rm -rf "$PROVE_WORK"
        fi
    fi
    exit "$rc"
}

free_port() { # a port nothing listens on at 127.0.0.1 (bound, then released)
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # PORT [PID]: until 127.0.0.1:PORT accepts (5 s at most)
    local port=$1 pid=${2:-} i
    for i in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        if [ -n "$pid" ] && ! alive "$pid"; then return 1; fi
        sleep 0.05
    done
    return 1
}

# start_daemon BASE: serves the bare repositories under BASE over git:// on 127.0.0.1 (push
# allowed); sets DAEMON_PORT and DAEMON_PID.
start_daemon() {
    local base=$1 try daemon
    daemon="$(git --exec-path)/git-daemon"
    [ -x "$daemon" ] || die "git-daemon is missing ($daemon; it comes with the git package)"
    for try in 1 2 3; do
        DAEMON_PORT=$(free_port)
        "$daemon" --export-all --enable=receive-pack --reuseaddr --informative-errors \
            --base-path="$base" --listen=127.0.0.1 --port="$DAEMON_PORT" \
            --pid-file="$PROVE_WORK/daemon-$DAEMON_PORT.pid" \
            </dev/null >>"$PROVE_WORK/daemon.log" 2>&1 &
        DAEMON_PID=$!
        prove_register "$DAEMON_PID"
        if wait_port "$DAEMON_PORT" "$DAEMON_PID"; then return 0; fi
        stop_pid "$DAEMON_PID"
    done
    die "git daemon did not start (see $PROVE_WORK/daemon.log)"
}

# start_stall: a loopback TCP server that accepts connections and never answers (a stalled
# git server); it ends by itself after 15 minutes. Sets STALL_PORT and STALL_PID.
start_stall() {
    local try
    for try in 1 2 3; do
        STALL_PORT=$(free_port)
        python3 - "$STALL_PORT" >>"$PROVE_WORK/stall.log" 2>&1 <<'PY' &
import select, socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(64)
held, end = [], time.time() + 900
while time.time() < end:
    r, _, _ = select.select([s], [], [], 1.0)
    if r:
        c, _ = s.accept()
        held.append(c)          # never read, never answer, never close
PY
        STALL_PID=$!
        prove_register "$STALL_PID"
        if wait_port "$STALL_PORT" "$STALL_PID"; then return 0; fi
        stop_pid "$STALL_PID"
    done
    die "the stalled server did not start (see $PROVE_WORK/stall.log)"
}

seed_remote() { # PATH: a bare repository with one commit on main
    local bare=$1 seed="$PROVE_WORK/seed"
    git init -q --bare -b main "$bare"
    git init -q -b main "$seed"
    git -C "$seed" -c user.name=Seed -c user.email=seed@example.invalid commit -q --allow-empty -m "initial commit"
    git -C "$seed" push -q "$bare" main
    rm -rf "$seed"
}

# Machines: $PROVE_WORK/m/<name>/{repo,home,config,state,cache,claude}
mdir() { printf '%s/m/%s' "$PROVE_WORK" "$1"; }

new_machine() { # NAME URL [CONFIG-TOML]: a clone of URL with its own sandbox
    local name=$1 url=$2 config=${3:-} d
    d=$(mdir "$name")
    mkdir -p "$d/home" "$d/config/context-sync" "$d/state" "$d/cache" "$d/claude/projects"
    git clone -q "$url" "$d/repo"
    git -C "$d/repo" config user.name "Tester $name"
    git -C "$d/repo" config user.email "$name@example.invalid"
    [ -n "$config" ] && printf '%s\n' "$config" >"$d/config/context-sync/config.toml"
    return 0
}

menv() { # NAME CMD...: CMD in machine NAME's environment
    local name=$1 d
    d=$(mdir "$1"); shift
    ${PROVE_EXEC:-} env -u CONTEXT_SYNC_ACTIVE -u CONTEXT_SYNC_FAULT -u CONTEXT_SYNC_GIT_TOKEN -u GIT_TOKEN \
        -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE -u SSH_AUTH_SOCK \
        HOME="$d/home" XDG_CONFIG_HOME="$d/config" XDG_STATE_HOME="$d/state" XDG_CACHE_HOME="$d/cache" \
        CLAUDE_CONFIG_DIR="$d/claude" CONTEXT_SYNC_MACHINE="$name" GIT_CONFIG_NOSYSTEM=1 "$@"
}

# mrun NAME SECONDS ARGS...: context-sync ARGS in machine NAME's repository under `timeout`
# (the subshell execs, so the job's pid is timeout's, which passes a SIGTERM on).
mrun() {
    local name=$1 secs=$2; shift 2
    (cd "$(mdir "$name")/repo" && PROVE_EXEC=exec menv "$name" timeout -k 5 "$secs" "$CS_BIN" "$@")
}

# The extractor every machine uses for `run` (config `[extractor] kind = "command"`): each session's
# first prompt carries "SOAKBULLET <id> <word>", and the extractor turns each into one bullet.
write_extractor() { # PATH
    cat >"$1" <<'SH'
#!/bin/sh
grep -o 'SOAKBULLET [a-z0-9]* [a-z]*' | sort -u | while read -r _ id word; do
    printf -- '- Target `%s` needs `%s` first.\n' "$id" "$word"
done
SH
    chmod 755 "$1"
}

bullet_text() { printf -- '- Target `%s` needs `%s` first.' "$1" "$2"; } # ID WORD

rand_word() { # 7 random lowercase letters
    local w
    w=$(tr -dc 'a-z' </dev/urandom | head -c 7)
    printf '%s' "$w"
}

# add_session NAME ID WORD: a settled session (mtime two hours ago) in machine NAME's repository
# whose prompt asks for the bullet of ID/WORD.
add_session() {
    local d repo folder uuid f
    d=$(mdir "$1"); repo="$d/repo"
    folder="$d/claude/projects/$(printf '%s' "$repo" | sed 's/[^A-Za-z0-9]/-/g')"
    mkdir -p "$folder"
    uuid=$(cat /proc/sys/kernel/random/uuid)
    f="$folder/$uuid.jsonl"
    printf '%s\n' \
        "{\"type\":\"user\",\"uuid\":\"$uuid-u0\",\"sessionId\":\"$uuid\",\"cwd\":\"$repo\",\"timestamp\":\"2026-03-01T10:00:00.000Z\",\"message\":{\"role\":\"user\",\"content\":\"please note SOAKBULLET $2 $3 for later\"}}" \
        "{\"type\":\"assistant\",\"uuid\":\"$uuid-a1\",\"sessionId\":\"$uuid\",\"cwd\":\"$repo\",\"timestamp\":\"2026-03-01T10:00:05.000Z\",\"message\":{\"id\":\"$uuid-m1\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Noted.\"}]}}" \
        >"$f.part"
    mv "$f.part" "$f"
    touch -d '2 hours ago' "$f"
}

# count_bullet FILE TEXT: how many lines of FILE are exactly TEXT
count_bullet() { grep -cxF -- "$2" "$1" || true; }

conflict_markers() { grep -nE '^(<<<<<<<|=======|>>>>>>>)( |$)' "$1" || true; }

# exit-code histogram: hist_add CODE; hist_show -> {0: 58, 3: 2}
declare -A PROVE_HIST=()
hist_add() { PROVE_HIST[$1]=$(( ${PROVE_HIST[$1]:-0} + 1 )); }
hist_show() {
    local k out=""
    for k in $(printf '%s\n' "${!PROVE_HIST[@]}" | sort -n); do out+="${out:+, }$k: ${PROVE_HIST[$k]}"; done
    printf '{%s}' "$out"
}

# remote_tally REMOTE EXPECTED: copies the remote's learnings.md to $PROVE_WORK/remote-learnings.md
# and counts, for every "id word" line of EXPECTED, how often its bullet is there. Sets `final`,
# `total`, `lost`, `duplicated` (printing each lost or duplicated id) and fails on conflict markers.
remote_tally() {
    local remote=$1 expected=$2 id word n markers
    final="$PROVE_WORK/remote-learnings.md"
    git --git-dir="$remote" show main:.claude/learnings.md >"$final" 2>/dev/null || fail "the remote has no .claude/learnings.md"
    lost=0 duplicated=0 total=0
    while read -r id word; do
        total=$((total + 1))
        n=$(count_bullet "$final" "$(bullet_text "$id" "$word")")
        if [ "$n" = 0 ]; then lost=$((lost + 1)); say "lost: $id"; fi
        if [ "$n" -gt 1 ]; then duplicated=$((duplicated + 1)); say "duplicated ${n}x: $id"; fi
    done <"$expected"
    markers=$(conflict_markers "$final")
    [ -z "$markers" ] || fail "conflict markers on the remote: $markers"
}

