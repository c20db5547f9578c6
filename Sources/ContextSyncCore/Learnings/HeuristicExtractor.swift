/// The built-in, offline, deterministic extractor.
///
/// Sources and base scores (higher is kept first; ties broken by evidence count, then text):
/// - user correction right after an interrupt or a rejected tool, with corrective words: 0.95
/// - explicit "remember / note that / FYI" from the user: 0.9
/// - failure → fix (a failed command, then the same intent done differently succeeding): 0.85,
///   +0.05 when the failure was seen more than once
/// - user correction (corrective words) elsewhere: 0.8
/// - the assistant's "root cause was / turns out / the fix was" right after a failure: 0.7
/// - rule-like lines from a compaction summary's errors-and-fixes / problem-solving parts: 0.6
/// - a build/test/lint/run command seen succeeding at least twice: 0.5, +0.05 per further success (max 0.7)
/// Texts over 200 characters lose 0.1. Candidates with a line number, a stack trace, a machine-
/// specific path, or about routine git/file work are dropped with a reason, as are duplicates.
public struct HeuristicExtractor: Sendable {
    public var maxLearnings: Int

    public init(maxLearnings: Int = 10) {
        self.maxLearnings = maxLearnings
    }

    public struct Result: Sendable {
        public var kept: [Learning]
        public var dropped: [DroppedLearning]
    }

    /// Extracts from `sessions`; `normalize` makes paths portable; `existing` are bullets already
    /// in the learnings file.
    public func extract(_ sessions: [SessionEvents], normalize: (String) -> String, existing: [String] = []) -> Result {
        var candidates: [Learning] = []
        for s in sessions {
            candidates += failureFixes(s, normalize: normalize)
            candidates += corrections(s, normalize: normalize)
            candidates += compactionRules(s, normalize: normalize)
        }
        candidates += workingCommands(sessions, normalize: normalize)
        return Self.select(candidates, existing: existing, max: maxLearnings)
    }

    /// Filters, dedupes and ranks candidates (also used for an external extractor's bullets).
    public static func select(_ candidates: [Learning], existing: [String], max: Int) -> Result {
        var kept: [Learning] = []
        var dropped: [DroppedLearning] = []
        let ranked = candidates.map { c -> Learning in
            var c = c
            if c.text.count > 200 { c.score -= 0.1 }
            return c
        }.sorted { ($0.score, $0.evidence.count, $1.text) > ($1.score, $1.evidence.count, $0.text) }
        for c in ranked {
            if let reason = noiseReason(c.text) {
                dropped.append(DroppedLearning(learning: c, reason: reason))
            } else if existing.contains(where: { LearningDedupe.isDuplicate($0, c.text) }) {
                dropped.append(DroppedLearning(learning: c, reason: "already in learnings.md"))
            } else if let i = kept.firstIndex(where: { LearningDedupe.isDuplicate($0.text, c.text) }) {
                kept[i].evidence += c.evidence
                dropped.append(DroppedLearning(learning: c, reason: "duplicate in this batch"))
            } else if kept.count >= max {
                dropped.append(DroppedLearning(learning: c, reason: "over the limit of \(max)"))
            } else {
                kept.append(c)
            }
        }
        return Result(kept: kept, dropped: dropped)
    }

    /// Why a text is not a stable, shareable lesson; nil when it is fine.
    public static func noiseReason(_ text: String) -> String? {
        let lower = text.lowercased()
        if text.trimmingWhitespace().split(separator: " ").count < 3 { return "too short to be a rule" }
        if PathNormalizer.containsMachinePath(text) { return "machine-specific path" }
        if containsLineNumber(lower) { return "mentions a line number" }
        if lower.contains("traceback (most recent call last)") || lower.contains("\n    at ") || lower.contains(".swift:") && lower.contains("fatal error") {
            return "stack trace"
        }
        if lower.contains("<redacted:") { return "contained a secret" }
        return nil
    }

    static func containsLineNumber(_ lower: String) -> Bool {
        let words = lower.split { $0 == " " || $0 == "(" || $0 == ")" || $0 == "," || $0 == "`" }
        for (i, w) in words.enumerated() {
            if (w == "line" || w == "lines" || w == "l.") && i + 1 < words.count && words[i + 1].first?.isNumber == true { return true }
            // file.ext:123 or file.ext:123:45
            if let colon = w.firstIndex(of: ":"), w[..<colon].contains("."), w[w.index(after: colon)...].first?.isNumber == true {
                return true
            }
        }
        return false
    }

    // MARK: failure → fix

    func failureFixes(_ s: SessionEvents, normalize: (String) -> String) -> [Learning] {
        var out: [Learning] = []
        var byText: [String: Int] = [:]
        let calls: [(Int, SessionEvent.ToolCall)] = s.events.enumerated().compactMap {
            if case .tool(let c) = $0.element.kind, c.isBash { return ($0.offset, c) } else { return nil }
        }
        for (k, (i, call)) in calls.enumerated() {
            guard case .error(let category, let firstLine)? = call.outcome, category != .userRejected, category != .toolMechanics
            else { continue }
            let failed = Command(normalize(call.argument))
            guard !failed.isRoutine, !failed.tokens.isEmpty else { continue }
            // The next successful call of the same intent done differently.
            for (j, later) in calls[(k + 1)...].prefix(40) {
                guard later.outcome == .ok else { continue }
                let fixed = Command(normalize(later.argument))
                guard fixed.text != failed.text, !fixed.isRoutine, failed.sameIntent(as: fixed) else { continue }
                // Failing tests and compile errors are fixed by editing code, not by running the
                // same tool another way: only a different launcher or directory is a lesson.
                if (category == .testFailure || category == .buildError || category == .lintFailure), failed.tool == fixed.tool {
                    break
                }
                let text = Self.rule(failed: failed, fixed: fixed, category: category, firstLine: firstLine)
                let ev = [Learning.Evidence(sessionId: s.sessionId, eventIndex: i), .init(sessionId: s.sessionId, eventIndex: j)]
                if let at = byText[text] {
                    out[at].evidence += ev
                    out[at].score = 0.9
                } else {
                    byText[text] = out.count
                    out.append(Learning(text: text, source: .failureFix, score: 0.85, evidence: ev))
                }
                break
            }
        }
        return out
    }

    static func rule(failed: Command, fixed: Command, category: ErrorCategory, firstLine: String) -> String {
        let (oldPrefix, newPrefix, common) = failed.prefixDifference(fixed)
        let why = category == .other ? "fails" : "fails with \(category.rawValue)"
        if !common.isEmpty {
            if oldPrefix.isEmpty, newPrefix.hasPrefix("cd "), newPrefix.hasSuffix("&&"), !newPrefix.dropLast(2).contains("&&") {
                let dir = String(newPrefix.dropFirst(3).dropLast(2)).trimmingWhitespace()
                return "Run `\(common)` from `\(dir)/`: from the repository root it \(why)."
            }
            if oldPrefix.isEmpty, newPrefix.hasSuffix("&&") {
                let first = String(newPrefix.dropLast(2)).trimmingWhitespace()
                let detail = firstLine.count <= 100 && !firstLine.isEmpty ? " (without it: \(firstLine))" : ""
                return "Run `\(first)` before `\(common)`\(detail)."
            }
            if !oldPrefix.isEmpty && !newPrefix.isEmpty {
                return "Use `\(newPrefix)`, not `\(oldPrefix)` (e.g. `\(fixed.text)`; `\(oldPrefix)` \(why))."
            }
        }
        return "`\(failed.text)` \(why); `\(fixed.text)` works."
    }

    // MARK: corrections and explicit knowledge

    static let correctionMarkers = ["don't ", "do not ", "dont ", "instead", "always ", "never ", "stop ", "should not",
                                    "shouldn't", "must not", "not like that", "wrong"]
    static let rememberMarkers = ["remember ", "note that", "fyi", "keep in mind", "for future reference", "make sure to"]
    static let rootCauseMarkers = ["the root cause was", "root cause:", "turns out", "it turns out", "the fix was",
                                   "the problem was", "the issue was", "the culprit was"]

    func corrections(_ s: SessionEvents, normalize: (String) -> String) -> [Learning] {
        var out: [Learning] = []
        var lastFailure = -100
        var promptsSeen = 0
        for (i, e) in s.events.enumerated() {
            switch e.kind {
            case .tool(let c) where c.outcome?.isError == true:
                if case .error(let cat, _)? = c.outcome, cat != .toolMechanics { lastFailure = i }
            case .user(let text):
                promptsSeen += 1
                let lower = " " + text.lowercased()
                let afterStop = s.events[max(0, i - 2)..<i].contains {
                    if case .interrupted = $0.kind { return true }
                    if case .tool(let c) = $0.kind, case .error(.userRejected, _)? = c.outcome { return true }
                    return false
                }
                if let sentence = Self.sentence(in: text, containingAny: Self.rememberMarkers) {
                    out.append(Learning(text: normalize(Self.asRule(sentence, stripping: Self.rememberMarkers)), source: .explicit, score: 0.9,
                                        evidence: [.init(sessionId: s.sessionId, eventIndex: i)]))
                } else if promptsSeen > 1 || afterStop,
                          Self.correctionMarkers.contains(where: { lower.contains(" " + $0) }) || lower.hasPrefix(" no ") || lower.hasPrefix(" no,") {
                    // The session's opening prompt is a task description, not a correction.
                    guard let sentence = Self.sentenceWithFollowUp(in: text, containingAny: Self.correctionMarkers + ["no,", "no "]) else { break }
                    out.append(Learning(text: normalize(Self.asRule(sentence, stripping: ["no, ", "no "])), source: .userCorrection,
                                        score: afterStop ? 0.95 : 0.8, evidence: [.init(sessionId: s.sessionId, eventIndex: i)]))
                }
            case .assistant(let text) where i - lastFailure <= 3:
                if let sentence = Self.sentence(in: text, containingAny: Self.rootCauseMarkers) {
                    out.append(Learning(text: normalize(Self.asRule(sentence, stripping: [])), source: .explicit, score: 0.7,
                                        evidence: [.init(sessionId: s.sessionId, eventIndex: i)]))
                }
            default: break
            }
        }
        return out
    }

    /// The first sentence (of at most 240 characters) containing one of `markers`.
    /// The sentence of `text` holding one of `markers` (see `sentence(in:containingAny:)`),
    /// followed by the next sentence when that one says what to do instead ("Just run ...",
    /// "Use ..."), as long as both fit in 240 characters.
    static func sentenceWithFollowUp(in text: String, containingAny markers: [String]) -> String? {
        guard let first = sentence(in: text, containingAny: markers) else { return nil }
        let flat = Digest.oneLine(text)
        guard let r = flat.firstRange(of: first) else { return first }
        let rest = String(flat[r.upperBound...]).trimmingWhitespace()
        var next = ""
        for ch in rest {
            next.append(ch)
            if ".!?".contains(ch) && next.count > 12 { break }
        }
        next = next.trimmingWhitespace()
        guard !next.isEmpty else { return first }
        let lower = next.lowercased()
        let imperative = ["just ", "use ", "run ", "instead", "try ", "call ", "start ", "always ", "only ", "prefer "]
        guard imperative.contains(where: { lower.hasPrefix($0) }), first.count + 1 + next.count <= 240 else { return first }
        return first + " " + next
    }

    static func sentence(in text: String, containingAny markers: [String]) -> String? {
        var sentences: [String] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if ch == "\n" || ((ch == "." || ch == "!" || ch == "?") && current.count > 12) {
                sentences.append(current)
                current = ""
            }
        }
        sentences.append(current)
        for s in sentences {
            let t = Digest.oneLine(s)
            let lower = " " + t.lowercased() + " "
            if markers.contains(where: { lower.contains($0.hasSuffix(" ") ? " " + $0 : $0) }) {
                return t.count <= 240 ? t : nil
            }
        }
        return nil
    }

    /// Capitalised, marker prefix removed, ends with a period.
    static let fillers = ["good", "great", "ok", "okay", "thanks", "thank you", "perfect", "nice", "cool", "yes", "right",
                          "alright", "sure", "awesome", "excellent"]

    static func asRule(_ sentence: String, stripping prefixes: [String]) -> String {
        var s = sentence.trimmingWhitespace()
        // A leading acknowledgement ("Good.", "Thanks!", "OK,") is not part of the rule.
        var stripped = true
        while stripped {
            stripped = false
            for f in fillers {
                let lower = s.lowercased()
                guard lower.hasPrefix(f), let next = lower.dropFirst(f.count).first, ".,!;:".contains(next) else { continue }
                s = String(s.dropFirst(f.count + 1)).trimmingWhitespace()
                stripped = true
            }
        }
        for p in prefixes where s.lowercased().hasPrefix(p) {
            s = String(s.dropFirst(p.count)).trimmingWhitespace()
            if s.hasPrefix(",") || s.hasPrefix(":") { s = String(s.dropFirst()).trimmingWhitespace() }
            if s.lowercased().hasPrefix("that ") { s = String(s.dropFirst(5)) }
        }
        if let f = s.first { s = f.uppercased() + s.dropFirst() }
        if let l = s.last, !".!?".contains(l) { s += "." }
        return s
    }

    // MARK: compaction summaries

    static let ruleWords = ["always", "must", "need to", "needs to", "requires", "instead of", "don't", "never",
                            "should", "only works", "has to", "enforces", "not supported", "doesn't support"]

    func compactionRules(_ s: SessionEvents, normalize: (String) -> String) -> [Learning] {
        var out: [Learning] = []
        for (i, e) in s.events.enumerated() {
            guard case .compaction(let text) = e.kind else { continue }
            for section in CompactionSummary.sections(text) where CompactionSummary.isLessonSection(section.title) {
                for raw in section.body.split(separator: "\n") {
                    var line = String(raw).trimmingWhitespace()
                    guard line.hasPrefix("- ") || line.hasPrefix("* ") else { continue }
                    line = String(line.dropFirst(2)).replacingOccurrences(of: "**", with: "")
                    let lower = line.lowercased()
                    guard Self.ruleWords.contains(where: { lower.contains($0) }), !lower.contains("fixed by"),
                          !lower.hasPrefix("current") else { continue }
                    out.append(Learning(text: normalize(Self.asRule(line, stripping: [])), source: .compaction, score: 0.6,
                                        evidence: [.init(sessionId: s.sessionId, eventIndex: i)]))
                }
            }
        }
        return out
    }

    // MARK: working commands

    func workingCommands(_ sessions: [SessionEvents], normalize: (String) -> String) -> [Learning] {
        // Successful runs per command form; compound commands count per part.
        var byForm: [String: (kind: Command.Kind, tool: String, evidence: [Learning.Evidence])] = [:]
        for s in sessions {
            for (i, e) in s.events.enumerated() {
                guard case .tool(let c) = e.kind, c.isBash, c.outcome == .ok else { continue }
                for part in normalize(c.argument).components(separatedBy: " && ") {
                    let cmd = Command(part)
                    guard let kind = cmd.kind, !cmd.isRoutine else { continue }
                    byForm[cmd.base, default: (kind, cmd.tool, [])].evidence.append(.init(sessionId: s.sessionId, eventIndex: i))
                }
            }
        }
        // Per kind, one bullet naming its most used forms (one form per tool and subcommand).
        var out: [Learning] = []
        for kind in [Command.Kind.test, .build, .lint, .run] {
            var chosen: [(form: String, evidence: [Learning.Evidence])] = []
            var tools = Set<String>()
            let forms = byForm.filter { $0.value.kind == kind && $0.value.evidence.count >= 2 }
                .sorted { ($0.value.evidence.count, $1.key) > ($1.value.evidence.count, $0.key) }
            for (form, v) in forms where chosen.count < 3 && tools.insert(v.tool).inserted {
                chosen.append((form, v.evidence))
            }
            guard !chosen.isEmpty else { continue }
            let list = Self.naturalList(chosen.map { "`\($0.form)`" })
            let text: String
            switch kind {
            case .test: text = "Run the tests with \(list)."
            case .build: text = "Build with \(list)."
            case .lint: text = "Lint and format with \(list)."
            case .run: text = "Run the project with \(list)."
            }
            let evidence = chosen.flatMap(\.evidence)
            out.append(Learning(text: text, source: .command, score: min(0.7, 0.5 + 0.05 * Double(evidence.count - 2)),
                                evidence: evidence))
        }
        return out
    }

    static func naturalList(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}

/// A shell command, tokenised for comparison.
struct Command {
    enum Kind { case test, build, lint, run }

    let text: String
    let tokens: [Substring]

    init(_ raw: String) {
        var s = Digest.oneLine(raw)
        // Noise that does not change what a command does.
        for noise in [" 2>&1", " 2>/dev/null", " >/dev/null"] { s = s.replacingOccurrences(of: noise, with: "") }
        if let pipe = s.range(of: " | ") {
            let after = s[pipe.upperBound...]
            if after.hasPrefix("head") || after.hasPrefix("tail") || after.hasPrefix("grep") || after.hasPrefix("less") { s = String(s[..<pipe.lowerBound]) }
        }
        while s.hasPrefix("cd . && ") { s = String(s.dropFirst(8)) }
        text = s.trimmingWhitespace()
        tokens = text.split(separator: " ")
    }

    static let routine: Set<Substring> = ["git", "ls", "cat", "cd", "echo", "mkdir", "rm", "cp", "mv", "pwd", "which", "find",
                                          "grep", "rg", "head", "tail", "wc", "touch", "chmod", "sed", "awk", "sleep", "kill",
                                          "ps", "curl", "open", "tree", "stat", "file", "diff", "sort", "env", "export", "bd"]

    var isRoutine: Bool {
        guard let first = tokens.first else { return true }
        if first == "cd", let and = tokens.firstIndex(of: "&&"), and + 1 < tokens.count {
            return Self.routine.contains(tokens[and + 1])
        }
        return Self.routine.contains(first) || text.contains("<<")
    }

    /// The program and its subcommand (`mix test`, `npm run`), to tell forms of one tool apart.
    var tool: String {
        tokens.prefix(2).joined(separator: " ")
    }

    /// The command without arguments that name specific files or tests.
    var base: String {
        var out: [Substring] = []
        for t in tokens {
            if t.contains("/") || t.contains(".") && !t.hasPrefix("-") && out.count >= 2 { break }
            out.append(t)
        }
        return out.isEmpty ? text : out.joined(separator: " ")
    }

    var kind: Kind? {
        let words = Set(tokens.map { $0.lowercased() })
        if !words.isDisjoint(with: ["test", "tests", "pytest", "jest", "vitest", "rspec", "ctest", "unittest"]) { return .test }
        if !words.isDisjoint(with: ["lint", "fmt", "format", "credo", "clippy", "eslint", "ruff", "flake8", "mypy", "typecheck",
                                    "tsc", "dialyzer", "prettier"]) { return .lint }
        if !words.isDisjoint(with: ["build", "compile", "assemble", "bundle"]) { return .build }
        if !words.isDisjoint(with: ["serve", "server", "phx.server", "start", "dev", "run"]) { return .run }
        return nil
    }

    static let launchers: Set<Substring> = ["uv", "run", "poetry", "npx", "pnpm", "yarn", "bundle", "exec", "python", "python3",
                                            "node", "bunx", "pipenv", "mix", "cargo", "go", "swift", "make", "sudo"]

    /// Same intent: they share a significant token (a file, a subcommand) and enough of the rest.
    func sameIntent(as other: Command) -> Bool {
        let a = Set(tokens.filter { !$0.hasPrefix("-") && $0 != "&&" })
        let b = Set(other.tokens.filter { !$0.hasPrefix("-") && $0 != "&&" })
        let shared = a.intersection(b)
        guard shared.contains(where: { $0.count >= 3 && !Self.launchers.contains($0) && $0 != "cd" }) else { return false }
        // The same command after a prerequisite (`X && cmd`), or with another launcher
        // (`npm test` -> `pnpm test`, `python3 x.py` -> `uv run python x.py`).
        let (oldPrefix, newPrefix, common) = prefixDifference(other)
        if !common.isEmpty, common.split(separator: " ").contains(where: { $0.count >= 3 && !$0.hasPrefix("-") }) {
            if oldPrefix.isEmpty && newPrefix.hasSuffix("&&") { return true }
            let o = oldPrefix.split(separator: " ").count, n = newPrefix.split(separator: " ").count
            if o >= 1 && n >= 1 && o <= 3 && n <= 3 && !oldPrefix.contains("&&") && !newPrefix.contains("&&") { return true }
        }
        // The same script or file is the same intent, however it is launched.
        if shared.contains(where: { $0.contains("/") || ($0.contains(".") && !$0.hasPrefix(".")) }) { return true }
        return Double(shared.count) / Double(a.union(b).count) >= 0.34
    }

    /// (old prefix, new prefix, common suffix) of two token lists.
    func prefixDifference(_ other: Command) -> (String, String, String) {
        var i = tokens.count - 1, j = other.tokens.count - 1
        while i >= 0 && j >= 0 && tokens[i] == other.tokens[j] { i -= 1; j -= 1 }
        let common = tokens[(i + 1)...].joined(separator: " ")
        return (tokens[...max(i, -1)].prefix(i + 1).joined(separator: " "), other.tokens.prefix(j + 1).joined(separator: " "), common)
    }
}
