import Foundation

/// A secret in a line an outgoing commit adds. Holds the masked excerpt only, never the secret.
public struct PrePushFinding: Sendable, Equatable {
    /// Full hex id of the commit that adds the line.
    public var commit: String
    public var file: String
    /// 1-based line number in the commit's version of `file`.
    public var line: Int
    public var rule: String
    /// The secret masked by the scanner (first characters, then `…`).
    public var excerpt: String

    public var shortCommit: String { String(commit.prefix(7)) }

    /// `context-sync: secret in <commit> <file>:<line>: <rule> <masked>`
    public var message: String {
        "context-sync: secret in \(shortCommit) \(file):\(line): \(rule) \(excerpt)"
    }
}

/// Scans the added lines of outgoing commits.
public enum PrePushScan {
    /// Findings in `additions`. Each run of consecutive added lines is scanned as one text (so a
    /// multi-line key block is seen whole), and findings are mapped back to new-file line numbers.
    public static func findings(in additions: [AddedLines], scanner: SecretScanner) -> [PrePushFinding] {
        var out: [PrePushFinding] = []
        for a in additions {
            var start = 0
            while start < a.lines.count {
                var end = start + 1
                while end < a.lines.count && a.lineNumbers[end] == a.lineNumbers[end - 1] + 1 { end += 1 }
                var text: [UInt8] = []
                for i in start..<end {
                    if i > start { text.append(UInt8(ascii: "\n")) }
                    text.append(contentsOf: a.lines[i])
                }
                for f in scanner.scan(bytes: text, file: a.file) {
                    let index = min(start + f.line - 1, end - 1)
                    out.append(PrePushFinding(commit: a.commit, file: a.file, line: a.lineNumbers[index],
                                              rule: f.rule, excerpt: f.excerpt))
                }
                start = end
            }
        }
        return out
    }
}

/// `context-sync hook pre-push`: refuse a push whose commits add a secret to Claude Code's context
/// files, otherwise harvest learnings for the next push within a time budget. It never refuses a
/// push for any other reason: every internal problem becomes a note and exit 0.
public struct PrePushHook {
    /// Set for every child context-sync starts; when present the hook still scans (a push made
    /// from an extractor is checked like any other) but never harvests: no recursion.
    public static let activeVariable = ExternalExtractor.activeVariable
    /// Seconds the harvest may take (default 20; 0 turns the harvest off).
    public static let budgetVariable = "CONTEXT_SYNC_HOOK_BUDGET"
    /// A shell command that replaces the harvest (`context-sync run --if-opted-in --no-push --quiet --project TOP`).
    public static let harvestVariable = "CONTEXT_SYNC_HOOK_HARVEST"
    public static let defaultBudget = 20.0
    /// Set to 1: the hook waits for the harvest (the push waits up to the budget) instead of
    /// leaving it to finish in the background.
    public static let waitVariable = "CONTEXT_SYNC_HOOK_WAIT"

    public var remote: String
    public var url: String
    public var allFiles: Bool
    /// `--budget`; nil: the environment variable, else the default.
    public var budget: Double?
    public var environment: Environment
    /// Where git runs the hook: the work tree top (the git dir of a bare repository).
    public var directory: String
    /// The `context-sync` binary the harvest runs.
    public var binary: String
    /// `--claude-dir` of the hook: passed on to the harvest's `run` (nil: it resolves the root
    /// itself, from the config or $CLAUDE_CONFIG_DIR, which it inherits).
    public var claudeDir: String?
    /// Harvest in the background (`hook harvest`, detached, bounded by the same budget) so the
    /// push never waits for extraction; false: wait for it (tests, CONTEXT_SYNC_HOOK_WAIT=1).
    public var detach = false

    public init(remote: String, url: String, allFiles: Bool = false, budget: Double? = nil,
                environment: Environment = .current, directory: String = FileManager.default.currentDirectoryPath,
                binary: String = ChildProcessNetworkRunner.currentExecutable, claudeDir: String? = nil) {
        self.remote = remote
        self.url = url
        self.allFiles = allFiles
        self.budget = budget
        self.environment = environment
        self.directory = directory
        self.binary = binary
        self.claudeDir = claudeDir
    }

    public struct Outcome: Sendable {
        /// `.findings` (1) when a secret refuses the push, else `.ok`.
        public var status: ExitStatus
        /// Lines for stderr, in order: findings and the fix, or notes.
        public var messages: [String]
        public var findings: [PrePushFinding]
        /// What happened to the harvest; nil when it was not started.
        public var harvest: HarvestRunner.Outcome?
    }

    /// Runs the hook on git's stdin text.
    public func run(stdin: String) -> Outcome {
        var out = Outcome(status: .ok, messages: [], findings: [], harvest: nil)
        func note(_ s: String) { out.messages.append("context-sync: note: " + s) }

        let (refs, problems) = PrePushInput.parse(stdin)
        problems.forEach(note)
        var top: String?
        var repository: Repository?
        var additions: [AddedLines] = []
        do {
            let repo = try Repository.discover(at: directory)
            top = repo.workdir
            repository = repo
            let commits = try OutgoingChanges.outgoingCommits(in: repo, refs: refs, remote: remote)
            for c in commits {
                additions += try OutgoingChanges.addedLines(in: repo, commit: c,
                                                            paths: allFiles ? nil : OutgoingChanges.contextFiles)
            }
            // Reading the config and compiling the allowlist only when there is something to scan.
            if !additions.isEmpty { out.findings = PrePushScan.findings(in: additions, scanner: makeScanner(note: note)) }
        } catch let e as ContextSyncError {
            note("\(e.message); push not checked")
        } catch {
            note("cannot read the outgoing commits (\(error)); push not checked")
        }
        if !out.findings.isEmpty {
            out.status = .findings
            out.messages += out.findings.map(\.message)
            out.messages.append(fixAdvice(out.findings))
            return out
        }
        // Started by context-sync (an extractor, a harvest): never start another run.
        if let top, environment[Self.activeVariable] == nil {
            if detach {
                if let repository, let line = Self.carriedLearnings(repo: repository, additions: additions) { out.messages.append(line) }
                out.harvest = harvestInBackground(top: top, note: note)
            } else {
                var said: [String] = []
                out.harvest = harvest(top: top, note: note) { said.append($0) }
                out.messages += said
            }
        }
        return out
    }

    /// Starts `context-sync hook harvest` for `top` in the background with the same budget and
    /// Claude root; its stderr goes to the unattended error file (`RunLog.stderrFileName`).
    func harvestInBackground(top: String, note: (String) -> Void) -> HarvestRunner.Outcome? {
        let budget = resolvedBudget(note: note)
        guard budget > 0 else { return nil }
        let argv = [binary, "hook", "harvest", "--project", top, "--budget", "\(budget)"]
            + (claudeDir.map { ["--claude-dir", Paths.absolute($0)] } ?? [])
        let stateDir = environment.stateDirectory
        try? FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        let outcome = HarvestRunner.detached(argv, environment: environment.variables, directory: top,
                                             stderrPath: stateDir + "/" + RunLog.stderrFileName)
        if case .couldNotStart(let why) = outcome { note("cannot start the harvest (\(why)); the push goes on") }
        return outcome
    }

    /// With a background harvest the commit it makes goes with the next push: that push says so
    /// (the bullets context-sync's own commits add to learnings.md, from the lines the scan
    /// already read), so no commit the user did not make goes out silently.
    static func carriedLearnings(repo: Repository, additions: [AddedLines]) -> String? {
        let ours = additions.filter { a in
            a.file == OutgoingChanges.contextFiles[0]
                && repo.commitSummary(hex: a.commit)?.hasPrefix(LearningsCommitter.messagePrefix) == true
        }
        let count = HarvestNotice.bullets(in: ours)
        guard count > 0 else { return nil }
        return "context-sync: this push carries \(count) learning\(count == 1 ? "" : "s") context-sync committed locally"
    }

    func makeScanner(note: (String) -> Void) -> SecretScanner {
        let config: Config
        do {
            config = try Config.load(environment: environment)
        } catch let e as ContextSyncError {
            note("\(e.message); scanning without the allowlist")
            return SecretScanner()
        } catch {
            note("cannot read \(environment.configFile); scanning without the allowlist")
            return SecretScanner()
        }
        do {
            return try SecretScanner(allowlist: config.secretAllowlist)
        } catch let e as ContextSyncError {
            note("\(e.message); scanning without the allowlist")
        } catch {}
        return SecretScanner()
    }

    func fixAdvice(_ findings: [PrePushFinding]) -> String {
        let commits = findings.map(\.shortCommit).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return "context-sync: push refused: take the secret out of \(commits.joined(separator: ", ")) "
            + "(`git commit --amend` for the last commit, `git rebase -i` for an earlier one), rotate it if it was real, and push again; "
            + "if it is not a secret, add `\(SecretScanner.allowMarker)` to its line or a pattern to [secrets] allow in \(tilde(environment.configFile))"
    }

    /// The budget in seconds: `--budget`, else `$CONTEXT_SYNC_HOOK_BUDGET`, else 20.
    func resolvedBudget(note: (String) -> Void) -> Double {
        if let budget {
            if budget >= 0 && budget.isFinite { return budget }
            note("--budget must be zero or more seconds; using \(Int(Self.defaultBudget))")
            return Self.defaultBudget
        }
        if let raw = environment[Self.budgetVariable] {
            if let v = Double(raw.trimmingCharacters(in: .whitespaces)), v >= 0, v.isFinite { return v }
            note("\(Self.budgetVariable)=\(raw) is not a number of seconds; using \(Int(Self.defaultBudget))")
        }
        return Self.defaultBudget
    }

    /// Runs the harvest; `say` gets the `HarvestNotice` line when it committed learnings.
    public func harvest(top: String, note: (String) -> Void, say: (String) -> Void = { _ in }) -> HarvestRunner.Outcome? {
        let budget = resolvedBudget(note: note)
        guard budget > 0 else { return nil }
        let argv: [String]
        if let command = environment[Self.harvestVariable] {
            argv = ["/bin/sh", "-c", command]
        } else {
            // Unattended and within a budget: the built-in extractor (an external one may not run
            // under CONTEXT_SYNC_ACTIVE and could not finish in time), redact and the opt-in
            // rule, as `run --all`.
            argv = [binary, "run", "--if-opted-in", "--no-push", "--quiet", "--extractor", "heuristic", "--on-secret", "redact", "--project", top]
                + (claudeDir.map { ["--claude-dir", Paths.absolute($0)] } ?? [])
        }
        var env = environment.variables
        env[Self.activeVariable] = "1"
        let before = HarvestNotice.head(at: top)
        let outcome = HarvestRunner.run(argv, environment: env, directory: top, budget: budget)
        if case .finished(status: 0) = outcome, let line = HarvestNotice.line(at: top, before: before) { say(line) }
        switch outcome {
        case .finished(let status) where status != 0:
            note("harvesting learnings (`\(argv.dropFirst().joined(separator: " "))`) ended with status \(status); the push goes on")
        case .timedOut:
            note("harvesting learnings took more than \(ChildProcessNetworkRunner.seconds(budget)) and was stopped; the push goes on (set \(Self.budgetVariable) to change the budget)")
        case .couldNotStart(let why):
            note("cannot start the harvest (\(why)); the push goes on")
        default:
            break
        }
        return outcome
    }

    func tilde(_ path: String) -> String { Paths.tilde(path, home: environment.home) }
}
