#!/usr/bin/env bash
# Figures for tidy and stale (not part of the tests):
#   scripts/bench-tidy.sh [--bullets N] [--files N] [--commits N]
# Builds, in a temporary directory, a repository of N files (default 3,000) over M commits
# (default 200; every commit moves or deletes a few files) and a learnings.md of B bullets
# (default 400: about a fifth are rewordings of others, a tenth name a path that a commit moved
# or deleted, a tenth name a path that still exists), then prints the file size before and after
# `tidy` (bullets, characters, bytes), and the wall time of `stale` and of `tidy --dry-run`
# (median of 5).
set -euo pipefail
cd "$(dirname "$0")/.."
bullets=400 files=3000 commits=200
while [ $# -gt 0 ]; do
    case "$1" in
    --bullets) bullets=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --commits) commits=$2; shift 2 ;;
    *) echo "usage: $0 [--bullets N] [--files N] [--commits N]" >&2; exit 2 ;;
    esac
done
bin=${CONTEXT_SYNC_BIN:-$(bash scripts/bootstrap.sh)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
export HOME=$work XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache \
    CLAUDE_CONFIG_DIR=$work/claude CONTEXT_SYNC_MACHINE=bench GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.invalid \
    GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@example.invalid
python3 - "$repo" "$files" "$commits" "$bullets" <<'PY'
import os, random, subprocess, sys
repo, nfiles, ncommits, nbullets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
random.seed(7)
os.makedirs(repo)
def git(*a): subprocess.run(["git", "-C", repo, *a], check=True, stdout=subprocess.DEVNULL)
git("init", "-q", "-b", "main")
paths = [f"pkg{i % 40}/mod{i // 40}/file{i}.py" for i in range(nfiles)]
for p in paths:
    os.makedirs(os.path.join(repo, os.path.dirname(p)), exist_ok=True)
    open(os.path.join(repo, p), "w").write(f"# {p}\n")
git("add", "-A"); git("commit", "-qm", "initial tree")
gone = []
for c in range(ncommits):
    for _ in range(2):
        p = random.choice(paths)
        if random.random() < 0.5:
            q = p.replace(".py", "_v2.py"); git("mv", p, q); paths[paths.index(p)] = q
        else:
            git("rm", "-q", p); paths.remove(p)
        gone.append(p)
    git("commit", "-qm", f"change {c}")
words = "cache parser router migration fixture queue worker schema token session config loader".split()
lines, kept = [], []
for i in range(nbullets):
    r = random.random()
    if r < 0.2 and kept:
        b = kept[random.randrange(len(kept))]; b = b.replace("Use", "Always use", 1).rstrip(".")
    elif r < 0.3 and gone:
        b = f"The {random.choice(words)} lives in `{random.choice(gone)}`."
    elif r < 0.4:
        b = f"Edit `{random.choice(paths)}` when the {random.choice(words)} changes."
    else:
        a, b2, c = random.sample(words, 3)
        b = f"Use the {a} {b2} helper for {c} number {i} before running the tests."
        kept.append(b)
    lines.append(b)
os.makedirs(os.path.join(repo, ".claude"), exist_ok=True)
out = ["# Learnings", ""]
per = 10
for s in range(0, len(lines), per):
    day = 28 - (s // per) % 28
    out += [f"## 2026-{11 - (s // per) // 28:02d}-{day:02d} (m{(s // per) % 3})", ""] + ["- " + l for l in lines[s:s + per]] + [""]
open(os.path.join(repo, ".claude/learnings.md"), "w").write("\n".join(out))
git("add", "-A"); git("commit", "-qm", "learnings")
PY
before_b=$(grep -c '^- ' "$repo/.claude/learnings.md"); before_c=$(wc -c < "$repo/.claude/learnings.md")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() { local t=(); for _ in 1 2 3 4 5; do s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); t+=("$(echo "$e - $s" | bc)"); done; printf '%s\n' "${t[@]}" | median; }
stale_n=$("$bin" stale --project "$repo" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["stale"]))')
stale_t=$(time_it "$bin" stale --project "$repo")
dry_t=$(time_it "$bin" tidy --project "$repo" --dry-run --no-push)
"$bin" tidy --project "$repo" --no-push >/dev/null
after_b=$(grep -c '^- ' "$repo/.claude/learnings.md"); after_c=$(wc -c < "$repo/.claude/learnings.md")
arch_b=$(grep -c '^- ' "$repo/.claude/learnings-archive.md" 2>/dev/null || echo 0)
tracked=$(git -C "$repo" ls-files | wc -l); ncommit=$(git -C "$repo" rev-list --count HEAD)
echo "repository: $tracked files, $ncommit commits"
echo "learnings.md before tidy: $before_b bullets, $before_c bytes"
echo "learnings.md after tidy:  $after_b bullets, $after_c bytes ($arch_b moved to the archive)"
echo "stale: $stale_n stale bullets, ${stale_t} s (median of 5)"
echo "tidy --dry-run: ${dry_t} s (median of 5)"
