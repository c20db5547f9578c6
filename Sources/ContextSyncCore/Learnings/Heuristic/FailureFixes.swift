/// Failure → fix: a command fails, and the same program and subcommand then works with a real
/// difference — another launcher, another directory, a prerequisite before it, other flags — or
/// works unchanged after exactly one other command ran in between (a prerequisite).
/// Commands that differ only in numbers, ids or files are different tasks, not a fix; a check
/// followed by its fix (`--check` → without it) is phrased "fix with …"; a "fix" that hides its
/// own exit status (`|| true`) or switches a safety check off (`--no-verify`) is never a rule.
enum FailureFixes {
    static let window = 40

    static func isShell(_ c: SessionEvent.ToolCall) -> Bool {
        if c.isBash { return true }
        let n = c.name.lowercased()
        return n.hasPrefix("mcp__") && ["bash", "exec", "shell", "run_command", "execute_command", "terminal"].contains { n.hasSuffix($0) }
    }

    static func isEdit(_ c: SessionEvent.ToolCall) -> Bool {
        ["Edit", "Write", "MultiEdit", "NotebookEdit"].contains(c.name) || c.name.lowercased().hasSuffix("edit_file")
            || c.name.lowercased().hasSuffix("write_file")
    }

    static let checkFlags: Set<String> = ["--check", "--check-formatted", "--dry-run", "--diff", "--verify", "--list-different",
                                          "--check-only", "-check"]
    static let codeCategories: Set<ErrorCategory> = [.testFailure, .buildError, .lintFailure]

    static let readOnlyGit: Set<String> = ["status", "log", "diff", "show", "branch", "rev-parse", "ls-files", "blame", "describe",
                                           "shortlog", "reflog", "grep", "config", "remote", "tag"]
    static let readOnlyPrograms: Set<String> = ["ls", "cat", "grep", "rg", "find", "head", "tail", "wc", "echo", "printf", "pwd", "which",
                                                "stat", "file", "diff", "sort", "uniq", "tree", "type", "date", "whoami", "env", "jq",
                                                "less", "more", "du", "df", "ps", "lsof", "sleep", "true", "false", "test", "[", "[[",
                                                "basename", "dirname", "realpath", "readlink", "cut", "tr", "history", "clear", "wait",
                                                "command", "curl", "wget", "tee", "xargs", "awk", "sed", "open", "code", "bd"]
    /// git work whose failure and fix can be a project lesson (`git add -f` for a tracked file
    /// under an ignored folder); read-only and remote git commands never are.
    static let gitLessons: Set<String> = ["add", "rm", "mv", "commit", "checkout", "switch", "stash", "merge", "rebase", "cherry-pick",
                                          "restore", "worktree", "submodule", "lfs", "apply", "am"]
    /// A "fix" that switches a safety check off is never a rule to share.
    static let bypassFlags: Set<String> = ["--no-verify", "--no-gpg-sign", "--force", "--no-check", "--skip-checks", "--unsafe",
                                           "--insecure", "-k", "--no-hooks", "--dangerously-skip-permissions", "--break-system-packages"]

    static let machineInstallers: Set<String> = ["brew", "apt", "apt-get", "dnf", "yum", "pacman", "port", "choco", "scoop", "winget",
                                                 "snap", "flatpak", "pipx", "mas"]

    /// A system package manager, or a global install (`npm i -g`, `--global`).
    static func installsOnMachine(_ p: ShellCommand.Part) -> Bool {
        machineInstallers.contains(p.program) || p.flags.contains("-g") || p.flags.contains("--global")
    }

    /// `x --help`, `x -h`, `x --version`, `x help`.
    static func isProbe(_ p: ShellCommand.Part) -> Bool {
        p.arguments.contains("--help") || p.arguments.contains("-h") || p.arguments.contains("--version")
            || p.arguments.contains("-V") || p.subcommand == "help"
    }

    /// A failure of the network or of a remote service: retrying later or otherwise proves nothing
    /// about how the command should be run.
    static func isTransient(_ line: String) -> Bool {
        let l = line.lowercased()
        return ["enotfound", "getaddrinfo", "econnrefused", "econnreset", "etimedout", "eai_again", "failedtoopensocket",
                "connectionrefused", "could not resolve host", "network is unreachable", "temporarily unavailable", "timed out",
                "connection reset", "rate limit", "503 service", "502 bad gateway", "no route to host", "name or service not known",
                "temporary failure in name resolution"].contains { TextBytes.contains(l, $0) }
    }

    /// A command that cannot have changed what the next one sees.
    static func isReadOnly(_ p: ShellCommand.Part) -> Bool {
        if readOnlyPrograms.contains(p.program) { return true }
        if p.program == "git" { return p.subcommand.map { readOnlyGit.contains($0) } ?? true }
        if let k = CommandKind.of(p), k == .test || k == .lint || k == .gate { return true }
        return p.arguments.contains("--help") || p.arguments.contains("--version") || p.arguments.contains("-h")
    }

    /// The part of a failed command that a fix can be compared with.
    static func failedPart(_ cmd: ShellCommand) -> ShellCommand.Part? { failedParts(cmd).first }

    /// The parts that may have failed, most likely first: the last one that is not routine (or
    /// git work that can hold a lesson), then the others of a chain.
    static func failedParts(_ cmd: ShellCommand) -> [ShellCommand.Part] {
        guard !cmd.isComplex, !cmd.changesRemoteState else { return [] }
        let candidates = cmd.parts.filter { !ShellCommand.routinePrograms.contains($0.program) }
        if !candidates.isEmpty { return candidates.reversed() }
        return cmd.parts.filter { $0.program == "git" && gitLessons.contains($0.subcommand ?? "") }.reversed()
    }

    enum Verdict { case judged, otherArguments }

    static func find(_ s: SessionEvents, normalize: (String) -> String, into c: inout Candidates) {
        let events = s.events
        for (i, e) in events.enumerated() {
            guard case .tool(let call) = e.kind, isShell(call),
                  case .error(let category, let line)? = call.outcome, category != .userRejected, category != .toolMechanics
            else { continue }
            let failed = ShellCommand(normalize(call.argument))
            // Which part of a chain failed is not recorded: try each, most likely first.
            for fp in failedParts(failed).prefix(3) {
                let before = c.learnings.map(\.evidence.count)
                scan(events, from: i, failed: failed, fp: fp, category: category, line: line, session: s.sessionId, normalize: normalize, into: &c)
                if c.learnings.map(\.evidence.count) != before { break }
            }
        }
    }

    static func scan(_ events: [SessionEvent], from i: Int, failed: ShellCommand, fp: ShellCommand.Part, category: ErrorCategory,
                     line: String, session: String, normalize: (String) -> String, into c: inout Candidates) {
        var edited = false
            var between: [ShellCommand.Part] = []
            for j in (i + 1)..<min(events.count, i + 1 + window) {
                // The user acted in between (restored the network, unlocked something): what changed is unknown.
                if case .user = events[j].kind { break }
                guard case .tool(let later) = events[j].kind else { continue }
                if isEdit(later) { edited = true; continue }
                guard isShell(later) else { continue }
                let fixed = ShellCommand(normalize(later.argument))
                let same = fixed.isComplex ? [] : fixed.parts.filter { family($0) == family(fp) }
                guard !same.isEmpty else {
                    if later.outcome == .ok { between += fixed.parts.filter { !isReadOnly($0) } }
                    continue
                }
                guard later.outcome == .ok else { continue }  // failed again: that failure is judged on its own
                // Prefer the part run differently (flags, launcher, directory) over a plain retry.
                let xp = same.first { flagNames($0) != flagNames(fp) || $0.launcher != fp.launcher || $0.directory != fp.directory } ?? same[0]
                let ev = [Learning.Evidence(sessionId: session, eventIndex: i), .init(sessionId: session, eventIndex: j)]
                let verdict = judge(failed: failed, fp: fp, fixed: fixed, xp: xp, category: category, errorLine: line, edited: edited,
                                    between: between, evidence: ev, into: &c)
                if verdict != .otherArguments { break }
                // Another file or target worked: keep looking for the fix of this one.
                between += fixed.parts.filter { !isReadOnly($0) && $0 != xp }
            }
    }

    /// npm, pnpm, yarn and bun run the same package scripts: one family. A script run from a
    /// directory is the script under it (`cd assets && node build.js` runs `assets/build.js`).
    static func family(_ p: ShellCommand.Part) -> String {
        let program = ["pnpm", "yarn", "bun"].contains(p.program) ? "npm" : p.program
        guard var sub = p.subcommand else { return program }
        while sub.hasPrefix("./") { sub = String(sub.dropFirst(2)) }
        if TextBytes.contains(sub, "/") || TextBytes.contains(sub, "."), let d = normalizedDir(p.directory), d != "." { return program + " " + d + "/" + sub }
        return program + " " + sub
    }

    /// The arguments that are not flags and not plain numbers.
    static func positional(_ p: ShellCommand.Part) -> [String] {
        p.arguments.filter { !$0.hasPrefix("-") && !$0.allSatisfy(\.isNumber) }
    }

    static func flagNames(_ p: ShellCommand.Part) -> Set<String> {
        Set(p.flags.map { String($0.split(separator: "=").first ?? Substring($0)) })
    }

    @discardableResult
    static func judge(failed: ShellCommand, fp: ShellCommand.Part, fixed: ShellCommand, xp: ShellCommand.Part, category: ErrorCategory,
                      errorLine: String, edited: Bool, between: [ShellCommand.Part], evidence ev: [Learning.Evidence],
                      into c: inout Candidates) -> Verdict {
        let why = category == .other ? "fails" : "fails with \(category.rawValue)"
        let detail = errorLine.count <= 100 && !errorLine.isEmpty ? " (\(errorLine))" : ""
        let x = xp.text
        let quotedFailed = CommandKind.isQuotable(fp) ? fp.text : fp.identity
        func reject(_ reason: String) { c.reject("`\(quotedFailed)` \(why); `\(x)` works.", .failureFix, reason, ev) }
        if fixed.masksStatus { reject("the fix hides its own exit status"); return .judged }
        if isTransient(errorLine) { reject("the failure was the network or a service, not the command"); return .judged }
        if installsOnMachine(xp) {
            reject("installs software on this machine, not a project lesson")
            return .judged
        }
        // `x --help` or `x --version` working after `x sub` failed only shows that the program
        // runs; and a failed probe (`x --version`) is not a project command either.
        if isProbe(xp) || isProbe(fp) {
            reject("a help or version probe, not a way to run the project")
            return .judged
        }
        if fixed.changesRemoteState { return .judged }
        guard CommandKind.isQuotable(xp) else { reject("names a run id, a number, a long value or is too long to quote"); return .judged }
        if xp.flags.contains(where: { bypassFlags.contains(String($0.split(separator: "=").first ?? "")) }) {
            reject("the fix switches a safety check off")
            return .judged
        }
        let fPos = positional(fp), xPos = positional(xp)
        let fFlags = flagNames(fp), xFlags = flagNames(xp)
        // The same arguments, or the failing file retried alone with a flag (`git add -f x`).
        guard fPos == xPos || fFlags != xFlags && !xPos.isEmpty && Set(xPos).isSubset(of: Set(fPos)) else {
            reject("differs in its arguments (another file, id or target): another task, not a fix")
            return .otherArguments
        }
        let extra = fixed.parts.prefix { $0 != xp }.filter { p in !failed.parts.contains(p) && !isReadOnly(p) }
        let launcherDiff = fp.launcher != xp.launcher || fp.words.first != xp.words.first && fp.program != xp.program
        let dirDiff = (normalizedDir(fp.directory) ?? ".") != (normalizedDir(xp.directory) ?? ".")
        let without = errorLine.count <= 100 && !errorLine.isEmpty ? " (without it: \(errorLine))" : ""
        if extra.contains(where: installsOnMachine) || between.contains(where: installsOnMachine) && fp.words == xp.words {
            reject("the prerequisite installs software on this machine, not a project lesson")
            return .judged
        }
        if !extra.isEmpty, extra.allSatisfy({ CommandKind.isQuotable($0) }) {
            let y = extra.map(\.text).joined(separator: " && ")
            guard !extra.contains(where: { ShellCommand($0.text).changesRemoteState }) else { return .judged }
            c.add(Learning(text: "Run `\(y)` before `\(x)`\(without).", source: .prerequisite, score: 0.85, evidence: ev,
                           why: "failed, then worked with `\(y)` first"))
        } else if dirDiff, let d = normalizedDir(xp.directory) {
            let fd = normalizedDir(fp.directory) ?? "."
            let from = fd == "." ? "from the repository root" : "from `\(fd)/`"
            let place = d == "." ? "the repository root" : "`\(d)/`"
            c.add(Learning(text: "Run `\(x)` from \(place): \(from) it \(why).", source: .failureFix, score: 0.85, evidence: ev,
                           why: "failed, then worked from another directory"))
        } else if launcherDiff {
            let (old, new, _) = prefixDifference(fp.words, xp.words)
            let text = old.isEmpty ? "Run `\(x)` through `\(new)`: plain `\(quotedFailed)` \(why)."
                : "Use `\(new)`, not `\(old)` (e.g. `\(x)`; `\(old)` \(why))."
            c.add(Learning(text: text, source: .failureFix, score: 0.85, evidence: ev, why: "failed, then worked with another launcher"))
        } else if fFlags != xFlags, fFlags.symmetricDifference(xFlags).count <= 2 {
            let added = xFlags.subtracting(fFlags).sorted()
            if !fFlags.intersection(checkFlags).isEmpty, xFlags.isSubset(of: fFlags) || xFlags.contains("--write") || xFlags.contains("--fix") {
                c.add(Learning(text: "When `\(quotedFailed)` reports problems, fix them with `\(x)`.", source: .failureFix, score: 0.6,
                               evidence: ev, why: "a check failed and its fix command then worked"))
            } else if codeCategories.contains(category) || edited {
                reject("code was edited or the failure was in the code, not in how the command was run")
            } else if !added.isEmpty, fPos != xPos || !CommandKind.isQuotable(fp) {
                let flags = HeuristicExtractor.naturalList(added.map { "`\($0)`" })
                c.add(Learning(text: "Use `\(x)`: without \(flags) `\(fp.identity)` \(why)\(detail).", source: .failureFix, score: 0.85,
                               evidence: ev, why: "failed, then worked with \(flags)"))
            } else {
                c.add(Learning(text: "`\(quotedFailed)` \(why); `\(x)` works.", source: .failureFix, score: 0.85, evidence: ev,
                               why: "failed, then worked with other flags"))
            }
        } else if fp.words == xp.words {
            // Unchanged command: a prerequisite when exactly one other command changed something.
            let distinct = Array(Set(between.map(\.text))).sorted()
            guard !edited, distinct.count == 1, let y = between.first, !ShellCommand(y.text).changesRemoteState,
                  y.identity != fp.identity, CommandKind.isQuotable(y) else { return .judged }
            c.add(Learning(text: "Run `\(y.text)` before `\(x)`\(without).", source: .prerequisite, score: 0.85, evidence: ev,
                           why: "failed, `\(y.text)` ran, then the same command worked"))
        } else {
            reject("differs only in arguments (numbers, ids or files)")
            return .otherArguments
        }
        return .judged
    }

    static func normalizedDir(_ d: String?) -> String? {
        guard var d, !d.isEmpty else { return nil }
        if d.hasPrefix("\"") || d.hasPrefix("'") { d = d.trimmed(of: "\"'") }
        while d.hasPrefix("./") { d = String(d.dropFirst(2)) }
        while d.count > 1 && d.hasSuffix("/") { d = String(d.dropLast()) }
        return d.isEmpty ? "." : d
    }

    /// (old prefix, new prefix, common suffix) of two word lists.
    static func prefixDifference(_ a: [String], _ b: [String]) -> (String, String, String) {
        var i = a.count - 1, j = b.count - 1
        while i >= 0 && j >= 0 && a[i] == b[j] { i -= 1; j -= 1 }
        return (a.prefix(i + 1).joined(separator: " "), b.prefix(j + 1).joined(separator: " "), a[(i + 1)...].joined(separator: " "))
    }
}
