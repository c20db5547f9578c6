/// A recurring failure: the same command failing with the same normalised error (numbers,
/// hashes, paths and quoted values removed) in three or more sessions is a gotcha even without a
/// fix; the most common next successful command is attached. Two sessions are enough when it is
/// one and the same command (program and subcommand) both times: `git commit` blocked by the
/// same pre-commit hook message twice, not `uv run a` and `uv run b` failing alike.
enum CrossSession {
    static let minSessions = 3
    static let minSessionsOneCommand = 2

    /// Without terminal colour codes.
    static func plain(_ line: String) -> String {
        var out = ""
        var inEscape = false
        for ch in line {
            if ch == "\u{1b}" { inEscape = true; continue }
            if inEscape { if ch.isLetter { inEscape = false }; continue }
            out.append(ch)
        }
        return out.trimmingWhitespace()
    }

    /// The error line up to its first clause break, at most about 120 characters.
    static func display(_ line: String) -> String {
        if let r = line.range(of: "; "), line.distance(from: line.startIndex, to: r.lowerBound) >= 20 { return String(line[..<r.lowerBound]) }
        guard line.count > 120 else { return line }
        let cut = line.prefix(120)
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + " …"
    }

    static func signature(_ line: String) -> String {
        let line = plain(line)
        var out = ""
        var lastWasHole = false
        for word in line.lowercased().split(separator: " ") {
            let w = String(word)
            // A backticked name stays: "Failed to spawn: `ty`" and "… `wakil`" are two lessons.
            let named = w.hasPrefix("`") && w.dropFirst().contains("`") && !w.contains("/") && !w.contains { $0.isNumber }
            let hole = !named && (w.contains("/") || w.contains { $0.isNumber } || w.hasPrefix("'") || w.hasPrefix("\"") || w.hasPrefix("`")
                || w.count >= 12 && w.allSatisfy { $0.isHexDigit })
            if hole { if !lastWasHole { out += " _" }; lastWasHole = true } else { out += " " + w; lastWasHole = false }
        }
        return out.trimmingWhitespace()
    }

    /// A failure one session shows: its signature, the error line as a rule would quote it, the
    /// command that failed, and the command that worked next (if any).
    struct Failure {
        var key: String
        var line: String
        var identity: String
        var eventIndex: Int
        var next: String?
    }

    /// One session's recurring-failure candidates, each signature once, in event order (a pure
    /// function of the session: `recurringFailures` runs it for every session in parallel).
    static func failures(_ s: SessionEvents, normalize: (String) -> String) -> [Failure] {
        var out: [Failure] = []
        var seenHere = Set<String>()
        for (i, e) in s.events.enumerated() {
            guard case .tool(let call) = e.kind, FailureFixes.isShell(call),
                  case .error(let category, let line)? = call.outcome, !line.isEmpty,
                  category != .userRejected, category != .toolMechanics else { continue }
            let cmd = ShellCommand(normalize(call.argument))
            // Failing tests and compile errors recur because code is being written, not as a gotcha.
            guard let p = FailureFixes.failedPart(cmd), !(FailureFixes.codeCategories.contains(category) && CommandKind.of(p) != nil)
            else { continue }
            // The error, not the command, is the gotcha: `sudo x` and `sudo y` failing for want of
            // a terminal are one lesson.
            let key = signature(line)
            guard RuleText.words(key).count >= 3, seenHere.insert(key).inserted else { continue }
            var f = Failure(key: key, line: normalize(plain(line)), identity: p.launcher.first.map { $0 + " " + p.identity } ?? p.identity,
                            eventIndex: i, next: nil)
            for j in (i + 1)..<min(s.events.count, i + 10) {
                guard case .tool(let later) = s.events[j].kind, FailureFixes.isShell(later), later.outcome == .ok else { continue }
                let n = ShellCommand(normalize(later.argument))
                guard !n.changesRemoteState, !n.masksStatus, !n.isComplex,
                      let np = n.parts.first(where: { FailureFixes.family($0) == FailureFixes.family(p) }) ?? n.parts.first(where: { !FailureFixes.isReadOnly($0) }),
                      CommandKind.isQuotable(np) else { continue }
                f.next = np.text
                break
            }
            out.append(f)
        }
        return out
    }

    /// `normalize` must be pure (it is called from several threads at once).
    static func recurringFailures(_ sessions: [SessionEvents], normalize: (String) -> String, into c: inout Candidates) {
        struct Group { var identities: [String]; var line: String; var evidence: [Learning.Evidence]; var next: [String: Int] }
        let found = withoutActuallyEscaping(normalize) { normalize in
            let normalize = PureFunction(apply: normalize)
            return ConcurrentWork.map(sessions.count) { failures(sessions[$0], normalize: normalize.apply) }
        }
        var groups: [String: Group] = [:]
        var firstSeen: [String] = []  // keys in the order found: ties are ordered by it, not by hashing
        for (s, list) in zip(sessions, found) {
            for f in list {
                if groups[f.key] == nil { firstSeen.append(f.key) }
                var g = groups[f.key] ?? Group(identities: [], line: f.line, evidence: [], next: [:])
                g.identities.append(f.identity)
                g.evidence.append(.init(sessionId: s.sessionId, eventIndex: f.eventIndex))
                if let n = f.next { g.next[n, default: 0] += 1 }
                groups[f.key] = g
            }
        }
        let ordered = firstSeen.enumerated().map { (rank: $0.offset, group: groups[$0.element]!) }
            .sorted { ($0.group.evidence.count, $1.rank) > ($1.group.evidence.count, $0.rank) }.map(\.group)
        for g in ordered {
            let n = Set(g.evidence.map(\.sessionId)).count
            let counts = Dictionary(grouping: g.identities, by: { $0 }).mapValues(\.count)
            guard n >= minSessions || n >= minSessionsOneCommand && counts.count == 1 else { continue }
            let top = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            let launchers = Set(g.identities.map { String($0.split(separator: " ").first ?? "") })
            // "sudo: a terminal is required …": the error names the program that failed.
            let named = g.line.split(separator: ":").first.map(String.init).flatMap { w in
                g.identities.contains { $0.split(separator: " ").contains(Substring(w)) } ? w : nil
            } ?? g.line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }.first { w in
                    !w.contains(" ") && g.identities.contains { $0.split(separator: " ").contains(Substring(w)) }
                }
            let subject = named.map { "`\($0)`" } ?? (counts.count == 1 ? "`\(top)`" : launchers.count == 1 ? "`\(launchers.first!) …`" : nil)
            guard let subject else {
                c.reject("\(g.line) (\(n) sessions)", .recurringFailure, "the same error from unrelated commands", g.evidence)
                continue
            }
            var text = "\(subject) keeps failing with \"\(display(g.line))\" (\(n) sessions)"
            if let (next, count) = g.next.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), count >= 2 {
                text += "; what worked next: `\(next)`"
            }
            c.add(Learning(text: text + ".", source: .recurringFailure, score: 0.7, evidence: g.evidence,
                           why: "the same failure in \(n) sessions"))
        }
    }
}
