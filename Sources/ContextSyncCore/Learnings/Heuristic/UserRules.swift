/// What the user said that is a rule for every later session: "remember / note that / always /
/// never" anywhere, and corrections (after an interrupt or a rejected tool, or in a later prompt).
/// Never a question, a complaint, an instruction for the task at hand, text pasted from a terminal
/// or a log, or a line of help text; a correction must generalise (name a tool, command, path or
/// convention, or say always / never / instead of) and is written as the rule, not quoted.
enum UserRules {
    static let rememberMarkers = ["remember", "note that", "fyi", "keep in mind", "for future reference", "from now on",
                                  "going forward", "in the future", "in future"]
    static let alwaysNever = ["always", "never"]
    static let correctionMarkers = ["don't", "do not", "dont", "instead", "stop", "should not", "shouldn't", "must not", "wrong",
                                    "avoid", "rather than", "prefer", "not like that"]
    static let generalisers = ["always", "never", "instead of", "rather than", "from now on", "going forward", "in the future",
                               "every time", "whenever", "each time"]
    static let taskBound = ["yet", "for now", "this time", "right now", "this pr", "this branch", "this commit", "this file",
                            "this one", "continue", "phase", "go ahead", "next step", "these", "that one", "above", "below",
                            "for this", "the issue", "this issue", "this bug", "this test", "todo", "today", "anymore"]
    static let complaints = ["i don't understand", "i do not understand", "not following", "i'm confused", "i am confused",
                             "makes no sense", "doesn't work", "does not work", "not working", "still broken", "still failing",
                             "this is wrong", "that's wrong", "that is wrong", "you broke", "why did you", "what happened",
                             "i'm not sure", "i don't know", "didn't work", "did not work"]
    static let questionStarts = ["why", "how", "what", "where", "when", "which", "who", "can you", "could you", "would you",
                                 "will you", "should i", "should we", "shouldn't i", "shouldn't we", "do i", "do we", "do you",
                                 "does it", "does this", "did you", "is it", "is there", "is this", "isn't", "isn't there",
                                 "are we", "are you", "aren't", "don't i", "don't we", "don't you", "wouldn't", "won't",
                                 "have you", "has it", "any idea", "what's", "whats", "is that"]
    static let rememberMarkersWords = RuleText.Phrases(rememberMarkers), alwaysNeverWords = RuleText.Phrases(alwaysNever)
    static let correctionMarkersWords = RuleText.Phrases(correctionMarkers), generalisersWords = RuleText.Phrases(generalisers)
    static let taskBoundWords = RuleText.Phrases(taskBound), complaintsWords = RuleText.Phrases(complaints)
    static let imperatives: Set<String> = ["always", "never", "don't", "do", "use", "run", "prefer", "avoid", "keep", "only", "put",
                                           "call", "check", "make", "set", "write", "pass", "start", "stop", "leave", "add", "test",
                                           "build", "name", "store", "commit", "push", "ask", "read", "edit", "install", "import",
                                           "place", "mark", "treat", "prefix", "wrap", "include", "exclude", "skip", "just"]

    static func find(_ s: SessionEvents, normalize: (String) -> String, into c: inout Candidates) {
        var promptsSeen = 0
        for (i, e) in s.events.enumerated() {
            guard case .user(let text) = e.kind else { continue }
            promptsSeen += 1
            let trimmed = text.trimmingWhitespace()
            if trimmed.hasPrefix("<") { continue }  // machine wrappers: task notifications, command output
            let afterStop = s.events[max(0, i - 2)..<i].contains {
                if case .interrupted = $0.kind { return true }
                if case .tool(let t) = $0.kind, case .error(.userRejected, _)? = t.outcome { return true }
                return false
            }
            let ev = [Learning.Evidence(sessionId: s.sessionId, eventIndex: i)]
            var found = 0
            let all = typedLines(trimmed).flatMap(RuleText.sentences)
            for (k, sentence) in all.enumerated() where found < 2 {
                let words = RuleText.words(sentence)
                let explicit = RuleText.containsAny(words: words, Self.rememberMarkersWords) || RuleText.containsAny(words: words, Self.alwaysNeverWords)
                let lower = sentence.lowercased()
                let corrective = RuleText.containsAny(words: words, Self.correctionMarkersWords) || lower.hasPrefix("no,") || lower.hasPrefix("no ")
                guard explicit || corrective else { continue }
                let opening = !(promptsSeen > 1 || afterStop)
                let firstWord = words.first.map(String.init) ?? ""
                if opening && !RuleText.containsAny(words: words, Self.rememberMarkersWords) && !alwaysNever.contains(firstWord) {
                    c.reject(sentence, .userCorrection, "the opening prompt describes the task", ev)
                    continue
                }
                if let reason = notARule(sentence) {
                    c.reject(sentence, .userCorrection, reason, ev)
                    continue
                }
                var candidate = sentence
                if k + 1 < all.count, isFollowUp(all[k + 1]), sentence.count + all[k + 1].count < 240 {
                    candidate += " " + all[k + 1]
                }
                let candidateWords = candidate == sentence ? words : RuleText.words(candidate)
                let generalises = RuleText.containsAny(words: candidateWords, Self.generalisersWords) || RuleText.namesSomethingConcrete(candidate)
                    || RuleText.containsAny(words: candidateWords, Self.rememberMarkersWords)
                guard generalises else {
                    c.reject(sentence, .userCorrection, "does not generalise (names no tool, command, path or convention)", ev)
                    continue
                }
                if !RuleText.containsAny(words: candidateWords, Self.alwaysNeverWords) && !RuleText.containsAny(words: candidateWords, Self.rememberMarkersWords),
                   RuleText.containsAny(words: candidateWords, Self.taskBoundWords) {
                    c.reject(sentence, .userCorrection, "an instruction for the task at hand", ev)
                    continue
                }
                let remember = RuleText.containsAny(words: words, Self.rememberMarkersWords)
                guard let rule = asRule(candidate, fact: remember) else {
                    c.reject(sentence, .userCorrection, "not phrased as a rule", ev)
                    continue
                }
                let source: Learning.Source = explicit && !afterStop ? .explicit : .userCorrection
                let score = afterStop ? 0.95 : explicit ? 0.9 : 0.8
                c.add(Learning(text: normalize(rule), source: source, score: score, evidence: ev,
                               why: afterStop ? "the user's correction after stopping a tool" : explicit ? "the user stated it explicitly" : "the user's correction"))
                found += 1
            }
        }
    }

    /// The prompt's lines that were typed: no code fences, no pasted terminal or log output, no
    /// help text. A prompt that is mostly pasted output yields nothing.
    static func typedLines(_ text: String) -> [String] {
        var out: [String] = []
        var inFence = false
        var inBlock = false  // a pasted block runs until the next blank line
        var pasted = 0, total = 0
        for line in TextBytes.lines(text, limit: Int.max) {
            let t = line.trimmingWhitespace()
            if t.isEmpty { inBlock = false; continue }
            total += 1
            if t.hasPrefix("```") { inFence.toggle(); pasted += 1; continue }
            if inFence || inBlock || RuleText.looksPasted(line) || RuleText.looksLikeUsage(line) {
                pasted += 1
                inBlock = true
                continue
            }
            out.append(line)
            // "I get this error:" / "Output:" introduces what follows.
            if t.hasSuffix(":") { inBlock = true }
        }
        if total >= 4 && pasted * 2 > total { return [] }
        return out
    }

    /// Why a sentence is not a rule: a question, a complaint, help text.
    static func notARule(_ sentence: String) -> String? {
        let t = sentence.trimmingWhitespace()
        let w = RuleText.words(t)
        var rest = w
        while let f = rest.first, ["no", "ok", "okay", "so", "and", "but", "also", "hmm", "wait", "actually", "well"].contains(f) { rest.removeFirst() }
        let head = rest.prefix(3).joined(separator: " ")
        if t.hasSuffix("?") || questionStarts.contains(where: { head == $0 || head.hasPrefix($0 + " ") }) { return "a question, not a rule" }
        if RuleText.containsAny(words: w, Self.complaintsWords) { return "a complaint, not a rule" }
        if RuleText.looksLikeUsage(t) { return "help or usage text" }
        return nil
    }

    static func isFollowUp(_ next: String) -> Bool {
        let first = RuleText.words(next).first.map(String.init) ?? ""
        return ["just", "use", "run", "instead", "try", "call", "start", "always", "only", "prefer", "never"].contains(first)
            && !next.hasSuffix("?")
    }

    static let fillers = ["good", "great", "ok", "okay", "thanks", "thank you", "perfect", "nice", "cool", "yes", "right",
                          "alright", "sure", "awesome", "excellent", "no", "nope", "actually", "also", "btw", "and", "but", "so",
                          "hmm", "please"]
    static let leads = ["remember to ", "remember that ", "remember: ", "remember, ", "remember ", "note that ", "please note that ",
                        "fyi: ", "fyi, ", "fyi ", "keep in mind that ", "keep in mind ", "for future reference: ",
                        "for future reference, ", "from now on, ", "from now on ", "going forward, ", "going forward ",
                        "in the future, ", "in future, ", "in the future ", "make sure to ", "make sure that ", "make sure you ",
                        "please ", "you should ", "you must ", "you need to ", "you have to ", "we should ", "we must ",
                        "we need to ", "i want you to ", "i'd like you to ", "i need you to ", "that ", "you "]

    /// The sentence rewritten as a rule: acknowledgements and "remember that" / "you should"
    /// removed, capitalised, ending with a period; nil when what remains is addressed to the
    /// session ("I …", "it …") rather than a rule. `fact` allows a statement ("The staging
    /// database is reset nightly.") for what the user asked to remember.
    static func asRule(_ sentence: String, fact: Bool) -> String? {
        if let rule = asRuleWhole(sentence, fact: fact) { return rule }
        // "complete the commit, always verify and run hooks": the task first, then the rule (only
        // when the whole sentence is no rule: "X must be generated, never written by hand" is one).
        for marker in [", always ", "; always ", ", never ", "; never "] {
            guard let r = sentence.lowercased().range(of: marker) else { continue }
            let offset = sentence.lowercased().distance(from: sentence.lowercased().startIndex, to: r.lowerBound) + 2
            let tail = String(sentence.dropFirst(offset)).trimmingWhitespace()
            return RuleText.words(tail).count >= 3 ? asRuleWhole(tail, fact: fact) : nil
        }
        return nil
    }

    static func asRuleWhole(_ sentence: String, fact: Bool) -> String? {
        var s = sentence.trimmingWhitespace()
        // "… -- e.g. … -- I prefer not to …": an aside about the speaker is not part of the rule.
        for dash in [" -- ", " — "] where s.contains(dash) {
            let segments = s.components(separatedBy: dash)
            let kept = [segments[0]] + segments.dropFirst().filter {
                Set(RuleText.words($0).map(String.init)).isDisjoint(with: ["i", "i'm", "i've", "i'd", "me", "my"])
            }
            s = kept.joined(separator: dash).trimmed(of: " .")
        }
        // "Fix this so that going forward kebab-case H1 is the standard": the rule follows the marker.
        for marker in [" going forward ", " from now on ", " in the future ", " in future "] {
            guard let r = s.lowercased().range(of: marker) else { continue }
            let offset = s.lowercased().distance(from: s.lowercased().startIndex, to: r.upperBound)
            let tail = String(s.dropFirst(offset)).trimmed(of: ", ")
            if RuleText.words(tail).count >= 3 { s = tail }
            break
        }
        var changed = true
        while changed {
            changed = false
            let lower = s.lowercased()
            for f in fillers where lower.hasPrefix(f) {
                let next = lower.dropFirst(f.count).first
                guard next == nil || ".,!;: ".contains(next!) else { continue }
                if next == " " && !["please", "and", "but", "so", "also", "actually", "btw", "no"].contains(f) { continue }
                s = String(s.dropFirst(f.count)).trimmed(of: ".,!;: ")
                changed = true
                break
            }
            if changed { continue }
            for l in leads where s.lowercased().hasPrefix(l) {
                s = String(s.dropFirst(l.count)).trimmingWhitespace()
                changed = true
                break
            }
        }
        guard let firstWord = RuleText.words(s).first.map(String.init), !s.isEmpty else { return nil }
        let w = Set(RuleText.words(s).map(String.init))
        if !w.isDisjoint(with: ["i", "i'm", "i've", "i'd", "me", "my"]) { return nil }
        if ["it", "this", "that", "there", "these", "those", "we", "you", "he", "she", "they"].contains(firstWord) { return nil }
        if !fact && !imperatives.contains(firstWord) {
            // "In the docs, use …" / "When testing, run …": a scope, then the rule.
            let w = RuleText.words(s).map(String.init)
            guard ["in", "for", "when", "on", "with", "before", "after", "inside", "within", "outside"].contains(firstWord),
                  w.prefix(8).dropFirst().contains(where: { imperatives.contains($0) }) else { return nil }
        }
        if let f = s.first { s = f.uppercased() + s.dropFirst() }
        if let l = s.last, !".!".contains(l) { s += "." }
        return s
    }
}
