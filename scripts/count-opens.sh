#!/usr/bin/env bash
# Counts the files one `context-sync run` opens (strace, Linux): how often it opens the
# repository's .git/config, HEAD, learnings.md and the session files, for one repository with one
# new session and a bare remote, all under a throwaway directory. Issue 17 asks that the data path
# reads top to bottom in one pass; this is how that is checked.
#
#   scripts/count-opens.sh [BINARY]     (default: the debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(swift build --show-bin-path)/context-sync}
command -v strace >/dev/null || { echo "count-opens.sh: needs strace (apt-get install strace)" >&2; exit 2; }
[ -x "$bin" ] || { echo "count-opens.sh: no binary at $bin (swift build first)" >&2; exit 2; }
tmp=$(mktemp -d -t count-opens.XXXXXX); trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home XDG_STATE_HOME=$tmp/state XDG_CACHE_HOME=$tmp/cache XDG_CONFIG_HOME=$tmp/config
export CLAUDE_CONFIG_DIR=$tmp/claude GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git init -q --bare "$tmp/remote.git"
git init -q -b main "$tmp/repo"
mkdir -p "$tmp/repo/.claude"
printf '# Learnings\n\n## 2026-01-01 (vm)\n\n- Use `pnpm`, not `npm`.\n' >"$tmp/repo/.claude/learnings.md"
printf '@.claude/learnings.md\n' >"$tmp/repo/CLAUDE.md"
git -C "$tmp/repo" add -A
git -C "$tmp/repo" -c user.name=t -c user.email=t@example.invalid commit -q -m init
git -C "$tmp/repo" remote add origin "$tmp/remote.git"
git -C "$tmp/repo" push -q -u origin main
enc=$(printf '%s' "$tmp/repo" | sed 's#[^A-Za-z0-9]#-#g')
mkdir -p "$CLAUDE_CONFIG_DIR/projects/$enc"
session=$CLAUDE_CONFIG_DIR/projects/$enc/11111111-2222-3333-4444-555555555555.jsonl
python3 - "$tmp/repo" "$session" <<'PY'
import json, sys
cwd, path = sys.argv[1], sys.argv[2]
rows = []
def add(kind, content, **extra):
    rows.append({"type": kind, "cwd": cwd, "sessionId": "11111111-2222-3333-4444-555555555555",
                 "timestamp": "2026-01-01T00:00:%02dZ" % len(rows), "uuid": "u%d" % len(rows),
                 "message": {"role": "user" if kind == "user" else "assistant", "content": content}, **extra})
add("user", "migrate the db")
add("assistant", [{"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": "pnpm db:migrate"}}])
add("user", [{"type": "tool_result", "tool_use_id": "t1", "is_error": True, "content": "Error: P1001: Can't reach database server at `localhost:5432`"}])
add("assistant", [{"type": "tool_use", "id": "t2", "name": "Bash", "input": {"command": "docker compose up -d db"}}])
add("user", [{"type": "tool_result", "tool_use_id": "t2", "content": "started"}])
add("assistant", [{"type": "tool_use", "id": "t3", "name": "Bash", "input": {"command": "pnpm db:migrate"}}])
add("user", [{"type": "tool_result", "tool_use_id": "t3", "content": "migrated"}])
open(path, "w").write("".join(json.dumps(r) + "\n" for r in rows))
PY
touch -d '2 hours ago' "$session"
cd "$tmp/repo"
strace -f -qq -e trace=open,openat -o "$tmp/trace" "$bin" run --settle 0 >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; echo "count-opens.sh: the run failed" >&2; exit 1; }
count() { grep -c -- "$1" "$tmp/trace" || true; }
echo "run: $(tail -1 "$tmp/out")"
printf '%-28s %s\n' "opens of .git/config" "$(count '/repo/.git/config"')"
printf '%-28s %s\n' "opens of .git/HEAD" "$(count '/repo/.git/HEAD"')"
printf '%-28s %s\n' "opens of learnings.md" "$(count 'learnings.md"')"
printf '%-28s %s\n' "opens of CLAUDE.md" "$(count 'CLAUDE.md"')"
printf '%-28s %s\n' "opens of the session file" "$(count '.jsonl"')"
printf '%-28s %s\n' "opens of the state file" "$(count 'state/context-sync/projects/')"
printf '%-28s %s\n' "all opens" "$(grep -c 'open' "$tmp/trace")"
