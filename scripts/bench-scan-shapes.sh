#!/usr/bin/env bash
# Secret-scanner throughput per input shape, adversarial ones included (issue 15: every shape at
# 50 MB/s or more), and the peak memory of `scan` on the largest file (streamed: bounded).
#
#   scripts/bench-scan-shapes.sh            # 16 MB per shape, release build in .build-bench
#   MB=64 scripts/bench-scan-shapes.sh
#
# Each shape is one generated file; `context-sync scan --stats` reports bytes and seconds (best of
# RUNS, one core when taskset exists). Not part of the test suite.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-$ROOT/.build-bench}
MB=${MB:-16}
RUNS=${RUNS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-shapes.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

PIN=()
if command -v taskset >/dev/null 2>&1; then PIN=(taskset -c 0); fi

if [ -z "${BIN:-}" ]; then
  echo "== building context-sync (release, scratch $SCRATCH)"
  swift build -c release --scratch-path "$SCRATCH" --product context-sync >/dev/null
  BIN="$SCRATCH/release/context-sync"
fi

# gen NAME PYTHON-EXPR-OF-ONE-UNIT [joiner]: write MB megabytes of repeated units to $WORK/NAME
gen() {
  python3 - "$WORK/$1" "$MB" "$2" <<'EOF'
import random, string, sys
path, mb, expr = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = random.Random(7)
def rs(a, n): return "".join(r.choice(a) for _ in range(n))
AL = string.ascii_letters + string.digits
units = [eval(expr, {"rs": rs, "AL": AL, "r": r, "string": string}) for _ in range(2000)]
blob = "".join(units)
with open(path, "w") as f:
    target = mb * 1_000_000
    written = 0
    while written < target:
        f.write(blob)
        written += len(blob)
EOF
}

gen prose              '"The build uses swift 6 and the tests run on two cores; see the docs for details.\n"'
gen code               '"    let value = compute(input, options: .default) // returns the result\n"'
gen json-transcript    '"{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"Ran the tests, all green.\"}]}}\n"'
gen password-pairs     '"password=" + rs(string.ascii_lowercase, r.randrange(3, 8)) + ";"'
gen password-pairs-secrets '"password=" + rs(AL, 12) + ";"'
gen authorization      '"authorization:"'
gen authorization-hdr  '"Authorization: Bearer " + rs(AL, 40) + "\n"'
gen keywords-one-line  '"token key secret pass pw auth cred "'
gen url-anchors        '"://"'
gen command-anchors    '"mysql -p curl -u login zip "'
gen prose-connectors   '"the password is the secret key is "'
gen many-secrets-line  '"gh" + "p_" + rs(AL, 36) + " "'
gen base64-blob        'rs(AL + "+/", 76) + "\n"'
gen minified-js        '"var a=function(t){return t.password=e[t],t.token=n;};"'

printf '%-24s %8s %9s %10s %9s\n' shape MB seconds MB/s findings
worst=""
for f in "$WORK"/*; do
  name=$(basename "$f")
  best=""
  for _ in $(seq "$RUNS"); do
    line=$("${PIN[@]}" "$BIN" scan --stats "$f" 2>&1 >/dev/null | grep '^scanned' || true)
    secs=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s .*/\1/')
    if [ -z "$best" ] || (( $(echo "$secs < $best" | bc -l) )); then best=$secs; fi
  done
  count=$("$BIN" scan "$f" 2>/dev/null | wc -l || true)
  size=$(stat -c %s "$f")
  rate=$(echo "$size / 1000000 / ($best + 0.000001)" | bc -l)
  printf '%-24s %8.1f %9.3f %10.1f %9d\n' "$name" "$(echo "$size/1000000" | bc -l)" "$best" "$rate" "$count"
  if [ -z "$worst" ] || (( $(echo "$rate < ${worst#* }" | bc -l) )); then worst="$name $rate"; fi
done
printf '\nslowest shape: %s MB/s\n' "$worst"

if command -v /usr/bin/time >/dev/null 2>&1; then
  big="$WORK/big"
  for _ in $(seq 8); do cat "$WORK/prose" "$WORK/json-transcript"; done > "$big"
  rss=$(/usr/bin/time -f '%M' "$BIN" scan "$big" 2>&1 >/dev/null | tail -1)
  printf 'peak RSS scanning a %.0f MB file: %.1f MB\n' "$(echo "$(stat -c %s "$big")/1000000" | bc -l)" "$(echo "$rss/1024" | bc -l)"
fi
