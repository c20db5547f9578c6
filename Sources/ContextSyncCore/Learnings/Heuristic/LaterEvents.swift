/// Look at what happened next: a rule the user took back ("scratch that", "never mind") or
/// replaced by a later rule about the same name, and a discovery the assistant later corrected
/// ("actually, `x` is …"), are not current lessons.
enum LaterEvents {
    static let retractions = ["scratch that", "never mind", "nevermind", "ignore that", "forget that", "forget what i said",
                              "disregard that", "disregard my last", "undo that", "i was wrong", "my mistake", "not what i meant"]
    static let retractionWords = RuleText.Phrases(retractions), correctionWords = RuleText.Phrases(corrections)
    static let corrections = ["actually", "i was wrong", "that was wrong", "turns out", "not the case", "incorrect", "my mistake",
                              "correction:", "rather,"]

    /// Removes the user rules of `c` that a later prompt of the same session takes back or replaces.
    static func dropSuperseded(_ sessions: [SessionEvents], into c: inout Candidates) {
        // Two transcripts may carry one id (copied between project folders): the first is read.
        let bySession = Dictionary(sessions.map { ($0.sessionId, $0) }, uniquingKeysWith: { first, _ in first })
        var keep: [Learning] = []
        for l in c.learnings {
            guard [.explicit, .userCorrection].contains(l.source), let ev = l.evidence.first, let s = bySession[ev.sessionId] else {
                keep.append(l)
                continue
            }
            if let reason = supersededReason(l, at: ev.eventIndex, in: s, rules: c.learnings) {
                c.reject(l.text, l.source, reason, l.evidence)
            } else {
                keep.append(l)
            }
        }
        c.learnings = keep
    }

    static func supersededReason(_ l: Learning, at i: Int, in s: SessionEvents, rules: [Learning]) -> String? {
        // The next prompt takes it back.
        if let next = s.events[(i + 1)...].first(where: { if case .user = $0.kind { return true }; return false }),
           case .user(let text) = next.kind, RuleText.containsAny(words: RuleText.words(String(text.prefix(200))), retractionWords) {
            return "the user took it back in the next prompt"
        }
        // A later rule of the same session about the same name.
        let names = Set(RuleText.codeSpans(l.text))
        guard !names.isEmpty else { return nil }
        for other in rules where other.text != l.text && [.explicit, .userCorrection].contains(other.source) {
            guard let e = other.evidence.first, e.sessionId == s.sessionId, e.eventIndex > i,
                  !names.isDisjoint(with: RuleText.codeSpans(other.text)) else { continue }
            return "replaced by a later rule about the same name: \(other.text)"
        }
        return nil
    }

    /// True when a later assistant message of `s` corrects a statement about one of `names`.
    static func correctedLater(_ names: [String], in s: SessionEvents, after i: Int) -> Bool {
        for e in s.events[(i + 1)...] {
            // A sentence is a run of the text's characters: a text that names none has no sentence that does.
            guard case .assistant(let text) = e.kind, names.contains(where: { TextBytes.contains(text, $0) }) else { continue }
            for sentence in RuleText.sentences(text) where names.contains(where: { TextBytes.contains(sentence, $0) }) {
                if RuleText.containsAny(words: RuleText.words(sentence), correctionWords) { return true }
            }
        }
        return false
    }
}
