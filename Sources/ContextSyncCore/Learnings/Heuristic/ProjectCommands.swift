/// Command templates ("Run the tests with …"): only commands that are stable — seen working in two
/// sessions, defined by the repository (package.json scripts, Makefile/justfile targets, mise and
/// Taskfile tasks), or a gate command (`just check`, `make ci`) that worked — never one with run
/// ids, PR numbers or cut-off arguments, never one that changes remote state, and never a bare
/// command every session of the ecosystem already knows (`mix test`, `cargo build`).
enum ProjectCommands {
    /// Project and solution files: an argument naming one is the stable target of every run
    /// (`dotnet test tests/App.Tests/App.Tests.csproj`), not a one-off file.
    static let projectFileSuffixes = [".csproj", ".fsproj", ".vbproj", ".sln", ".slnx", ".xcodeproj", ".xcworkspace"]

    static func isProjectFile(_ arg: String) -> Bool {
        let a = arg.lowercased()
        return !a.hasPrefix("-") && !a.contains("*") && projectFileSuffixes.contains { a.hasSuffix($0) }
    }

    /// The command without the arguments that name specific files, tests or values; a project or
    /// solution file is kept and ends the form (the flags after it vary from run to run).
    static func form(_ p: ShellCommand.Part) -> String {
        var out = p.launcher + [p.words[p.launcher.count]]
        if let sub = p.subcommand { out += sub.split(separator: " ").map(String.init) }
        for a in p.arguments {
            if isProjectFile(a) { out.append(a); break }
            if !a.hasPrefix("-") && (a.contains("/") || a.contains(".") || a.contains(":") || a.first?.isNumber == true) { break }
            out.append(a)
        }
        var text = out.joined(separator: " ")
        if let d = FailureFixes.normalizedDir(p.directory), d != "." { text = "cd \(d) && " + text }
        return text
    }

    /// A command form seen working in a session, at an event.
    struct Observation {
        var form: String
        var kind: CommandKind
        var identity: String
        var defined: Bool
        var eventIndex: Int
    }

    /// The forms one session shows working, each once, in event order (a pure function of the
    /// session: `find` runs it for every session in parallel).
    static func observations(_ s: SessionEvents, normalize: (String) -> String, repo: RepoCommands) -> [Observation] {
        var out: [Observation] = []
        var here = Set<String>()
        func observe(_ cmd: ShellCommand, at i: Int) {
            guard !cmd.isComplex, !cmd.masksStatus, !cmd.changesRemoteState else { return }
            for p in cmd.parts {
                // Quotable is judged on what the template quotes: the form, not the flags after it.
                guard let kind = CommandKind.of(p), CommandKind.isQuotable(p, maxLength: nil) else { continue }
                let f = form(p)
                guard f.count <= 80 else { continue }
                guard let fp = ShellCommand(f).main, !CommandKind.isWellKnown(fp) else { continue }
                guard here.insert(f).inserted else { continue }
                out.append(Observation(form: f, kind: kind, identity: p.identity, defined: repo.defines(p), eventIndex: i))
            }
        }
        for (i, e) in s.events.enumerated() {
            guard case .tool(let call) = e.kind else { continue }
            if FailureFixes.isShell(call), call.outcome == .ok {
                observe(ShellCommand(normalize(call.argument)), at: i)
            } else if let prompt = call.subagentPrompt, call.outcome == .ok, call.subagentFailures.isEmpty {
                // A test, lint or gate command a subagent was told to run, judged by the
                // subagent's own pass/fail: it finished without a failure.
                for code in subagentCommands(prompt) { observe(ShellCommand(normalize(code)), at: i) }
            }
        }
        return out
    }

    /// `normalize` must be pure (it is called from several threads at once).
    static func find(_ sessions: [SessionEvents], normalize: (String) -> String, repo: RepoCommands, into c: inout Candidates) {
        struct Seen { var kind: CommandKind; var identity: String; var defined: Bool; var evidence: [Learning.Evidence] }
        let found = withoutActuallyEscaping(normalize) { normalize in
            let normalize = PureFunction(apply: normalize)
            return ConcurrentWork.map(sessions.count) { observations(sessions[$0], normalize: normalize.apply, repo: repo) }
        }
        var byForm: [String: Seen] = [:]
        for (s, observed) in zip(sessions, found) {
            for o in observed {
                byForm[o.form, default: Seen(kind: o.kind, identity: o.identity, defined: o.defined, evidence: [])]
                    .evidence.append(.init(sessionId: s.sessionId, eventIndex: o.eventIndex))
            }
        }
        for kind in [CommandKind.test, .build, .lint, .run, .gate] {
            var chosen: [(form: String, seen: Seen)] = []
            var identities = Set<String>()
            let forms = byForm.filter { $0.value.kind == kind }
                .sorted { ($0.value.evidence.count, $1.key) > ($1.value.evidence.count, $0.key) }
            for (f, v) in forms {
                let sessionsSeen = Set(v.evidence.map(\.sessionId)).count
                let stable = sessionsSeen >= 2 || v.defined || kind == .gate
                guard stable else {
                    c.reject("`\(f)` (\(kind.rawValue))", .command, "seen working in one session only and not defined by the repository", v.evidence)
                    continue
                }
                if chosen.count < 3, identities.insert(v.identity).inserted { chosen.append((f, v)) }
            }
            guard !chosen.isEmpty else { continue }
            let list = HeuristicExtractor.naturalList(chosen.map { "`\($0.form)`" })
            let text: String
            switch kind {
            case .test: text = "Run the tests with \(list)."
            case .build: text = "Build with \(list)."
            case .lint: text = "Lint and format with \(list)."
            case .run: text = "Run the project with \(list)."
            case .gate: text = "Check changes with \(list)."
            }
            let evidence = chosen.flatMap(\.seen.evidence)
            let sessionsSeen = Set(evidence.map(\.sessionId)).count
            let why = chosen.map { c in
                c.seen.defined ? "`\(c.form)` is defined by the repository"
                    : Set(c.seen.evidence.map(\.sessionId)).count >= 2 ? "`\(c.form)` worked in \(Set(c.seen.evidence.map(\.sessionId)).count) sessions"
                    : "`\(c.form)` is a gate command that worked"
            }.joined(separator: "; ")
            c.add(Learning(text: text, source: .command, score: min(0.7, 0.5 + 0.05 * Double(sessionsSeen - 1)), evidence: evidence, why: why))
        }
    }

    static let runVerbs = ["run ", "runs ", "re-run ", "rerun ", "execute ", "verify with ", "check with ", "test with ",
                           "lint with ", "invoke ", "then run ", "and run ", "by running ", "using "]

    /// The backticked commands of a subagent's prompt that are test, lint, build or gate
    /// commands (at most a few; code spans with several lines are code, not commands).
    static func subagentCommands(_ prompt: String) -> [String] {
        var out: [String] = []
        let parts = TextBytes.components(prompt, separatedBy: "`")
        for (i, part) in parts.enumerated() where i % 2 == 1 {
            // Told to run it ("run `x`", "verify with `x`"), not told to write it ("add a `x`").
            let before = parts[i - 1].suffix(24).lowercased()
            guard runVerbs.contains(where: { before.hasSuffix($0) }) else { continue }
            let t = part.trimmingWhitespace()
            guard !t.isEmpty, !t.contains("\n"), t.count <= 120, let p = ShellCommand(t).main,
                  let k = CommandKind.of(p), [.test, .lint, .gate, .build].contains(k) else { continue }
            out.append(t)
            if out.count == 4 { break }
        }
        return out
    }
}
