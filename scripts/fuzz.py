#!/usr/bin/env python3
"""Mutation fuzzer behind scripts/fuzz.sh (see there for the options).

Real lines of Claude Code transcripts are mutated (byte flips, truncation, inserted quotes,
braces, backslashes, NUL, invalid UTF-8, lone surrogate escapes, line duplication, deep nesting,
huge numbers) and fed to three parsers of the built binary, each call under a timeout:
  reader     a fake Claude root holding the mutated session: `sessions --json` and `digest`
  scan       the mutated text on stdin: `scan -` (sometimes --json or --redact)
  learnings  a repository whose .claude/learnings.md is a mutated learnings file:
             `apply --dry-run` with a few (mutated) bullets on stdin
A call passes when it exits with a documented code (0-4) within the timeout; a signal or any
other status is a crash, a timeout a hang. Exit 2 must come with one `context-sync: error:` line
(warnings aside), else it counts as unclear. Half of the inputs also carry an intact secret made up
at run time (GitHub, AWS, Slack token shapes) on a line of its own: it must never appear in the
binary's stdout or stderr (a leak); `scan` missing it is counted (missed). Inputs that fail are saved under the work directory
(never printed: they may hold secret-looking text). Output of the binary is discarded.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

DOCUMENTED = {0, 1, 2, 3, 4}
INSERTS = [b'"', b"'", b"{", b"}", b"[", b"]", b"\\", b"\\\\", b'\\"', b"\x00", b"\xff", b"\xfe", b"\xc3",
           b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\\ud800", b"\\udfff\\ud800",
           b"\\u0000", b"\\u", b"\r", b"\n", b"\t", b"\x1b[31m", b"\u202e".decode("unicode_escape").encode(),
           b":", b",", b"null", b"true", b"-", b"## ", b"- ", b"<<<<<<< HEAD\n", b"=======\n", b">>>>>>> x\n"]


def fresh_secret(rng):
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    pick = lambda chars, n: "".join(rng.choice(chars) for _ in range(n))
    kind = rng.randrange(3)
    if kind == 0:
        return "ghp_" + pick(alnum, 36)
    if kind == 1:
        return "AKIA" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    return "xoxb-" + pick("0123456789", 12) + "-" + pick("0123456789", 12) + "-" + pick(alnum, 24)


def plant(text, line, rng):
    """`line` inserted as a line of its own at a random line boundary of `text`."""
    ls = text.split(b"\n")
    ls.insert(rng.randrange(len(ls) + 1), line)
    return b"\n".join(ls)


def load_corpus(root, rng, per_file=400, max_line=300_000):
    lines = []
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".jsonl"):
                continue
            with open(os.path.join(dirpath, name), "rb") as f:
                data = [l for l in f.read().split(b"\n") if l.strip() and len(l) <= max_line]
            rng.shuffle(data)
            lines.extend(data[:per_file])
    return lines


def mutate(data, rng):
    kind = rng.randrange(10)
    if not data:
        return rng.choice(INSERTS)
    if kind == 0:    # byte flips
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b)
    if kind == 1:    # truncation
        return data[: rng.randrange(len(data))]
    if kind in (2, 3, 4):  # insertions of syntax characters and bad bytes
        b = data
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(len(b) + 1)
            b = b[:i] + rng.choice(INSERTS) * rng.choice([1, 1, 1, 2, 7]) + b[i:]
        return b
    if kind == 5:    # line duplication / shuffling
        ls = data.split(b"\n")
        i = rng.randrange(len(ls))
        ls.insert(i, ls[i])
        if rng.random() < 0.3:
            rng.shuffle(ls)
        return b"\n".join(ls)
    if kind == 6:    # deep nesting
        depth = rng.choice([100, 1000, 10_000, 100_000])
        opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
        nested = opener * depth + b"1" + (closer * depth if rng.random() < 0.5 else b"")
        i = rng.randrange(len(data) + 1)
        return data[:i] + nested + data[i:]
    if kind == 7:    # numbers at the edges
        weird = rng.choice([b"1e999999", b"-0", b"99999999999999999999999999", b"-1", b"1.5e-400", b"0x1f", b"NaN"])
        return re.sub(rb"\d+", lambda m: weird if rng.random() < 0.3 else m.group(0), data, count=20)
    if kind == 8:    # a string value replaced by a non-string
        return re.sub(rb'"(content|text|type|message|cwd|uuid|timestamp)":\s*"', lambda m: b'"' + m.group(1) + b'":'
                      + rng.choice([b"null,\"x\":\"", b"[\"", b"{\"y\":\"", b"7,\"z\":\""]), data, count=1)
    # kind 9: splice two halves of different places
    i, j = rng.randrange(len(data) + 1), rng.randrange(len(data) + 1)
    return data[:i] + data[j:]


def mutated_text(lines, rng, count):
    picked = [rng.choice(lines) for _ in range(count)]
    out = []
    for l in picked:
        if rng.random() < 0.6:
            for _ in range(rng.randint(1, 3)):
                l = mutate(l, rng)
        out.append(l)
    text = b"\n".join(out)
    if rng.random() < 0.2:
        text = mutate(text, rng)
    return text + (b"\n" if rng.random() < 0.8 else b"")


class Fuzzer:
    def __init__(self, binary, work, timeout):
        self.binary, self.work, self.timeout = binary, work, timeout
        self.stats = {t: {"inputs": 0, "calls": 0, "crashes": 0, "hangs": 0, "unclear": 0, "leaks": 0, "planted": 0, "missed": 0, "codes": {}}
                      for t in ("reader", "scan", "learnings")}
        self.saved = os.path.join(work, "failures")
        os.makedirs(self.saved, exist_ok=True)
        self.home = os.path.join(work, "home")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("CONTEXT_SYNC_", "GIT_", "XDG_", "CLAUDE_")) and k != "SSH_AUTH_SOCK"}
        self.env.update({"HOME": self.home, "XDG_CONFIG_HOME": self.home + "/config", "XDG_STATE_HOME": self.home + "/state",
                         "XDG_CACHE_HOME": self.home + "/cache", "CLAUDE_CONFIG_DIR": self.home + "/claude",
                         "CONTEXT_SYNC_MACHINE": "fuzz", "GIT_CONFIG_NOSYSTEM": "1"})
        self.repo = os.path.join(work, "repo")
        os.makedirs(self.home + "/claude/projects", exist_ok=True)
        git = ["git", "-c", "user.name=Fuzz", "-c", "user.email=fuzz@example.invalid"]
        subprocess.run(git + ["init", "-q", "-b", "main", self.repo], check=True, env=self.env)
        subprocess.run(git + ["-C", self.repo, "commit", "-q", "--allow-empty", "-m", "init"], check=True, env=self.env)
        self.folder = os.path.join(self.home, "claude", "projects", re.sub(r"[^A-Za-z0-9]", "-", self.repo))
        os.makedirs(self.folder, exist_ok=True)

    def call(self, target, args, stdin, inputs, secret=None):
        """Runs the binary; returns its exit status, or None on a hang."""
        st = self.stats[target]
        st["calls"] += 1
        try:
            p = subprocess.run([self.binary] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=self.repo, env=self.env, timeout=self.timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            st["hangs"] += 1
            self.save(target, "hang", args, inputs)
            return None
        st["codes"][rc] = st["codes"].get(rc, 0) + 1
        if rc not in DOCUMENTED or b"Fatal error" in p.stderr:
            st["crashes"] += 1
            self.save(target, f"crash-{rc}", args, inputs)
        elif rc == 2:
            errs = [l for l in p.stderr.split(b"\n") if l.strip() and not l.startswith(b"context-sync: warning:")]
            if len(errs) != 1 or not errs[0].startswith(b"context-sync: error:"):
                st["unclear"] += 1
                self.save(target, "unclear-error", args, inputs)
        if secret is not None and (secret in p.stdout or secret in p.stderr):
            st["leaks"] += 1
            self.save(target, "leak", args, inputs)
        return rc

    def save(self, target, what, args, inputs):
        d = os.path.join(self.saved, f"{target}-{self.stats[target]['inputs']:05d}-{what}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "argv"), "w") as f:
            f.write(" ".join(args) + "\n")
        for name, data in inputs.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)

    def reader(self, lines, rng):
        self.stats["reader"]["inputs"] += 1
        for old in os.listdir(self.folder):
            p = os.path.join(self.folder, old)
            shutil.rmtree(p) if os.path.isdir(p) else os.unlink(p)
        # Real lines, their cwd rewritten to the fake repository so the session is this project's.
        cwd = self.repo.encode()
        base = [re.sub(rb'"cwd":"[^"]*"', b'"cwd":"' + cwd + b'"', l) for l in (rng.choice(lines) for _ in range(rng.randint(3, 40)))]
        text = mutated_text(base, rng, len(base))
        secret = None
        if rng.random() < 0.5:
            secret = fresh_secret(rng).encode()
            self.stats["reader"]["planted"] += 1
            text = plant(text, b'{"type":"user","uuid":"fuzz-secret","cwd":"' + cwd + b'","timestamp":"2026-03-01T10:00:00.000Z",'
                         b'"message":{"role":"user","content":"deploy with ' + secret + b' please"}}', rng)
        name = str(uuid.UUID(int=rng.getrandbits(128))) + ".jsonl"
        path = os.path.join(self.folder, name)
        with open(path, "wb") as f:
            f.write(text)
        old = time.time() - 7200
        os.utime(path, (old, old))
        inputs = {name: text}
        self.call("reader", ["sessions", "--project", self.repo, "--json"], b"", inputs, secret)
        self.call("reader", ["digest", "--project", self.repo, "--no-record", "--settle", "0"]
                  + (["--json"] if rng.random() < 0.3 else []), b"", inputs, secret)

    def scan(self, lines, rng):
        self.stats["scan"]["inputs"] += 1
        text = mutated_text(lines, rng, rng.randint(1, 12))
        flags = rng.choice([[], [], ["--json"], ["--redact"]])
        secret = None
        if rng.random() < 0.5:
            secret = fresh_secret(rng).encode()
            self.stats["scan"]["planted"] += 1
            text = plant(text, b"token = " + secret, rng)
        rc = self.call("scan", ["scan", "-"] + flags, text, {"stdin": text}, secret)
        if secret is not None and rc is not None and rc != 1:
            self.stats["scan"]["missed"] += 1
            self.save("scan", f"missed-{rc}", ["scan", "-"] + flags, {"stdin": text})

    LEARNINGS = (b"# Learnings\n<!-- Maintained by context-sync. Edit freely: sections are merged by date and machine. -->\n\n"
                 b"## 2026-11-21 (laptop)\n\n- Run `docker compose up -d db` before `pnpm db:migrate`.\n"
                 b"- Use `pnpm`, not `npm` (e.g. `pnpm test`; `npm` fails).\n\nSome prose the user wrote.\n\n"
                 b"## 2026-11-20 (vm)\n\n- Prices are stored as integer cents everywhere; never use floats for money.\n"
                 b"  continued line of a bullet\n\n### Notes\n\n* another list style\n")

    def learnings(self, lines, rng):
        self.stats["learnings"]["inputs"] += 1
        base = self.LEARNINGS.split(b"\n")
        # Some real transcript text as user prose or bullets.
        for _ in range(rng.randint(0, 3)):
            l = rng.choice(lines)[:400]
            base.insert(rng.randrange(len(base) + 1), rng.choice([b"- ", b"", b"## "]) + l)
        doc = b"\n".join(base)
        for _ in range(rng.randint(1, 4)):
            doc = mutate(doc, rng)
        os.makedirs(os.path.join(self.repo, ".claude"), exist_ok=True)
        with open(os.path.join(self.repo, ".claude", "learnings.md"), "wb") as f:
            f.write(doc)
        bullets = b"- Run `make check` before pushing.\n- Use `uv run pytest`, not `pytest`.\n"
        if rng.random() < 0.5:
            bullets = mutate(bullets, rng)
        secret = None
        if rng.random() < 0.5:
            secret = fresh_secret(rng).encode()
            self.stats["learnings"]["planted"] += 1
            bullets = plant(bullets, b"- Deploy with `" + secret + b"` as the token.", rng)
        self.call("learnings", ["apply", "--project", self.repo, "--dry-run"] + (["--json"] if rng.random() < 0.3 else []),
                  bullets, {"learnings.md": doc, "stdin": bullets}, secret)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--max-seconds", type=float, default=1800.0)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    lines = load_corpus(a.corpus, rng)
    if not lines:
        print(f"fuzz: error: no transcript lines under {a.corpus}", file=sys.stderr)
        return 2
    fz = Fuzzer(a.binary, a.work, a.timeout)
    targets = [fz.reader, fz.scan, fz.learnings]
    start = time.time()
    done = 0
    for i in range(a.iterations):
        if time.time() - start > a.max_seconds:
            break
        targets[i % 3](lines, rng)
        done += 1
    s = fz.stats
    parts = [f"{t} {s[t]['inputs']} inputs, {s[t]['crashes']} crashes, {s[t]['hangs']} hangs, {s[t]['unclear']} unclear errors, "
             f"{s[t]['leaks']} leaks of {s[t]['planted']} planted secrets" + (f" ({s[t]['missed']} missed)" if t == "scan" else "")
             for t in s]
    codes = "; ".join(f"{t} " + "{" + ", ".join(f"{k}: {v}" for k, v in sorted(s[t]["codes"].items())) + "}" for t in s)
    stopped = "" if done == a.iterations else f", stopped after {a.max_seconds:.0f} s at {done} of {a.iterations}"
    print(f"fuzz: {'; '.join(parts)} (exit codes {codes}; {len(lines)} corpus lines; seed {seed}; {time.time() - start:.0f}s{stopped})")
    bad = sum(s[t]["crashes"] + s[t]["hangs"] + s[t]["unclear"] + s[t]["leaks"] for t in s)
    if bad:
        print(f"fuzz: {bad} failing input(s) saved under {fz.saved}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
