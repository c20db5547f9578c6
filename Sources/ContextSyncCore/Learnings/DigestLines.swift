import Foundation

/// Turns one session's events into digest lines with their tier and their short form: evidence
/// first, runs of successful file operations collapsed into one line, the closing message of a
/// task kept longer than other assistant text.
struct DigestLineBuilder {
    typealias Line = Digest.Line
    let session: SessionEvents
    let repeats: Set<Int>

    init(session: SessionEvents) {
        self.session = session
        self.repeats = Self.repeatedCommands(session)
    }
    var limits: (user: Int, assistant: Int, conclusion: Int, argument: Int, error: Int, context: Int, subagent: Int,
                 subagentPrompt: Int, compaction: Int, hook: Int, document: Int, collapsed: Int) { Digest.limits }

    /// Tools whose successful calls are routine file work, collapsed when consecutive.
    static let fileTools: Set<String> = ["Read", "Grep", "Glob", "Edit", "Write", "MultiEdit", "LS", "NotebookEdit", "NotebookRead"]
    /// Bookkeeping tools whose success says nothing about the project.
    static let bookkeepingTools: Set<String> = ["TodoWrite", "TaskCreate", "TaskUpdate", "TaskList", "TaskGet", "ToolSearch",
                                                "ExitPlanMode", "EnterPlanMode", "ScheduleWakeup", "Monitor", "KillBash", "TaskStop"]

    func lines() -> [Line] {
        let events = session.events
        let conclusions = Self.conclusionIndexes(events)
        var out: [Line] = []
        var run: [Int] = []
        var sinceFailure = Int.max
        var previousWasTool = false

        func flush() {
            guard !run.isEmpty else { return }
            if run.count == 1 {
                out.append(single(run[0], sinceFailure: Int.max))
            } else {
                out.append(collapsed(run))
            }
            run = []
        }

        for (i, e) in events.enumerated() {
            if case .tool(let c) = e.kind, c.outcome == .ok, Self.fileTools.contains(c.name), c.documentExcerpt == nil,
               sinceFailure > 2 {
                run.append(i)
                previousWasTool = true
                continue
            }
            flush()
            var line = single(i, sinceFailure: sinceFailure, conclusion: conclusions.contains(i), afterTool: previousWasTool)
            if case .tool(let c) = e.kind, c.outcome?.isError == true, Self.failureMatters(c) {
                sinceFailure = 0
            } else if sinceFailure < Int.max {
                sinceFailure += 1
                if sinceFailure > 2 { sinceFailure = Int.max }
            }
            if sinceFailure == 1 { line.priority = max(line.priority, Digest.Tier.evidence) }
            if sinceFailure == 2 { line.priority = max(line.priority, Digest.Tier.findings) }
            out.append(line)
            if case .tool = e.kind { previousWasTool = true } else { previousWasTool = false }
        }
        flush()
        return out
    }

    static func failureMatters(_ c: SessionEvent.ToolCall) -> Bool {
        if case .error(let cat, _)? = c.outcome { return cat != .toolMechanics }
        return false
    }

    /// The last assistant text of each turn (before the next human prompt or the end) when the
    /// turn did some work: where the findings of a task are stated.
    static func conclusionIndexes(_ events: [SessionEvent]) -> Set<Int> {
        var out = Set<Int>()
        var lastText: Int?
        var worked = false
        for (i, e) in events.enumerated() {
            switch e.kind {
            case .assistant: lastText = i
            case .tool: worked = true; lastText = nil
            case .user, .queuedPrompt:
                if let t = lastText, worked { out.insert(t) }
                lastText = nil
                worked = false
            default: break
            }
        }
        if let t = lastText, worked { out.insert(t) }
        return out
    }

    func single(_ i: Int, sinceFailure: Int, conclusion: Bool = false, afterTool: Bool = false) -> Line {
        let e = session.events[i]
        let id = session.sessionId
        switch e.kind {
        case .user(let t):
            if let skill = DigestText.skillExpansion(t) {
                let one = Digest.oneLine(skill.body, keeping: max(limits.user, 300))
                return Line(sessionId: id, eventIndex: i, text: "SKILL TEXT (\(skill.name)): " + Digest.cut(one, limits.user),
                            short: "SKILL TEXT (\(skill.name)): " + Digest.cut(one, 300), priority: Digest.Tier.findings)
            }
            let one = Digest.oneLine(t, keeping: max(limits.user, 300))
            return Line(sessionId: id, eventIndex: i, text: "USER: " + Digest.cut(one, limits.user),
                        short: "USER: " + Digest.cut(one, 300), priority: Digest.Tier.evidence)
        case .queuedPrompt(let t):
            let one = Digest.oneLine(t, keeping: max(limits.user, 300))
            return Line(sessionId: id, eventIndex: i, text: "USER (typed while Claude worked): " + Digest.cut(one, limits.user),
                        short: "USER (typed while Claude worked): " + Digest.cut(one, 300), priority: Digest.Tier.evidence)
        case .interrupted(let forTool):
            return Line(sessionId: id, eventIndex: i,
                        text: forTool ? "INTERRUPTED: user stopped the tool call" : "INTERRUPTED: user stopped the assistant",
                        priority: Digest.Tier.evidence)
        case .hook(let t):
            let one = Digest.oneLine(t, keeping: max(limits.hook, 200))
            return Line(sessionId: id, eventIndex: i, text: "HOOK: " + Digest.cut(one, limits.hook),
                        short: "HOOK: " + Digest.cut(one, 200), priority: Digest.Tier.evidence)
        case .compaction(let summary):
            let essentials = Digest.compactionEssentials(summary)
            return Line(sessionId: id, eventIndex: i, text: "COMPACTION SUMMARY: " + Digest.cut(essentials, limits.compaction),
                        short: "COMPACTION SUMMARY: " + Digest.cut(essentials, 1000), priority: Digest.Tier.evidence)
        case .assistant(let t):
            return assistant(t, index: i, conclusion: conclusion, explanatoryContext: afterTool || sinceFailure <= 2)
        case .tool(let c):
            return tool(c, index: i, repeated: repeats.contains(i))
        }
    }

    func assistant(_ t: String, index i: Int, conclusion: Bool, explanatoryContext: Bool) -> Line {
        let one = Digest.oneLine(t)
        let explaining = explanatoryContext ? DigestText.explanatorySentences(one) : []
        let limit = conclusion ? limits.conclusion : limits.assistant
        var text = "ASSISTANT: " + Digest.cut(one, limit)
        var short: String
        if !explaining.isEmpty {
            short = "ASSISTANT: " + Digest.cut(explaining.joined(separator: " "), 300)
            // Explanations past the cut are the part worth reading: show them rather than the start.
            if one.count > limit { text = "ASSISTANT: " + Digest.cut(explaining.joined(separator: " … "), limit) }
        } else {
            short = "ASSISTANT: " + Digest.cut(DigestText.firstSentence(one), 160)
        }
        if Digest.size(short) > Digest.size(text) { short = text }
        let tier = !explaining.isEmpty ? Digest.Tier.evidence : conclusion ? Digest.Tier.findings : Digest.Tier.context
        return Line(sessionId: session.sessionId, eventIndex: i, text: text, short: short, priority: tier)
    }

    /// Successful shell commands already seen earlier in the session (the repeats are routine).
    static func repeatedCommands(_ session: SessionEvents) -> Set<Int> {
        var seen = Set<String>(), out = Set<Int>()
        for (i, e) in session.events.enumerated() {
            guard case .tool(let c) = e.kind, c.isBash, c.outcome == .ok else { continue }
            if !seen.insert(c.argument).inserted { out.insert(i) }
        }
        return out
    }

    func tool(_ c: SessionEvent.ToolCall, index i: Int, repeated: Bool = false) -> Line {
        let arg = Digest.oneLine(c.argument)
        let head = "TOOL \(c.name)(\(Digest.cut(arg, limits.argument)))"
        let shortHead = "TOOL \(c.name)(\(Digest.cut(arg, 80)))"
        var tier: Int
        var tail = "", shortTail = ""
        switch c.outcome {
        case .ok?:
            tail = " -> OK"
            tier = c.isBash && !DigestText.isRoutineCommand(c.argument) && !repeated
                ? (DigestText.isProjectCommand(c.argument) ? Digest.Tier.findings : Digest.Tier.working) : Digest.Tier.routine
            if c.isSubagent || c.name == "TaskOutput" { tier = Digest.Tier.findings }
        case .error(let category, let first)?:
            if category == .userRejected {
                let reason = c.rejectionReason.map { Digest.oneLine($0) } ?? ""
                tail = reason.isEmpty ? " -> REJECTED by the user" : " -> REJECTED by the user, who said: " + Digest.cut(reason, limits.user)
                shortTail = reason.isEmpty ? tail : " -> REJECTED by the user, who said: " + Digest.cut(reason, 300)
                tier = Digest.Tier.evidence
            } else {
                let label = c.isSoftFailure ? "FAILED (exit 0\(c.hidesStatus ? ", status hidden" : ""))" : "ERROR"
                let error = Digest.oneLine(first)
                tail = " -> \(label)(\(category.rawValue)): " + Digest.cut(error, limits.error)
                shortTail = " -> \(label)(\(category.rawValue)): " + Digest.cut(error, limits.context)
                if let ctx = c.errorContext, !ctx.isEmpty { tail += " | " + Digest.cut(Digest.oneLine(ctx), limits.context) }
                tier = category == .toolMechanics ? Digest.Tier.routine : Digest.Tier.evidence
            }
        case nil:
            tail = " -> (no result)"
            tier = Digest.Tier.routine
        }
        if shortTail.isEmpty { shortTail = tail }
        if Self.bookkeepingTools.contains(c.name) && c.outcome?.isError != true { tier = Digest.Tier.routine }
        if let p = c.subagentPrompt, !p.isEmpty, Digest.oneLine(p) != arg {
            let instructions = DigestText.instructions(p)
            tail += "\n  SUBAGENT PROMPT: " + Digest.cut(instructions, limits.subagentPrompt)
            shortTail += "\n  SUBAGENT PROMPT: " + Digest.cut(instructions, 200)
        }
        if !c.subagentFailures.isEmpty {
            let joined = Digest.oneLine(c.subagentFailures.joined(separator: " · "))
            tail += "\n  SUBAGENT FAILURES: " + Digest.cut(joined, limits.subagentPrompt)
            shortTail += "\n  SUBAGENT FAILURES: " + Digest.cut(joined, 200)
            tier = max(tier, Digest.Tier.evidence)
        }
        if let r = c.subagentResult, !r.isEmpty {
            let one = Digest.oneLine(r)
            tail += "\n  SUBAGENT RESULT: " + Digest.cut(one, limits.subagent)
            shortTail += "\n  SUBAGENT RESULT: " + Digest.cut(one, 300)
            tier = max(tier, Digest.Tier.findings)
        }
        if let d = c.documentExcerpt, !d.isEmpty {
            let document = Digest.oneLine(d)
            tail += "\n  DOCUMENT: " + Digest.cut(document, limits.document)
            shortTail += "\n  DOCUMENT: " + Digest.cut(document, 300)
            tier = Digest.Tier.evidence
        }
        return Line(sessionId: session.sessionId, eventIndex: i, text: head + tail, short: shortHead + shortTail, priority: tier)
    }

    /// One line for a run of successful file operations: `FILES OK: Read a.swift, b.swift · Edit c.swift`.
    func collapsed(_ run: [Int]) -> Line {
        var groups: [(name: String, args: [String])] = []
        for i in run {
            guard case .tool(let c) = session.events[i].kind else { continue }
            let arg = Digest.cut(Digest.oneLine(c.argument), 80)
            if let g = groups.indices.last, groups[g].name == c.name {
                if !groups[g].args.contains(arg) { groups[g].args.append(arg) }
            } else {
                groups.append((c.name, [arg]))
            }
        }
        let text = "FILES OK: " + groups.map { "\($0.name) " + $0.args.joined(separator: ", ") }.joined(separator: " · ")
        let names = Dictionary(grouping: groups, by: \.name).map { "\($0.key) ×\($0.value.reduce(0) { $0 + $1.args.count })" }.sorted()
        return Line(sessionId: session.sessionId, eventIndex: run[0], lastEventIndex: run[run.count - 1],
                    text: Digest.cut(text, limits.collapsed), short: "FILES OK: " + names.joined(separator: ", "),
                    priority: Digest.Tier.routine)
    }
}

/// Sentence-level helpers for the digest's short forms.
enum DigestText {
    /// Phrases with which an assistant explains what it found (a cause, a constraint, a pattern).
    static let explanatoryMarkers = [
        "because", "the pattern is", "already handles", "already does", "root cause", "turns out", "the issue is",
        "the problem is", "the problem was", "the issue was", "the reason", "that's why", "this is why", "is caused by",
        "caused by", "which means", "this means", "doesn't support", "does not support", "isn't supported",
        "not supported", "requires", "must be", "needs to be", "only works", "the fix is", "the fix was", "instead of",
        "expects", "the convention", "is configured", "is defined in", "lives in", "is handled by", "so that",
        "the culprit", "the bug", "found it", "i see —", "i see -", "i see the", "the key insight", "important:",
        "note:", "gotcha", "works only", "won't work", "doesn't work", "does not work", "failed because",
        "that confirms", "confirmed:", "the real cause", "actually", "correct myself", "walk back", "i was wrong",
        "isn't a ", "is not a ", "not the ", "the trick", "workaround",
    ]

    /// Shell commands that only look (list, print, search, status): routine even when they work.
    static func isRoutineCommand(_ command: String) -> Bool {
        var c = Substring(command.trimmingWhitespace())
        while c.hasPrefix("cd "), let r = c.range(of: "&&") { c = c[r.upperBound...].drop { $0 == " " } }
        // The first two words (split stops there: a long script is not copied).
        let words = c.split(separator: " ", maxSplits: 2)
        guard let first = words.first.map(String.init) else { return true }
        if lookingCommands.contains(first) { return true }
        if first == "sed", words.count > 1, words[1] == "-n" { return true }
        if first == "git", words.count > 1 { return gitLookingCommands.contains(String(words[1])) }
        return false
    }

    static let lookingCommands: Set<String> = ["ls", "cat", "head", "tail", "grep", "rg", "find", "wc", "echo", "pwd", "which", "mkdir",
                                               "sleep", "file", "stat", "tree", "du", "df", "awk", "sort", "uniq", "date", "whoami", "type", "command"]
    static let gitLookingCommands: Set<String> = ["status", "log", "diff", "show", "branch", "rev-parse", "remote", "add", "fetch", "stash", "ls-files", "blame"]

    /// Build, test, lint, install and run commands of the usual toolchains: the first time one
    /// works it is a finding (how to build or test this project).
    static func isProjectCommand(_ command: String) -> Bool {
        var c = Substring(command.trimmingWhitespace())
        while c.hasPrefix("cd "), let r = c.range(of: "&&") { c = c[r.upperBound...].drop { $0 == " " } }
        while let f = c.split(separator: " ", maxSplits: 1).first, f.contains("=") && !f.hasPrefix("-") { c = c.dropFirst(f.count).drop { $0 == " " } }
        guard let first = c.split(separator: " ", maxSplits: 1).first.map(String.init) else { return false }
        return projectTools.contains(first) || first.hasPrefix("./") || first.hasPrefix("scripts/") || first.hasPrefix("bin/")
    }

    static let projectTools: Set<String> = ["uv", "uvx", "pip", "pip3", "poetry", "pytest", "tox", "nox", "ruff", "mypy", "npm", "pnpm", "yarn",
                                            "npx", "bun", "deno", "node", "cargo", "rustup", "go", "make", "cmake", "ninja", "mix", "elixir",
                                            "dotnet", "msbuild", "swift", "xcodebuild", "gradle", "./gradlew", "mvn", "bundle", "rake",
                                            "rails", "docker", "docker-compose", "kubectl", "terraform", "just", "bazel", "python", "python3",
                                            "php", "composer", "gh"]

    /// A user "prompt" that is the text of a skill Claude Code expanded (not typed by a person):
    /// the skill's name and its text without the header line.
    static func skillExpansion(_ text: String) -> (name: String, body: String)? {
        let prefix = "Base directory for this skill:"
        guard text.hasPrefix(prefix) else { return nil }
        let firstLine = text.prefix { $0 != "\n" }
        let dir = String(firstLine.dropFirst(prefix.count)).trimmingWhitespace()
        let name = (dir.replacingOccurrences(of: "\\", with: "/") as NSString).lastPathComponent
        return (name, String(text.dropFirst(firstLine.count)))
    }

    /// Split after `.`, `!`, `?` or `:` followed by a space (byte-level: `TextBytes.sentences`).
    static func sentences(_ s: String) -> [String] { TextBytes.sentences(s) }

    /// The explanatory markers as bytes. A marker that is not ASCII ("i see —") is probed by
    /// its ASCII start and then confirmed as `ByteSearch` confirms any non-ASCII needle.
    static let markerProbes: [(needle: ByteSearch.Needle, ascii: Bool)] = explanatoryMarkers.map { m in
        let ascii = m.utf8.allSatisfy { $0 < 0x80 }
        return (ByteSearch.Needle(ascii ? m : String(decoding: m.utf8.prefix { $0 < 0x80 }, as: UTF8.self)), ascii)
    }

    /// The sentences that explain (see `explanatoryMarkers`), in order.
    static func explanatorySentences(_ s: String) -> [String] {
        sentences(s).filter { sentence in
            sentence.utf8.count >= 20 && hasExplanatoryMarker(TextBytes.lowercasedForMatching(sentence)) && sentence.count >= 20
        }
    }

    /// True when the lower-cased sentence holds one of `explanatoryMarkers`.
    static func hasExplanatoryMarker(_ lower: String) -> Bool {
        var bytes = lower
        var confirm: [Int] = []
        let found = bytes.withUTF8 { h -> Bool in
            for (k, probe) in markerProbes.enumerated() where probe.needle.offset(in: h) != nil {
                if probe.ascii { return true } else { confirm.append(k) }
            }
            return false
        }
        return found || confirm.contains { ByteSearch.contains(lower, explanatoryMarkers[$0]) }
    }

    static func firstSentence(_ s: String) -> String { TextBytes.sentences(s, limit: 1).first ?? s }

    /// The instructions of a subagent prompt: lines with a command, a path or an imperative,
    /// joined; the start of the prompt when none stands out.
    static func instructions(_ prompt: String) -> String {
        let lines = TextBytes.lines(prompt, limit: Int.max).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        let telling = lines.filter { l in
            let lower = TextBytes.lowercasedForMatching(l)
            return ByteSearch.contains(l, "`") || ByteSearch.contains(l, "/") || lower.hasPrefix("run ") || lower.hasPrefix("do not")
                || lower.hasPrefix("don't") || lower.hasPrefix("never") || lower.hasPrefix("always") || lower.hasPrefix("use ")
                || ByteSearch.contains(lower, "must") || lower.hasPrefix("- ") || lower.hasPrefix("check ")
        }
        let chosen = telling.isEmpty ? lines : Array(lines.prefix(1)) + telling.filter { $0 != lines.first }
        return Digest.oneLine(chosen.joined(separator: " · "))
    }
}
