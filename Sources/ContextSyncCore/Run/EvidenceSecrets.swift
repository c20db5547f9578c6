/// Learnings whose evidence holds a secret are not written at all. The write gate scans every
/// bullet, but a bullet cut out of a longer text (a sentence split at a dot inside a command, a
/// command trimmed to its program) can keep a fragment of a password that no scanner recognises
/// on its own. So the built-in extractor's candidates are judged by their sources: when any
/// event a learning cites holds a secret, the learning is dropped.
public enum EvidenceSecrets {
    /// `kept` without the learnings whose evidence events hold a secret; those are returned as
    /// dropped, with the reason.
    public static func filter(_ kept: [Learning], events sessions: [SessionEvents],
                              scanner: SecretScanner) -> (kept: [Learning], dropped: [DroppedLearning]) {
        var bySession: [String: SessionEvents] = [:]
        for s in sessions { bySession[s.sessionId] = s }
        var out: [Learning] = []
        var dropped: [DroppedLearning] = []
        for l in kept {
            let tainted = l.evidence.contains { ref in
                guard let s = bySession[ref.sessionId], s.events.indices.contains(ref.eventIndex) else { return false }
                return texts(of: s.events[ref.eventIndex]).contains { !scanner.scan($0).isEmpty }
            }
            if tainted {
                dropped.append(DroppedLearning(learning: l, reason: "its evidence holds a secret"))
            } else {
                out.append(l)
            }
        }
        return (out, dropped)
    }

    /// Every text of an event a learning could be cut from.
    static func texts(of event: SessionEvent) -> [String] {
        switch event.kind {
        case .user(let t), .assistant(let t), .compaction(let t): return [t]
        case .tool(let call):
            var out = [call.argument]
            if case .error(_, let message) = call.outcome { out.append(message) }
            if let r = call.subagentResult { out.append(r) }
            return out
        default: return []
        }
    }
}
