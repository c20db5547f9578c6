/// Claude Code's compaction summaries. An errors-and-fixes item whose fix is a command becomes
/// "problem: fix with `cmd`"; other rule-like lines are the summariser's restatement of one
/// session, so they count only when two sessions' summaries say the same thing. Status lines
/// ("Remaining:", "Fixed test_x", to-do items) and first-person narrative are never rules.
enum CompactionRules {
    static let ruleWords = ["always", "must", "need to", "needs to", "requires", "instead of", "don't", "never", "should",
                            "only works", "has to", "enforces", "not supported", "doesn't support"]

    static let ruleWordPhrases = RuleText.Phrases(ruleWords), narrativeWords = RuleText.Phrases(["fixed by", "user", "i", "we", "my"])

    static func items(_ text: String) -> [(title: String, line: String)] {
        var out: [(String, String)] = []
        for section in CompactionSummary.sections(text) where CompactionSummary.isLessonSection(section.title) {
            for raw in TextBytes.lines(section.body, limit: Int.max) where !raw.isEmpty {
                let line = raw.trimmingWhitespace()
                guard line.hasPrefix("- ") || line.hasPrefix("* ") else { continue }
                out.append((section.title, TextBytes.replacing(String(line.dropFirst(2)), "**", with: "").trimmingWhitespace()))
            }
        }
        return out
    }

    /// A compaction summary of a session: its event index and its items.
    typealias Summary = (index: Int, items: [(title: String, line: String)])

    /// Each session's compaction summaries, read in parallel.
    static func summaries(_ sessions: [SessionEvents]) -> [[Summary]] {
        ConcurrentWork.map(sessions.count) { k in
            sessions[k].events.enumerated().compactMap { i, e -> Summary? in
                if case .compaction(let text) = e.kind { return (i, items(text)) }
                return nil
            }
        }
    }

    static func find(_ sessions: [SessionEvents], normalize: (String) -> String, into c: inout Candidates) {
        var ruleLines: [(text: String, evidence: Learning.Evidence)] = []
        let summaries = summaries(sessions)
        for (s, compactions) in zip(sessions, summaries) {
            for (i, items) in compactions {
                let ev = Learning.Evidence(sessionId: s.sessionId, eventIndex: i)
                for (_, line) in items {
                    let lower = TextBytes.lowercasedForMatching(line)
                    if RuleText.isStatusLine(line) || TextBytes.contains(lower, "current:") || RuleText.looksLikeUsage(line) { continue }
                    let words = RuleText.words(line)
                    if let fix = commandFix(line) {
                        ruleLines.append((normalize(fix), ev))
                    } else if RuleText.containsAny(words: words, ruleWordPhrases), RuleText.namesSomethingConcrete(line),
                              !RuleText.containsAny(words: words, narrativeWords),
                              let rule = UserRules.asRule(line, fact: true) {
                        ruleLines.append((normalize(rule), ev))
                    }
                }
            }
        }
        recurringLintProblems(sessions, summaries: summaries, into: &c)
        // Rule-like lines: kept only when summaries of two sessions say it.
        var groups: [(text: String, evidence: [Learning.Evidence])] = []
        for r in ruleLines {
            if let g = groups.firstIndex(where: { LearningDedupe.isDuplicate($0.text, r.text) }) {
                groups[g].evidence.append(r.evidence)
            } else {
                groups.append((r.text, [r.evidence]))
            }
        }
        for g in groups {
            if Set(g.evidence.map(\.sessionId)).count >= 2 {
                c.add(Learning(text: g.text, source: .compaction, score: 0.6, evidence: g.evidence,
                               why: "stated in the compaction summaries of two sessions"))
            } else {
                c.reject(g.text, .compaction, "stated in one compaction summary only", g.evidence)
            }
        }
    }

    /// "Title: … Fixed by `cmd` …" → "Title: fix with `cmd`." when `cmd` is a shell command.
    static func commandFix(_ line: String) -> String? {
        guard let colon = line.range(of: ": ") else { return nil }
        let title = String(line[..<colon.lowerBound]).trimmingWhitespace()
        let body = String(line[colon.upperBound...])
        guard title.count >= 8, title.count <= 120, !title.lowercased().hasPrefix("current") else { return nil }
        let lower = body.lowercased()
        guard ["fixed by", "fix:", "resolved by", "used ", "use ", "solution:", "workaround"].contains(where: { lower.contains($0) }) else { return nil }
        for span in RuleText.codeSpans(body) {
            let cmd = ShellCommand(span)
            guard let p = cmd.main, !cmd.isComplex, p.words.count >= 2, span.count <= 100, !cmd.isRoutine,
                  ShellCommand.subcommandWords[p.program] != nil || CommandKind.of(p) != nil || !p.flags.isEmpty,
                  !cmd.changesRemoteState else { continue }
            return "\(title.trimmed(of: ":.")): fix with `\(span)`."
        }
        return nil
    }

    /// The linters an errors-and-fixes title can name first ("Credo nesting depth (max 2) in `f`").
    static let linters: Set<String> = CommandKind.lintPrograms.union(["credo", "clippy", "dialyzer", "eslint", "golangci-lint"])

    /// An errors-and-fixes item whose title starts with a linter's name, reduced to the check it
    /// names: ("credo", "nesting depth", "max 2") for "Credo nesting depth (max 2, was 4) in `f`".
    static func lintProblem(_ line: String) -> (linter: String, check: String, limit: String?)? {
        guard let colon = line.range(of: ": ") else { return nil }
        var title = String(line[..<colon.lowerBound]).replacingOccurrences(of: "`", with: "")
        let words = title.split(separator: " ")
        guard let first = words.first.map({ $0.lowercased().trimmed(of: "'s:") }), linters.contains(first) else { return nil }
        var limit: String?
        if let open = title.firstIndex(of: "("), let close = title[open...].firstIndex(of: ")") {
            let inside = title[title.index(after: open)..<close]
            limit = inside.split(separator: ",").map { String($0).trimmingWhitespace() }.first { $0.lowercased().hasPrefix("max") }
            title.removeSubrange(open...close)
        }
        if let r = title.range(of: " in ") { title = String(title[..<r.lowerBound]) }
        let check = title.split(separator: " ").dropFirst()
            .filter { w in !w.contains { $0.isNumber || $0 == "/" || $0 == "_" || $0 == "." } }
            .map { $0.lowercased() }.joined(separator: " ")
        guard RuleText.words(check).count >= 2, check.count <= 40 else { return nil }
        return (first, check, limit)
    }

    /// The same linter check in the errors-and-fixes of two sessions' summaries is a project
    /// convention that keeps biting ("Credo nesting depth (max 2) failed in 2 sessions"); one
    /// summary alone is the summariser's account of one session's code.
    static func recurringLintProblems(_ sessions: [SessionEvents], summaries: [[Summary]], into c: inout Candidates) {
        struct Group { var linter: String; var check: String; var limit: String?; var fixes: [String]; var evidence: [Learning.Evidence] }
        var groups: [String: Group] = [:]
        var order: [String] = []
        for (s, compactions) in zip(sessions, summaries) {
            for (i, items) in compactions {
                for (title, line) in items where title.lowercased().contains("error") {
                    guard let p = lintProblem(line) else { continue }
                    let key = p.linter + " " + p.check
                    if groups[key] == nil { order.append(key) }
                    var g = groups[key] ?? Group(linter: p.linter, check: p.check, limit: nil, fixes: [], evidence: [])
                    g.limit = g.limit ?? p.limit
                    if let colon = line.range(of: ": ") {
                        let fix = String(line[colon.upperBound...]).trimmingWhitespace()
                        if !fix.isEmpty { g.fixes.append(fix) }
                    }
                    g.evidence.append(.init(sessionId: s.sessionId, eventIndex: i))
                    groups[key] = g
                }
            }
        }
        for key in order {
            let g = groups[key]!
            let n = Set(g.evidence.map(\.sessionId)).count
            let name = g.linter.prefix(1).uppercased() + g.linter.dropFirst()
            let subject = "\(name) \(g.check)" + (g.limit.map { " (\($0))" } ?? "")
            guard n >= 2 else {
                c.reject("\(subject) failed in one session.", .compaction, "one compaction summary's account of its own code", g.evidence)
                continue
            }
            var text = "\(subject) failed in \(n) sessions"
            if let fix = g.fixes.filter({ $0.count <= 120 }).min(by: { $0.count < $1.count }) {
                let body = fix.trimmed(of: ".")
                let by = ["Fixed by ", "Resolved by ", "Fix: "].first { body.hasPrefix($0) }
                text += by.map { "; fixed by \(body.dropFirst($0.count))." } ?? "; a fix that worked: \(body)."
            } else {
                text += "."
            }
            c.add(Learning(text: text, source: .compaction, score: 0.6, evidence: g.evidence,
                           why: "the same \(g.linter) check in the errors and fixes of \(n) sessions' summaries"))
        }
    }
}
