/// A compact, ordered rendering of sessions for a reader (a person, the running Claude, or an
/// LLM): one line per event, long outputs cut, machine-made text left out, paths normalised,
/// secrets redacted by the caller's `redact` function.
public struct Digest: Sendable {
    public struct Line: Sendable {
        /// The session and the event's position in it (evidence for learnings).
        public var sessionId: String
        public var eventIndex: Int
        public var text: String
        /// 3: prompts, interrupts, errors; 2: what follows an error, compactions, subagent results;
        /// 1: assistant text; 0: successful tool calls.
        public var priority: Int
    }

    public struct SessionBlock: Sendable {
        public var header: String
        public var events: SessionEvents
        public var lines: [Line]
    }

    public var sessions: [SessionBlock]
    /// What `--max-chars` dropped, for the closing line.
    public var droppedLines = 0
    public var droppedChars = 0

    static let limits = (user: 600, assistant: 300, argument: 120, error: 200, subagent: 400, compaction: 1500)

    /// Builds the digest lines of `sessions`. `normalize` makes paths portable, `redact` removes secrets.
    public init(sessions: [SessionEvents], normalize: (String) -> String, redact: (String) -> String) {
        self.sessions = sessions.map { s in
            var lines: [Line] = []
            var afterError = 0
            for (i, e) in s.events.enumerated() {
                var priority: Int
                let text: String
                switch e.kind {
                case .user(let t):
                    text = "USER: " + Self.cut(Self.oneLine(t), Self.limits.user)
                    priority = 3
                case .interrupted(let forTool):
                    text = forTool ? "INTERRUPTED: user stopped the tool call" : "INTERRUPTED: user stopped the assistant"
                    priority = 3
                case .assistant(let t):
                    text = "ASSISTANT: " + Self.cut(Self.oneLine(t), Self.limits.assistant)
                    priority = 1
                case .tool(let call):
                    var t = "TOOL \(call.name)(\(Self.cut(Self.oneLine(call.argument), Self.limits.argument)))"
                    switch call.outcome {
                    case .ok?:
                        t += " -> OK"
                        priority = 0
                        if let r = call.subagentResult, !r.isEmpty {
                            t += "\n  SUBAGENT RESULT: " + Self.cut(Self.oneLine(r), Self.limits.subagent)
                            priority = 2
                        }
                    case .error(let category, let first)?:
                        t += " -> ERROR(\(category.rawValue)): " + Self.cut(first, Self.limits.error)
                        priority = 3
                    case nil:
                        t += " -> (no result)"
                        priority = 0
                    }
                    text = t
                case .compaction(let summary):
                    text = "COMPACTION SUMMARY: " + Self.cut(Self.compactionEssentials(summary), Self.limits.compaction)
                    priority = 2
                }
                if afterError > 0 && priority < 2 { priority = 2 }
                if case .tool(let c) = e.kind, c.outcome?.isError == true { afterError = 2 } else if afterError > 0 { afterError -= 1 }
                lines.append(Line(sessionId: s.sessionId, eventIndex: i, text: redact(normalize(text)), priority: priority))
            }
            var header = "=== Session \(s.sessionId)"
            if let d = s.firstTimestamp?.prefix(10) { header += " · \(d)" }
            if let b = s.branch { header += " · branch \(b)" }
            if let t = s.title { header += " · \"\(redact(t))\"" }
            header += " ==="
            return SessionBlock(header: header, events: s, lines: lines)
        }
    }

    /// Drops the least valuable lines (lowest priority, longest first) until the text fits.
    public mutating func fit(maxChars: Int) {
        var total = renderedText().count
        guard total > maxChars else { return }
        var candidates: [(s: Int, l: Int, priority: Int, length: Int)] = []
        for (si, s) in sessions.enumerated() {
            for (li, l) in s.lines.enumerated() { candidates.append((si, li, l.priority, l.text.count + 1)) }
        }
        candidates.sort { ($0.priority, -$0.length) < ($1.priority, -$1.length) }
        var drop = Set<[Int]>()
        for c in candidates where total > maxChars {
            drop.insert([c.s, c.l])
            total -= c.length
            droppedLines += 1
            droppedChars += c.length
        }
        for si in sessions.indices {
            sessions[si].lines = sessions[si].lines.enumerated().filter { !drop.contains([si, $0.offset]) }.map(\.element)
        }
    }

    /// The digest as text, one event per line, with `[n]` event positions.
    public func renderedText() -> String {
        var out = ""
        for s in sessions {
            out += s.header + "\n"
            var previous = -1
            for l in s.lines {
                if l.eventIndex > previous + 1 && previous >= -1 && !(previous == -1 && l.eventIndex == 0) {
                    let gap = l.eventIndex - previous - 1
                    if gap > 0 && droppedLines > 0 { out += "  … \(gap) event\(gap == 1 ? "" : "s") dropped\n" }
                }
                out += "[\(l.eventIndex)] \(l.text)\n"
                previous = l.eventIndex
            }
            out += "\n"
        }
        if droppedLines > 0 {
            out += "(digest cut to fit: \(droppedLines) lower-value lines dropped, \(droppedChars) characters)\n"
        }
        return out
    }

    /// The same events as data.
    public func json() -> JSONValue {
        .array(sessions.map { s in
            var b = JSONObjectBuilder()
            b.set("sessionId", s.events.sessionId)
            b.set("title", s.events.title)
            b.set("branch", s.events.branch)
            b.set("firstTimestamp", s.events.firstTimestamp)
            b.set("events", .array(s.lines.map { l in
                var e = JSONObjectBuilder()
                e.set("index", l.eventIndex)
                e.set("line", s.events.events[l.eventIndex].line)
                let kind: String
                switch s.events.events[l.eventIndex].kind {
                case .user: kind = "user"
                case .interrupted: kind = "interrupted"
                case .assistant: kind = "assistant"
                case .tool(let c):
                    kind = "tool"
                    e.set("tool", c.name)
                    switch c.outcome {
                    case .ok?: e.set("outcome", "ok")
                    case .error(let cat, _)?:
                        e.set("outcome", "error")
                        e.set("category", cat.rawValue)
                    case nil: e.set("outcome", "none")
                    }
                case .compaction: kind = "compaction"
                }
                e.set("type", kind)
                e.set("priority", l.priority)
                e.set("text", l.text)
                return e.value
            }))
            return b.value
        })
    }

    static func oneLine(_ s: String) -> String {
        var out = ""
        var lastSpace = false
        for ch in s {
            if ch == "\n" || ch == "\r" || ch == "\t" || ch == " " {
                if !lastSpace { out.append(" ") }
                lastSpace = true
            } else {
                out.append(ch)
                lastSpace = false
            }
        }
        return out.trimmingWhitespace()
    }

    static func cut(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    /// The parts of a compaction summary worth keeping: its errors/fixes and problem-solving
    /// sections when present, else the start.
    public static func compactionEssentials(_ summary: String) -> String {
        let sections = CompactionSummary.sections(summary)
        let wanted = sections.filter { CompactionSummary.isLessonSection($0.title) }
        if wanted.isEmpty { return oneLine(summary) }
        return wanted.map { "\($0.title): " + oneLine($0.body) }.joined(separator: " | ")
    }
}

/// Claude Code's compaction summary: "This session is being continued…" followed by numbered
/// sections ("1. Primary Request and Intent:", "4. Errors and fixes:", "5. Problem Solving:" …).
public enum CompactionSummary {
    public struct Section: Sendable, Equatable {
        public var title: String
        public var body: String
    }

    public static func sections(_ text: String) -> [Section] {
        var out: [Section] = []
        var current: Section?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if let title = sectionTitle(line) {
                if let c = current { out.append(c) }
                current = Section(title: title, body: "")
            } else if current != nil {
                current!.body += line + "\n"
            }
        }
        if let c = current { out.append(c) }
        return out
    }

    /// `4. Errors and fixes:` / `## Errors and Fixes` → "Errors and fixes".
    static func sectionTitle(_ line: String) -> String? {
        var s = Substring(line.trimmingWhitespace())
        if s.hasPrefix("#") { s = s.drop { $0 == "#" || $0 == " " } } else {
            let digits = s.prefix { $0.isNumber }
            guard !digits.isEmpty, s.dropFirst(digits.count).hasPrefix(". ") else { return nil }
            s = s.dropFirst(digits.count + 2)
        }
        s = Substring(String(s).replacingOccurrences(of: "**", with: ""))
        guard s.hasSuffix(":") || !line.contains(":") else { return nil }
        let title = s.hasSuffix(":") ? String(s.dropLast()) : String(s)
        guard title.count >= 3, title.count <= 60, title.first?.isUppercase == true else { return nil }
        return title
    }

    public static func isLessonSection(_ title: String) -> Bool {
        let t = title.lowercased()
        return t.contains("error") || t.contains("fix") || t.contains("problem solving") || t.contains("lesson")
            || t.contains("gotcha")
    }
}
