#!/usr/bin/env bash
# Evaluates the built-in extractor on the real transcripts in ../shared/fixtures/claude-transcripts.
#
#   scripts/eval-learnings.sh [--tuned | --held-out] [--list] [--dropped]
#
# Runs HeuristicExtractorEvalTests (one run per session, and one run per project over its whole
# backlog) with CONTEXT_SYNC_EVAL_OUT set, then prints per session and overall:
#   precision = useful / all bullets (verdicts in Tests/Eval/learnings/verdicts.json),
#   wrong     = bullets judged wrong (must be 0),
#   recall    = reference bullets (Tests/Eval/learnings/reference.json) matched by a bullet of the
#               session's own run or of the project run citing the session (match: the reference
#               token occurs in the bullet, case-insensitive).
# Bullets without a verdict are listed as "unjudged". --list prints every bullet with its verdict;
# --dropped also prints what the project runs turned down and why.
# Exit status: 0, or 1 when a bullet is wrong or unjudged.
set -euo pipefail
cd "$(dirname "$0")/.."
scope=all; list=0; dropped=0
for a in "$@"; do
  case "$a" in
    --tuned) scope=tuned ;; --held-out) scope=heldOut ;; --list) list=1 ;; --dropped) dropped=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "eval-learnings.sh: unknown argument $a (see --help)" >&2; exit 2 ;;
  esac
done
out=$(mktemp -t eval-learnings.XXXXXX.json)
log=$(mktemp -t eval-learnings.XXXXXX.log)
trap 'rm -f "$out" "$out.dropped.txt" "$log"' EXIT
swift build --build-tests >"$log" 2>&1 || { tail -30 "$log" >&2; echo "eval-learnings.sh: build failed" >&2; exit 2; }
CONTEXT_SYNC_EVAL_OUT="$out" swift test --skip-build --filter HeuristicExtractorEvalTests >>"$log" 2>&1 || true
[ -s "$out" ] || { tail -30 "$log" >&2; echo "eval-learnings.sh: the eval test wrote no bullets" >&2; exit 2; }
if [ "$dropped" = 1 ]; then echo "Dropped by the project runs:"; sed 's/^/  /' "$out.dropped.txt"; echo; fi
python3 - "$out" "$scope" "$list" <<'PY'
import json, sys, collections
produced = json.load(open(sys.argv[1])); scope = sys.argv[2]; listing = sys.argv[3] == "1"
d = "Tests/Eval/learnings/"
split = json.load(open(d + "split.json"))
verdicts = {(v["project"], v["bullet"]): v["verdict"] for v in json.load(open(d + "verdicts.json"))}
refs = json.load(open(d + "reference.json"))
groups = {"tuned": set(split["tuned"]), "heldOut": set(split["heldOut"])}
def inscope(project):
    return scope == "all" or project in groups[scope]
def group_of(project):
    return "tuned" if project in groups["tuned"] else "heldOut" if project in groups["heldOut"] else "other"
import os
sessions = collections.OrderedDict()
root = "../shared/fixtures/claude-transcripts"
for project in sorted(os.listdir(root)):
    if not os.path.isdir(os.path.join(root, project)): continue
    for dirpath, dirs, files in sorted(os.walk(os.path.join(root, project))):
        if "/subagents" in dirpath: continue
        for f in sorted(files):
            if not f.endswith(".jsonl") or f.startswith("agent-"): continue
            sid = os.path.basename(dirpath) if f == "transcript.jsonl" else f[:-6]
            sessions.setdefault((project, sid), [])
for p in produced:
    if p["run"] != "*": sessions.setdefault((p["project"], p["run"]), [])
for r in refs: sessions.setdefault((r["project"], r["session"]), [])
bad = 0
def stats(bullets):
    v = [verdicts.get((b["project"], b["text"]), "unjudged") for b in bullets]
    return len(v), v.count("useful"), v.count("wrong"), v.count("unjudged")
def recalled(project, session):
    mine = [b["text"].lower() for b in produced if b["project"] == project and (b["run"] == session or b["run"] == "*" and session in b["sessions"])]
    rs = [r for r in refs if r["project"] == project and r["session"] == session]
    return len(rs), sum(1 for r in rs if any(r["token"].lower() in t for t in mine))
tot = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0, 0])  # bullets useful wrong unjudged refs hit sessions maxPerSession
print(f"{'project/session':58} {'bullets':>7} {'useful':>6} {'wrong':>5} {'recall':>9}")
for (project, session), _ in sessions.items():
    if not inscope(project): continue
    bl = [b for b in produced if b["project"] == project and b["run"] == session]
    n, u, w, un = stats(bl); nr, hit = recalled(project, session)
    t = tot[group_of(project)]
    for k, x in enumerate([n, u, w, un, nr, hit, 1]): t[k] += x
    t[7] = max(t[7], n)
    print(f"{(project[:24] + '/' + session[:33]):58} {n:>7} {u:>6} {w:>5} {hit:>4}/{nr:<4}")
    if listing:
        for b in bl: print(f"    [{verdicts.get((b['project'], b['text']), 'unjudged')}] {b['text']}")
print()
print("Project runs (whole backlog, default limits):")
for project in sorted({b["project"] for b in produced}):
    if not inscope(project): continue
    bl = [b for b in produced if b["project"] == project and b["run"] == "*"]
    n, u, w, un = stats(bl)
    print(f"  {project:40} {n:>3} bullets, {u} useful, {w} wrong, {un} unjudged")
    t = tot[group_of(project) + " (project runs)"]
    for k, x in enumerate([n, u, w, un]): t[k] += x
    t[6] += 1; t[7] = max(t[7], n)
    if listing:
        for b in bl: print(f"    [{verdicts.get((b['project'], b['text']), 'unjudged')}] {b['text']}")
print()
for g, t in tot.items():
    n, u, w, un, nr, hit, ns, mx = t
    prec = f"{100 * u / n:.0f}%" if n else "n/a (no bullets)"
    rec = f"{100 * hit / nr:.0f}%" if nr else "n/a"
    if g.endswith("(project runs)"):
        print(f"{g}: {ns} projects, {n} bullets (max {mx}/run), precision {prec}, wrong {w}, unjudged {un}")
    else:
        print(f"{g}: {ns} sessions, {n} bullets (max {mx}/session), precision {prec}, wrong {w}, unjudged {un}, recall {hit}/{nr} = {rec}")
    bad += w + un
for b in produced:
    if inscope(b["project"]) and (b["project"], b["text"]) not in verdicts:
        print(f"unjudged: [{b['project']}] {b['text']}")
sys.exit(1 if bad else 0)
PY
