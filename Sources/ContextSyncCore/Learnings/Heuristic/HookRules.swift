/// A rule the project's hooks enforce: a Stop hook's feedback or a PreToolUse hook's refusal that
/// states a rule ("Cannot exit with unstaged changes", "Do not edit generated files", "… must …").
/// A hook is the project speaking, so its rule is an explicit statement; still, only a rule the
/// hooks gave in two sessions (or twice in one) is kept — one refusal may be about that one
/// moment — and it is written as what the hook enforces.
enum HookRules {
    static let openings = ["cannot ", "can't ", "do not ", "don't ", "never ", "always ", "you must ", "must ", "not allowed", "refusing "]
    static let modals = [" must ", " must not ", " is required", " are required", " not allowed", " is blocked", " never "]

    static func find(_ sessions: [SessionEvents], normalize: (String) -> String, into c: inout Candidates) {
        struct Seen { var text: String; var kind: String; var evidence: [Learning.Evidence]; var sessions: Set<String> }
        var rules: [String: Seen] = [:]
        var order: [String] = []
        for s in sessions {
            for (i, e) in s.events.enumerated() {
                guard case .hook(let raw) = e.kind else { continue }
                let (kind, body) = split(raw)
                for sentence in RuleText.sentences(body) {
                    guard let rule = rule(sentence) else { continue }
                    let key = LearningsDocument.normalizeForDedupe(rule)
                    if rules[key] == nil { order.append(key) }
                    var seen = rules[key] ?? Seen(text: rule, kind: kind, evidence: [], sessions: [])
                    seen.evidence.append(.init(sessionId: s.sessionId, eventIndex: i))
                    seen.sessions.insert(s.sessionId)
                    rules[key] = seen
                }
            }
        }
        for key in order {
            let r = rules[key]!
            let text = normalize("The project's \(r.kind) enforces: \(r.text)")
            guard r.evidence.count >= 2 else {
                c.reject(text, .hook, "a hook said it once: it may be about that moment only", r.evidence)
                continue
            }
            c.add(Learning(text: text, source: .hook, score: 0.8, evidence: r.evidence,
                           why: "the project's hooks gave this rule \(r.evidence.count) times in \(r.sessions.count) session(s)"))
        }
    }

    /// ("Stop hook", the feedback) from "Stop hook feedback: [script]: text" or
    /// "PreToolUse:Bash hook error: [script]: text".
    static func split(_ raw: String) -> (String, String) {
        var text = raw.trimmingWhitespace()
        var kind = "hook"
        if let r = text.range(of: " hook ") {
            let name = text[..<r.lowerBound].split(separator: ":").first.map(String.init) ?? ""
            if !name.isEmpty, name.count <= 30, !name.contains(" ") { kind = name + " hook" }
        }
        // Drop "… feedback:" / "… error:" and a leading "[script path]:".
        if let colon = text.range(of: ": "), text[..<colon.lowerBound].contains("hook") { text = String(text[colon.upperBound...]) }
        if text.hasPrefix("["), let close = text.range(of: "]: ") { text = String(text[close.upperBound...]) }
        // Markdown headings of the feedback are not sentences.
        text = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: " ")
        text = text.replacingOccurrences(of: "# ", with: ". ")
        return (kind, text)
    }

    /// The sentence as a rule, or nil when it states none (or is a list, a path dump, too long).
    static func rule(_ sentence: String) -> String? {
        var s = sentence.trimmingWhitespace()
        while s.hasPrefix("#") || s.hasPrefix("-") || s.hasPrefix("*") { s = String(s.dropFirst()).trimmingWhitespace() }
        let lower = " " + s.lowercased() + " "
        guard s.count >= 12, s.count <= 200, !s.hasSuffix("?"), !s.contains("/"),
              openings.contains(where: { lower.dropFirst().hasPrefix($0) }) || modals.contains(where: { lower.contains($0) })
        else { return nil }
        if s.hasSuffix(":") { s = String(s.dropLast()) }
        if !s.hasSuffix(".") && !s.hasSuffix("!") { s += "." }
        return s
    }
}
