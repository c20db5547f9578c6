/// Claude Code's compaction summaries. An errors-and-fixes item whose fix is a command becomes
/// "problem: fix with `cmd`"; other rule-like lines are the summariser's restatement of one
/// session, so they count only when two sessions' summaries say the same thing. Status lines
/// ("Remaining:", "Fixed test_x", to-do items) and first-person narrative are never rules.
enum CompactionRules {
    static let ruleWords = ["always", "must", "need to", "needs to", "requires", "instead of", "don't", "never", "should",
                            "only works", "has to", "enforces", "not supported", "doesn't support"]

    static func items(_ text: String) -> [(title: String, line: String)] {
        var out: [(String, String)] = []
        for section in CompactionSummary.sections(text) where CompactionSummary.isLessonSection(section.title) {
            for raw in section.body.split(separator: "\n") {
                let line = String(raw).trimmingWhitespace()
                guard line.hasPrefix("- ") || line.hasPrefix("* ") else { continue }
                out.append((section.title, String(line.dropFirst(2)).replacingOccurrences(of: "**", with: "").trimmingWhitespace()))
            }
        }
        return out
    }

    static func find(_ sessions: [SessionEvents], normalize: (String) -> String, into c: inout Candidates) {
        var ruleLines: [(text: String, evidence: Learning.Evidence)] = []
        for s in sessions {
            for (i, e) in s.events.enumerated() {
                guard case .compaction(let text) = e.kind else { continue }
                let ev = Learning.Evidence(sessionId: s.sessionId, eventIndex: i)
                for (_, line) in items(text) {
                    let lower = line.lowercased()
                    if RuleText.isStatusLine(line) || lower.contains("current:") || RuleText.looksLikeUsage(line) { continue }
                    if let fix = commandFix(line) {
                        ruleLines.append((normalize(fix), ev))
                    } else if RuleText.containsAny(line, ruleWords), RuleText.namesSomethingConcrete(line),
                              !RuleText.containsAny(line, ["fixed by", "user", "i", "we", "my"]),
                              let rule = UserRules.asRule(line, fact: true) {
                        ruleLines.append((normalize(rule), ev))
                    }
                }
            }
        }
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
}
