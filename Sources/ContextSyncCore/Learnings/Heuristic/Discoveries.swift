/// A discovery the assistant states after reading or failing ("`priv/static/assets/` is
/// gitignored", "the script expects to be run from `assets/`", "`X` defaults to …"), with a
/// backticked name that the session then uses (a later successful command or an edited file
/// names it): evidence in two places. Plans ("Let me", "I'll") and questions never count, and a
/// discovery about a name a failure → fix bullet of the session already covers is left out.
enum Discoveries {
    static let phrases = ["is gitignored", "is ignored by git", "are gitignored", "is generated", "is auto-generated", "are generated",
                          "expects to be run from", "must be run from", "has to be run from", "needs to be run from",
                          "only works", "is not on path", "isn't on path", "is not installed", "isn't installed", "already handles",
                          "is a no-op", "defaults to", "is tracked despite", "lives in", "lives under", "is read from", "is loaded from",
                          "must be run before", "needs to run before", "requires running"]
    static let phraseNeedles = phrases.map(ByteSearch.Needle.init)
    static let plans = ["let me", "i'll", "i will", "i'm", "i am", "now ", "next", "first", "then ", "i need", "i should", "we ",
                        "let's", "so ", "ok", "okay", "good", "great", "perfect", "done"]

    static func find(_ s: SessionEvents, normalize: (String) -> String, covered: [Learning], into c: inout Candidates) {
        for (i, e) in s.events.enumerated() {
            guard case .assistant(let text) = e.kind else { continue }
            // A sentence holds a phrase only if the text does (a sentence is a piece of it): most
            // texts are not split at all.
            // No phrase ends in "i" and no plan starts with the lower case of U+0130.
            let lowerText = TextBytes.lowercasedForPhrases(text)
            guard ByteSearch.containsAny(lowerText, phraseNeedles) else { continue }
            for sentence in RuleText.sentences(text) {
                let lower = TextBytes.lowercasedForPhrases(sentence)
                guard ByteSearch.containsAny(lower, phraseNeedles), !sentence.hasSuffix("?"),
                      !plans.contains(where: { lower.hasPrefix($0) }) else { continue }
                // Addressed to the user ("per your note …"): a diagnosis of the moment, not a fact of the project.
                if !Set(RuleText.words(sentence).map(String.init)).isDisjoint(with: ["you", "your", "you're", "we", "our"]) { continue }
                let names = RuleText.codeSpans(sentence).map { $0.trimmed(of: "/") }.filter { $0.count >= 3 && !$0.contains(" ") }
                guard !names.isEmpty else { continue }
                let ev = Learning.Evidence(sessionId: s.sessionId, eventIndex: i)
                let normalized = normalize(sentence)
                if covered.contains(where: { l in l.evidence.contains { $0.sessionId == s.sessionId } && names.contains { TextBytes.contains(l.text, $0) } }) {
                    c.reject(normalized, .assistant, "a failure → fix of this session already says it", [ev])
                    continue
                }
                if LaterEvents.correctedLater(names, in: s, after: i) {
                    c.reject(normalized, .assistant, "corrected later in the session", [ev])
                    continue
                }
                guard let j = laterUse(of: names, in: s, after: i, normalize: normalize) else {
                    c.reject(normalized, .assistant, "stated once and never used later in the session", [ev])
                    continue
                }
                guard let rule = UserRules.asRule(sentence, fact: true) else {
                    c.reject(normalized, .assistant, "not phrased as a fact", [ev])
                    continue
                }
                c.add(Learning(text: normalize(rule), source: .assistant, score: 0.7,
                               evidence: [ev, .init(sessionId: s.sessionId, eventIndex: j)],
                               why: "the assistant found it, and the session then used the name"))
            }
        }
    }

    /// The first later successful command or edited file that names one of `names`.
    static func laterUse(of names: [String], in s: SessionEvents, after i: Int, normalize: (String) -> String) -> Int? {
        for j in (i + 1)..<s.events.count {
            guard case .tool(let call) = s.events[j].kind, call.outcome == .ok,
                  FailureFixes.isShell(call) || FailureFixes.isEdit(call) else { continue }
            let arg = normalize(call.argument)
            if names.contains(where: { TextBytes.contains(arg, $0) }) { return j }
        }
        return nil
    }
}
