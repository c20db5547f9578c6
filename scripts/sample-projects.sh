#!/usr/bin/env bash
# Shows `projects` and `sessions` on real Claude Code transcripts (from
# Tests/Fixtures) in a throwaway Claude root, matched to throwaway git repositories through a
# path map. Nothing outside a temporary directory is read or written. --keep keeps it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root=$(pwd)
keep=0
[ "${1:-}" = "--keep" ] && keep=1

bin=$(bash scripts/bootstrap.sh)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/context-sync-quickstart.XXXXXX")
[ $keep -eq 1 ] || trap 'rm -rf "$tmp"' EXIT

fx="$repo_root/Tests/Fixtures/claude-transcripts"
claude="$tmp/claude"
mkdir -p "$claude/projects/-path-to-Demo" "$claude/projects/-home-marco-projects-spotter" \
         "$claude/projects/-home-USER-projects-spotter-worktrees-spotter-dov"
cp "$fx"/d-kimuson__claude-code-viewer/*.jsonl "$claude/projects/-path-to-Demo/"
cp "$fx"/marot__spotter/short.jsonl "$fx"/marot__spotter/tool_heavy.jsonl "$fx"/marot__spotter/subagent.jsonl \
   "$claude/projects/-home-marco-projects-spotter/"
cp -r "$fx"/marot__spotter/4d5611e5-241a-462a-8d15-5122611a9569* \
   "$claude/projects/-home-USER-projects-spotter-worktrees-spotter-dov/"

git_q() { git -c user.name=quickstart -c user.email=quickstart@example.invalid "$@" >/dev/null 2>&1; }
mkdir -p "$tmp/src/spotter" "$tmp/src/Demo"
git_q -C "$tmp/src/spotter" init -b main && git_q -C "$tmp/src/spotter" commit --allow-empty -m init
git_q -C "$tmp/src/spotter" remote add origin git@github.com:marot/spotter.git
git_q -C "$tmp/src/spotter" worktree add -b spotter-dov "$tmp/src/spotter-worktrees/spotter-dov"
git_q -C "$tmp/src/Demo" init -b main && git_q -C "$tmp/src/Demo" commit --allow-empty -m "Demo app"

mkdir -p "$tmp/config/context-sync"
cat > "$tmp/config/context-sync/config.toml" <<TOML
# The sample sessions were recorded on other machines: map their paths onto this one.
[path_map]
"/home/marco/projects" = "$tmp/src"
"/home/USER/projects" = "$tmp/src"
"/path/to" = "$tmp/src"
TOML

export HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache"
export CLAUDE_CONFIG_DIR="$claude"
echo "\$ context-sync projects"
"$bin" projects
echo
echo "\$ context-sync sessions --project $tmp/src/spotter --settle 0"
"$bin" sessions --project "$tmp/src/spotter" --settle 0
[ $keep -eq 1 ] && echo && echo "kept: $tmp (export CLAUDE_CONFIG_DIR=$claude XDG_CONFIG_HOME=$tmp/config to explore)"
exit 0
