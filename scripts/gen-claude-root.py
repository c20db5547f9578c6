#!/usr/bin/env python3
"""Deterministic generator of a synthetic Claude Code root for benchmarks.

    gen-claude-root.py OUT_DIR [--projects 200] [--sessions 5000] [--total-mb 2000] [--seed 1]

Writes OUT_DIR/claude/projects/<encoded cwd>/<uuid>.jsonl and a git repository per project under
OUT_DIR/src/ (so sessions match real repositories). The record mix follows Claude Code 2.1.x:
a snapshot first line without cwd, progress lines (the majority), assistant lines split per
content block, user tool results (some large), occasional compactions, interrupts, big base64
image lines, and a few malformed lines. One project ("big") holds about 40% of the bytes so a
single `sessions` run measures full-parse throughput. Prints a JSON summary on stdout.
"""
import json, os, random, re, subprocess, sys, uuid, argparse

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--projects", type=int, default=200)
ap.add_argument("--sessions", type=int, default=5000)
ap.add_argument("--total-mb", type=int, default=2000)
ap.add_argument("--seed", type=int, default=1)
# --realistic: strings as dense in escapes as real transcripts (\n, \", \uXXXX), structured
# toolUseResult objects (file, patch), progress records with nested data, long tool outputs.
ap.add_argument("--realistic", action="store_true")
a = ap.parse_args()
rnd = random.Random(a.seed)
out = os.path.abspath(a.out)
root = os.path.join(out, "claude", "projects")
src = os.path.join(out, "src")
os.makedirs(root, exist_ok=True)
os.makedirs(src, exist_ok=True)

WORDS = ("the build fails because the config path is wrong so we fix the loader and rerun the tests "
         "then check the server logs for errors before deploying again with make deploy").split()

ESC = ["\n", "\"quoted\"", "caf\u00e9", "\u2014", "\t", "\\path\\x", "\u2713 ok"]

def text(n):
    if not a.realistic:
        return " ".join(rnd.choice(WORDS) for _ in range(n))
    # Roughly one escape every five words, as in real tool output and code.
    return " ".join(rnd.choice(ESC) if rnd.random() < 0.2 else rnd.choice(WORDS) for _ in range(n))

def encode(p):
    return re.sub(r"[^A-Za-z0-9]", "-", p)

def uid():
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))

def session_lines(cwd, sid, target_bytes):
    ts = [1767225600.0 + rnd.random() * 3e6]
    def stamp():
        ts[0] += rnd.random() * 20
        s = ts[0]
        import time
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%03dZ" % int((s % 1) * 1000)
    base = {"isSidechain": False, "userType": "external", "cwd": cwd, "sessionId": sid,
            "version": "2.1.39", "gitBranch": "main"}
    parent = [None]
    def rec(**kw):
        u = uid()
        r = {"parentUuid": parent[0], **base, **kw, "uuid": u, "timestamp": stamp()}
        parent[0] = u
        return json.dumps(r, separators=(",", ":"))
    lines = [json.dumps({"type": "file-history-snapshot", "messageId": uid(), "snapshot": {"messageId": uid(),
             "trackedFileBackups": {}, "timestamp": stamp()}, "isSnapshotUpdate": False})]
    size = len(lines[0])
    while size < target_bytes:
        k = rnd.random()
        if k < 0.08:
            l = rec(type="user", message={"role": "user", "content": text(rnd.randint(5, 60))})
        elif k < 0.55:
            l = rec(type="progress", data={"type": "hook_progress", "hookEvent": "PostToolUse",
                    "hookName": "PostToolUse:Bash", "command": "~/.claude/hooks/check.sh"},
                    **({"output": text(rnd.randint(10, 200)), "elapsedTimeSeconds": 3} if a.realistic else {}),
                    toolUseID="toolu_" + uid()[:20], parentToolUseID="toolu_" + uid()[:20])
        elif k < 0.75:
            mid = "msg_" + uid()[:24]
            blocks = [{"type": "text", "text": text(rnd.randint(10, 120))}]
            if rnd.random() < 0.6:
                blocks.append({"type": "tool_use", "id": "toolu_" + uid()[:24], "name": rnd.choice(["Bash", "Read", "Edit", "Grep"]),
                               "input": {"command": "make test " + text(3)}})
            for b in blocks:
                l = rec(type="assistant", requestId="req_" + uid()[:20], message={"id": mid, "role": "assistant",
                        "model": "claude-opus", "content": [b], "stop_reason": None,
                        "usage": {"input_tokens": rnd.randint(1, 9999), "output_tokens": rnd.randint(1, 999)}})
                lines.append(l)
                size += len(l) + 1
            continue
        elif k < 0.985:
            big = rnd.random() < 0.03
            body = text(rnd.randint(20000, 60000) if big else rnd.randint(20, 400))
            err = rnd.random() < 0.08
            l = rec(type="user", message={"role": "user", "content": [{"type": "tool_result",
                    "tool_use_id": "toolu_" + uid()[:24], "content": body, "is_error": err}]},
                    toolUseResult=({"type": "text", "file": {"filePath": cwd + "/src/main.py", "content": body,
                                    "numLines": body.count("\n") + 1, "startLine": 1, "totalLines": 400}}
                                   if a.realistic and rnd.random() < 0.5 else
                                   {"stdout": body if a.realistic else body[:2000], "stderr": "", "interrupted": False}))
        elif k < 0.99:
            l = rec(type="user", message={"role": "user", "content": [{"type": "image", "source": {"type": "base64",
                    "media_type": "image/png", "data": "".join(rnd.choice("ABCDEFGHabcdefgh0123+/") for _ in range(64)) * rnd.randint(1000, 8000)}}]})
        elif k < 0.993:
            l = rec(type="system", subtype="compact_boundary", content="Conversation compacted",
                    compactMetadata={"trigger": "auto", "preTokens": 160000})
        elif k < 0.996:
            l = rec(type="user", message={"role": "user", "content": [{"type": "text", "text": "[Request interrupted by user]"}]})
        else:
            l = '{"type":"user","message":{"content":"truncated'  # malformed line
        lines.append(l)
        size += len(l) + 1
    return lines

def git(args, cwd):
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"] + args, cwd=cwd,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

total = a.total_mb * 1024 * 1024
names = ["big"] + ["p%03d" % i for i in range(1, a.projects)]
big_sessions = a.sessions // 5
per_small = (a.sessions - big_sessions) // max(1, a.projects - 1)
extra = (a.sessions - big_sessions) - per_small * (a.projects - 1)
big_bytes = int(total * 0.4)
small_bytes = total - big_bytes
written = 0
count = 0
for i, name in enumerate(names):
    repo = os.path.join(src, name)
    os.makedirs(os.path.join(repo, "sub"), exist_ok=True)
    git(["init", "-q", "-b", "main"], repo)
    git(["commit", "-q", "--allow-empty", "-m", "init " + name], repo)
    git(["remote", "add", "origin", "git@example.com:bench/%s.git" % name], repo)
    n = big_sessions if name == "big" else per_small + (1 if i <= extra else 0)
    budget = big_bytes if name == "big" else small_bytes // (a.projects - 1)
    for j in range(n):
        cwd = repo if rnd.random() < 0.85 else os.path.join(repo, "sub")
        folder = os.path.join(root, encode(cwd))
        os.makedirs(folder, exist_ok=True)
        sid = uid()
        target = max(2000, int(rnd.lognormvariate(0, 0.8) * budget / n / 1.37))
        data = "\n".join(session_lines(cwd, sid, target)) + "\n"
        with open(os.path.join(folder, sid + ".jsonl"), "w") as f:
            f.write(data)
        written += len(data)
        count += 1
# Age every file past the settle window.
old = 1767225600
for dp, _, fs in os.walk(root):
    for f in fs:
        os.utime(os.path.join(dp, f), (old, old))
json.dump({"projects": len(names), "sessions": count, "bytes": written, "big_repo": os.path.join(src, "big")}, sys.stdout)
print()
