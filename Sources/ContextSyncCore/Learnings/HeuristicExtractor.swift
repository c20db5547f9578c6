import Foundation

/// The built-in, offline, deterministic extractor. Precision comes first: its bullets are
/// committed unreviewed by the timer, cron and pre-push paths, so an empty run is fine and a wrong
/// rule is not.
///
/// The evidence bar: a bullet needs an explicit statement (a user correction that generalises,
/// "remember / always / never" from the user) or evidence in two places (a failure and its
/// confirmed fix, two sessions, a repository file that defines a command).
///
/// Sources and base scores (higher is kept first; ties broken by evidence count, then text):
/// - user correction right after an interrupt or a rejected tool: 0.95; elsewhere: 0.8
/// - explicit "remember / note that / FYI / always / never" from the user: 0.9
/// - failure → fix (same program and subcommand, a different launcher, directory, flag or a
///   prerequisite), or a prerequisite run between a failure and the same command working: 0.85,
///   0.9 when seen more than once
/// - a rule the assistant cites from AGENTS.md / CONTRIBUTING / DEVELOPMENT.md with a modal: 0.8
/// - the assistant's discovery with a backticked name the session then uses: 0.7
/// - a location fact from a failed file lookup followed by the same name elsewhere: 0.75
/// - the same failure signature in three or more sessions: 0.7
/// - a rule the project's hooks gave twice (Stop-hook feedback, a PreToolUse refusal): 0.8
/// - a command seen working in two sessions or defined by the repository (package.json scripts,
///   Makefile/justfile targets, mise/Taskfile tasks), or a gate command (`just check`): 0.5-0.7
/// - a compaction summary's rule-like line or "problem: fix with `cmd`" item, only when the
///   summaries of two sessions say it: 0.6
/// Not sources: the assistant's "the root cause was / turns out" (the root cause of a problem
/// already fixed is not a current lesson), questions, complaints, task instructions, pasted
/// terminal or log text, help text, summary status lines.
/// At most `maxPerSession` bullets per session (by first evidence) and `maxLearnings` per run.
public struct HeuristicExtractor: Sendable {
    public var maxLearnings: Int
    public var maxPerSession: Int
    public var repoCommands: RepoCommands

    public init(maxLearnings: Int = 10, maxPerSession: Int = 5, repoCommands: RepoCommands = RepoCommands()) {
        self.maxLearnings = maxLearnings
        self.maxPerSession = maxPerSession
        self.repoCommands = repoCommands
    }

    public struct Result: Sendable {
        public var kept: [Learning]
        public var dropped: [DroppedLearning]
    }

    /// Extracts from `sessions`; `normalize` makes paths portable (a pure function: it is called
    /// from several threads); `existing` are bullets already in the learnings file.
    public func extract(_ sessions: [SessionEvents], normalize: (String) -> String, existing: [String] = []) -> Result {
        var c = Candidates()
        // The finders that look at one session at a time run in parallel, each into a candidate
        // list of its own; the lists are then taken in, in session order, one `add` at a time as
        // they were made: the serial result. (Discoveries asks what failure → fix bullets of the
        // same session cover: its own list holds exactly those.)
        let found = withoutActuallyEscaping(normalize) { normalize in
            let normalize = PureFunction(apply: normalize)
            // Longest sessions first, so the last one to finish is a short one.
            return ConcurrentWork.map(sessions.count, largestFirst: sessions.map(\.events.count)) { i in
                var local = Candidates(keepsLog: true)
                Self.findInSession(sessions[i], normalize: normalize.apply, into: &local)
                return local
            }
        }
        for local in found {
            for l in local.log { c.add(l) }
            c.dropped += local.dropped
        }
        findAcrossSessions(sessions, normalize: normalize, into: &c)
        var r = Self.select(c.learnings, existing: existing, max: maxLearnings, maxPerSession: maxPerSession)
        r.dropped = c.dropped + r.dropped
        return r
    }

    /// The finders that look at one session: into `c`, whose failure → fix bullets of this
    /// session are what Discoveries leaves out.
    static func findInSession(_ s: SessionEvents, normalize: (String) -> String, into c: inout Candidates) {
        FailureFixes.find(s, normalize: normalize, into: &c)
        Discoveries.find(s, normalize: normalize, covered: c.learnings, into: &c)
        UserRules.find(s, normalize: normalize, into: &c)
        LocationFacts.find(s, normalize: normalize, into: &c)
        GeneratedFiles.find(s, normalize: normalize, into: &c)
        DocRules.find(s, normalize: normalize, into: &c)
    }

    /// The finders that compare sessions, after the per-session ones.
    func findAcrossSessions(_ sessions: [SessionEvents], normalize: (String) -> String, into c: inout Candidates) {
        LaterEvents.dropSuperseded(sessions, into: &c)
        CompactionRules.find(sessions, normalize: normalize, into: &c)
        CrossSession.recurringFailures(sessions, normalize: normalize, into: &c)
        HookRules.find(sessions, normalize: normalize, into: &c)
        ProjectCommands.find(sessions, normalize: normalize, repo: repoCommands, into: &c)
    }

    /// Filters, dedupes and ranks candidates (also used for an external extractor's bullets).
    public static func select(_ candidates: [Learning], existing: [String], max: Int, maxPerSession: Int = 5) -> Result {
        var kept: [Learning] = []
        var dropped: [DroppedLearning] = []
        var perSession: [String: Int] = [:]
        var keptKeys: [LearningDedupe.Key] = []
        let ranked = candidates.sorted { ($0.score, $0.evidence.count, $1.text) > ($1.score, $1.evidence.count, $0.text) }
        let keys = ranked.map { LearningDedupe.Key($0.text) }
        let inFile = LearningDedupe.duplicates(of: keys, among: existing)
        for (k, c) in ranked.enumerated() {
            let session = c.evidence.first?.sessionId
            let key = keys[k]
            if let reason = noiseReason(c.text) {
                dropped.append(DroppedLearning(learning: c, reason: reason))
            } else if inFile[k] {
                dropped.append(DroppedLearning(learning: c, reason: "already in learnings.md"))
            } else if let i = keptKeys.firstIndex(where: { $0.isDuplicate(of: key) }) {
                kept[i].evidence += c.evidence
                dropped.append(DroppedLearning(learning: c, reason: "duplicate in this batch"))
            } else if kept.count >= max {
                dropped.append(DroppedLearning(learning: c, reason: "over the limit of \(max) per run"))
            } else if let session, perSession[session, default: 0] >= maxPerSession {
                dropped.append(DroppedLearning(learning: c, reason: "over the limit of \(maxPerSession) per session"))
            } else {
                if let session { perSession[session, default: 0] += 1 }
                kept.append(c)
                keptKeys.append(key)
            }
        }
        return Result(kept: kept, dropped: dropped)
    }

    /// Longest bullet kept: one or two sentences.
    public static let maxBulletLength = 300

    /// Why a text is not a stable, shareable lesson; nil when it is fine.
    public static func noiseReason(_ text: String) -> String? {
        let lower = text.lowercased()
        if text.trimmingWhitespace().split(separator: " ").count < 3 { return "too short to be a rule" }
        if text.count > maxBulletLength { return "longer than \(maxBulletLength) characters" }
        if PathNormalizer.containsMachinePath(text) || containsDrivePath(text) { return "machine-specific path" }
        if containsLineNumber(lower) { return "mentions a line number" }
        if lower.contains("traceback (most recent call last)") || lower.contains("\n    at ") || lower.contains(".swift:") && lower.contains("fatal error") {
            return "stack trace"
        }
        if lower.contains("<redacted:") || lower.contains("redacted") && lower.contains("[") { return "contained a secret" }
        return nil
    }

    /// `C:\Users\…`, `C:/…`, `C:~/…`: a Windows drive path.
    static func containsDrivePath(_ text: String) -> Bool {
        let chars = Array(text)
        guard chars.count >= 3 else { return false }
        for i in 0..<(chars.count - 2) where chars[i].isLetter && chars[i].isASCII && chars[i + 1] == ":" && "\\/~".contains(chars[i + 2]) {
            if i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber) { return true }
        }
        return false
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

    static func naturalList(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}

/// What the rules found: candidates for `select`, and what they turned down and why (for `--verbose`).
struct Candidates: Sendable {
    var learnings: [Learning] = []
    var dropped: [DroppedLearning] = []
    /// Every `add` as made, when `keepsLog` (to replay a session's finds into the whole run's).
    var log: [Learning] = []
    var keepsLog = false

    init(keepsLog: Bool = false) {
        self.keepsLog = keepsLog
    }

    mutating func add(_ l: Learning) {
        if keepsLog { log.append(l) }
        if let i = learnings.firstIndex(where: { $0.text == l.text && $0.source == l.source }) {
            learnings[i].evidence += l.evidence
            learnings[i].score = max(learnings[i].score, l.score) + (learnings[i].source == .failureFix ? 0.05 : 0)
            learnings[i].score = min(learnings[i].score, 0.9)
        } else {
            learnings.append(l)
        }
    }

    mutating func reject(_ text: String, _ source: Learning.Source, _ reason: String, _ evidence: [Learning.Evidence]) {
        dropped.append(DroppedLearning(learning: Learning(text: text, source: source, score: 0, evidence: evidence), reason: reason))
    }
}
