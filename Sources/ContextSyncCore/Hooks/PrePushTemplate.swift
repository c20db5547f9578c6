// The pre-push hook script `context-sync install hook` writes: a copy of templates/pre-push,
// embedded so the installed binary needs no resource files. A test checks the two are identical;
// edit templates/pre-push and paste it here (between the delimiters, unindented).

/// The text of templates/pre-push.
public enum PrePushTemplate {
    /// Stands for the absolute path of the `context-sync` binary (the fallback when it is not on PATH).
    public static let binaryPlaceholder = "@CONTEXT_SYNC_BIN@"

    /// The script, byte for byte as in templates/pre-push.
    public static let text = #"""
#!/bin/sh
# installed by context-sync
#
# git pre-push hook installed by `context-sync install hook`.
#
# 1. A pre-push hook that was here before is kept as `pre-push.local` next to this file and runs
#    first, with the same arguments and the same ref lines on stdin. If it fails, the push fails.
# 2. `context-sync hook pre-push` then scans the lines the outgoing commits add to
#    .claude/learnings.md, CLAUDE.md and .claude/CLAUDE.md: a secret refuses the push (exit 1).
#    Otherwise, in a repository that is opted in (the rule of `run --all`), it harvests new
#    learnings for the next push within a small time budget (CONTEXT_SYNC_HOOK_BUDGET seconds,
#    default 20). Nothing else ever refuses the push.
#
# Remove with `context-sync install hook --uninstall` (restores `pre-push.local` as `pre-push`).

fallback='@CONTEXT_SYNC_BIN@'

hook_dir=$(dirname "$0")
refs=$(mktemp "${TMPDIR:-/tmp}/context-sync-pre-push.XXXXXX" 2>/dev/null) || refs=
if [ -n "$refs" ]; then
    trap 'rm -f "$refs"' EXIT
    trap 'exit 130' INT TERM HUP
    cat >"$refs"
else
    echo "context-sync: note: cannot create a temporary file; the ref lines go to the first hook only" >&2
fi

status=0
chained="$hook_dir/pre-push.local"
if [ -f "$chained" ]; then
    if [ -x "$chained" ]; then
        if [ -n "$refs" ]; then
            "$chained" "$@" <"$refs"
        else
            "$chained" "$@"
        fi
        status=$?
        if [ "$status" -ne 0 ]; then
            exit "$status"
        fi
    else
        echo "context-sync: note: $chained is not executable, so it was not run (chmod +x it to run it)" >&2
    fi
fi

if [ -z "$refs" ] && [ -x "$chained" ]; then
    exit "$status"
fi

if command -v context-sync >/dev/null 2>&1; then
    bin=context-sync
elif [ -x "$fallback" ]; then
    bin=$fallback
else
    echo "context-sync: note: context-sync is not on PATH (nor at $fallback); push not checked" >&2
    exit "$status"
fi

if [ -n "$refs" ]; then
    "$bin" hook pre-push "$1" "$2" <"$refs"
else
    "$bin" hook pre-push "$1" "$2"
fi
rc=$?
if [ "$rc" -eq 1 ]; then
    exit 1
fi
if [ "$rc" -ne 0 ]; then
    echo "context-sync: note: '$bin hook pre-push' ended with status $rc; push not blocked" >&2
fi
exit "$status"

"""#

    /// The script with `binary` as its fallback path, quoted for a single-quoted shell string.
    public static func rendered(binary: String) -> String {
        let quoted = binary.replacingOccurrences(of: "'", with: #"'\''"#)
        return text.replacingOccurrences(of: binaryPlaceholder, with: quoted)
    }
}
