/// A rule the assistant cites from the project's own documents (AGENTS.md, CONTRIBUTING,
/// DEVELOPMENT.md) with a modal ("must", "never", "always"): the document is the evidence.
/// CLAUDE.md is left out: Claude Code loads it into every session already, and the learnings file
/// is imported from it.
enum DocRules {
    static let documents = ["AGENTS.md", "CONTRIBUTING.md", "CONTRIBUTING", "DEVELOPMENT.md", "HACKING.md"]
    static let modals = ["must", "must not", "never", "always", "required", "is required", "do not", "don't", "only"]
    static let modalWords = RuleText.Phrases(modals)
    static let citing = [" says that ", " says ", " states that ", " states ", " requires that ", " notes that ", " notes ",
                         " is clear: ", ": ", ", "]
    static let plans = ["let me", "i'll", "i will", "i'm going", "i am going", "now ", "next", "first", "then ", "i need", "i should",
                        "we need", "we should", "let's"]

    static func find(_ s: SessionEvents, normalize: (String) -> String, into c: inout Candidates) {
        for (i, e) in s.events.enumerated() {
            guard case .assistant(let text) = e.kind, documents.contains(where: { ByteSearch.contains(text, $0) }) else { continue }
            for sentence in RuleText.sentences(text) {
                guard let doc = documents.first(where: { ByteSearch.contains(sentence, $0) }), RuleText.containsAny(words: RuleText.words(sentence), modalWords) else { continue }
                let ev = [Learning.Evidence(sessionId: s.sessionId, eventIndex: i)]
                let lower = sentence.lowercased()
                if plans.contains(where: { lower.hasPrefix($0) }) || sentence.hasSuffix("?") {
                    c.reject(sentence, .explicit, "a plan or a question, not the rule", ev)
                    continue
                }
                guard let rule = rule(sentence, doc: doc), let text = UserRules.asRule(rule, fact: true) else {
                    c.reject(sentence, .explicit, "the document's rule could not be separated from the sentence", ev)
                    continue
                }
                c.add(Learning(text: normalize(text.dropLast() + " (\(doc))."), source: .explicit, score: 0.8, evidence: ev,
                               why: "a rule the project's \(doc) states"))
            }
        }
    }

    /// "According to `AGENTS.md`, migrations must …" → "migrations must …".
    static func rule(_ sentence: String, doc: String) -> String? {
        guard let r = sentence.range(of: doc) else { return nil }
        let before = sentence[..<r.lowerBound].lowercased().trimmed(of: "`*\"' ")
        var after = String(sentence[r.upperBound...]).trimmed(of: "`*\"'")
        guard before.split(separator: " ").count <= 4 else { return nil }  // the document is named up front
        for c in citing where after.hasPrefix(c) {
            after = String(after.dropFirst(c.count))
            return after.trimmingWhitespace().isEmpty ? nil : after.trimmingWhitespace()
        }
        return nil
    }
}
