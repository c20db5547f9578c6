/// A recurring failure: the same command failing with the same normalised error (numbers,
/// hashes, paths and quoted values removed) in three or more sessions is a gotcha even without a
/// fix; the most common next successful command is attached.
enum CrossSession {
    static let minSessions = 3

    static func signature(_ line: String) -> String {
        var out = ""
        var lastWasHole = false
        for word in line.lowercased().split(separator: " ") {
            let w = String(word)
            let hole = w.contains("/") || w.contains { $0.isNumber } || w.hasPrefix("'") || w.hasPrefix("\"") || w.hasPrefix("`")
                || w.count >= 12 && w.allSatisfy { $0.isHexDigit }
            if hole { if !lastWasHole { out += " _" }; lastWasHole = true } else { out += " " + w; lastWasHole = false }
        }
        return out.trimmingWhitespace()
    }

    static func recurringFailures(_ sessions: [SessionEvents], normalize: (String) -> String, into c: inout Candidates) {
        struct Group { var identity: String; var line: String; var evidence: [Learning.Evidence]; var next: [String: Int] }
        var groups: [String: Group] = [:]
        for s in sessions {
            var seenHere = Set<String>()
            for (i, e) in s.events.enumerated() {
                guard case .tool(let call) = e.kind, FailureFixes.isShell(call),
                      case .error(let category, let line)? = call.outcome, !line.isEmpty,
                      category != .userRejected, category != .toolMechanics else { continue }
                let cmd = ShellCommand(normalize(call.argument))
                // Failing tests and compile errors recur because code is being written, not as a gotcha.
                guard let p = FailureFixes.failedPart(cmd), !(FailureFixes.codeCategories.contains(category) && CommandKind.of(p) != nil)
                else { continue }
                let key = p.identity + "|" + signature(line)
                guard seenHere.insert(key).inserted else { continue }
                var g = groups[key] ?? Group(identity: p.identity, line: normalize(line), evidence: [], next: [:])
                g.evidence.append(.init(sessionId: s.sessionId, eventIndex: i))
                for j in (i + 1)..<min(s.events.count, i + 10) {
                    guard case .tool(let later) = s.events[j].kind, FailureFixes.isShell(later), later.outcome == .ok else { continue }
                    let n = ShellCommand(normalize(later.argument))
                    guard !n.changesRemoteState, !n.masksStatus, !n.isComplex,
                          let np = n.parts.first(where: { FailureFixes.family($0) == FailureFixes.family(p) }) ?? n.parts.first(where: { !FailureFixes.isReadOnly($0) }),
                          CommandKind.isQuotable(np) else { continue }
                    g.next[np.text, default: 0] += 1
                    break
                }
                groups[key] = g
            }
        }
        for g in groups.values.sorted(by: { $0.evidence.count > $1.evidence.count }) {
            let n = Set(g.evidence.map(\.sessionId)).count
            guard n >= minSessions else { continue }
            var text = "`\(g.identity)` keeps failing with \"\(g.line.prefix(120))\" (\(n) sessions)"
            if let (next, count) = g.next.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), count >= 2 {
                text += "; what worked next: `\(next)`"
            }
            c.add(Learning(text: text + ".", source: .recurringFailure, score: 0.7, evidence: g.evidence,
                           why: "the same failure in \(n) sessions"))
        }
    }
}
