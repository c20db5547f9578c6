import Foundation

/// A compact, ordered rendering of sessions for a reader (a person, the running Claude, or an
/// LLM): one line per event, long outputs cut, machine-made text left out, paths normalised,
/// secrets redacted by the caller's `redact` function. Budgeting is in DigestBudget.swift, paging
/// in DigestPaging.swift.
public struct Digest: Sendable {
    /// How much a line is worth when the budget is tight (higher is kept longer).
    public enum Tier {
        /// Corrections, interrupts, queued prompts, failures, the assistant's explanations,
        /// compaction errors/fixes, hook rules, plan reasons, the action right after a failure.
        public static let evidence = 4
        /// Conclusions, subagent results and instructions, the second action after a failure.
        public static let findings = 3
        /// Commands that worked.
        public static let working = 2
        /// Other assistant text.
        public static let context = 1
        /// Routine: successful file reads/edits/searches, bookkeeping tools, tool-mechanics errors.
        public static let routine = 0
    }

    public struct Line: Sendable {
        /// The session and the event's position in it (evidence for learnings).
        public var sessionId: String
        public var eventIndex: Int
        /// The last event the line stands for (a collapsed run of file operations); = eventIndex otherwise.
        public var lastEventIndex: Int
        public var text: String
        /// The line's informative part, used instead of `text` when the budget is tight.
        public var short: String
        /// A `Tier` value.
        public var priority: Int
        public var isShortened = false

        public init(sessionId: String, eventIndex: Int, lastEventIndex: Int? = nil, text: String, short: String? = nil, priority: Int) {
            self.sessionId = sessionId
            self.eventIndex = eventIndex
            self.lastEventIndex = lastEventIndex ?? eventIndex
            self.text = text
            self.short = short ?? text
            self.priority = priority
        }

        /// `[n] ` or `[a-b] `: the event positions a reader (and `evidence`) refers to.
        public var prefix: String { lastEventIndex > eventIndex ? "[\(eventIndex)-\(lastEventIndex)] " : "[\(eventIndex)] " }
    }

    public struct SessionBlock: Sendable {
        public var header: String
        public var events: SessionEvents
        public var lines: [Line]
        /// True when the budget dropped or shortened some of this session's lines.
        public var isCut = false
    }

    public var sessions: [SessionBlock]
    /// What the budget dropped, for the closing line.
    public var droppedLines = 0
    public var droppedChars = 0
    public var shortenedLines = 0
    /// Sessions left out entirely because even their headers did not fit.
    public var omittedSessions = 0
    /// A closing text (a page footer) rendered last and counted in the budget.
    public var footer = ""

    static let limits = (user: 600, assistant: 300, conclusion: 1500, argument: 120, error: 240, context: 160,
                         subagent: 1000, subagentPrompt: 600, compaction: 3000, hook: 400, document: 600, collapsed: 300)

    /// Builds the digest lines of `sessions` (in the order given). `normalize` makes paths portable,
    /// `redact` removes secrets; both are pure functions, called from several threads at once.
    /// The sessions' lines are built, normalised and redacted in parallel (one session per core at
    /// a time) and kept in the order given: the result is the serial one.
    public init(sessions: [SessionEvents], normalize: (String) -> String, redact: (String) -> String) {
        let built = withoutActuallyEscaping(normalize) { normalize in
            withoutActuallyEscaping(redact) { redact in
                // The two functions are pure (the caller's promise above), so sharing them is safe.
                let normalize = PureFunction(apply: normalize), redact = PureFunction(apply: redact)
                return ConcurrentWork.map(sessions.count) { Self.block(sessions[$0], normalize: normalize.apply, redact: redact.apply) }
            }
        }
        self.init(blocks: built)
    }

    /// A digest of blocks already built (see `block`).
    public init(blocks: [SessionBlock]) {
        self.sessions = blocks
    }

    /// One session's block: its header and its lines, normalised and redacted.
    public static func block(_ session: SessionEvents, normalize: (String) -> String, redact: (String) -> String) -> SessionBlock {
        let lines = DigestLineBuilder(session: session).lines().map { l -> Line in
            var l = l
            let same = l.short == l.text
            l.text = redact(normalize(l.text))
            l.short = same ? l.text : redact(normalize(l.short))
            return l
        }
        return SessionBlock(header: header(session, redact: redact), events: session, lines: lines)
    }

    static func header(_ s: SessionEvents, redact: (String) -> String) -> String {
        var header = "=== Session \(s.sessionId)"
        if let d = s.firstTimestamp?.prefix(10) { header += " · \(d)" }
        if let b = s.branch { header += " · branch \(b)" }
        if let t = s.title { header += " · \"\(redact(Self.cut(Self.oneLine(t), 120)))\"" }
        return header + " ==="
    }

    /// The digest as text, one event per line with `[n]` event positions; runs of events the
    /// budget dropped are marked, and a closing line says what was cut.
    public func renderedText() -> String {
        var out = ""
        for s in sessions {
            out += s.header + "\n"
            var next = 0
            for l in s.lines {
                if l.eventIndex > next { out += Self.droppedMarker(l.eventIndex - next) }
                out += l.prefix + l.text + "\n"
                next = l.lastEventIndex + 1
            }
            if s.events.events.count > next && (s.isCut || droppedLines > 0) { out += Self.droppedMarker(s.events.events.count - next) }
            out += "\n"
        }
        if let note = closingNote { out += note + "\n" }
        out += footer
        return out
    }

    /// The size the budget counts: UTF-16 code units, as Claude Code's tools count characters.
    /// Counted from the UTF-8 bytes (a scalar of four bytes is two code units, any other one):
    /// `text.utf16.count`, without the index tables Swift builds for it on non-ASCII text.
    public static func size(_ text: String) -> Int {
        let counted: Int? = text.utf8.withContiguousStorageIfAvailable { b in
            var n = 0
            for c in b { n &+= (c & 0xC0 != 0x80 ? 1 : 0) &+ (c >= 0xF0 ? 1 : 0) }
            return n
        }
        return counted ?? text.utf16.count
    }

    static func droppedMarker(_ n: Int) -> String { "  … \(n) event\(n == 1 ? "" : "s") dropped\n" }

    var closingNote: String? {
        guard droppedLines > 0 || shortenedLines > 0 || omittedSessions > 0 else { return nil }
        var parts: [String] = []
        if droppedLines > 0 { parts.append("\(droppedLines) lower-value lines dropped (\(droppedChars) characters)") }
        if shortenedLines > 0 { parts.append("\(shortenedLines) long lines shortened") }
        if omittedSessions > 0 { parts.append("\(omittedSessions) session\(omittedSessions == 1 ? "" : "s") left out") }
        return "(digest cut to fit: " + parts.joined(separator: ", ") + ")"
    }

    /// The same events as data.
    public func json() -> JSONValue {
        .array(sessions.map { s in
            var b = JSONObjectBuilder()
            b.set("sessionId", s.events.sessionId)
            b.set("title", s.events.title)
            b.set("branch", s.events.branch)
            b.set("firstTimestamp", s.events.firstTimestamp)
            b.set("lastTimestamp", s.events.lastTimestamp)
            b.set("cut", s.isCut)
            b.set("events", .array(s.lines.map { l in
                var e = JSONObjectBuilder()
                e.set("index", l.eventIndex)
                if l.lastEventIndex > l.eventIndex { e.set("lastIndex", l.lastEventIndex) }
                e.set("line", s.events.events[l.eventIndex].line)
                let kind: String
                switch s.events.events[l.eventIndex].kind {
                case .user: kind = "user"
                case .interrupted: kind = "interrupted"
                case .assistant: kind = "assistant"
                case .queuedPrompt: kind = "queued"
                case .hook: kind = "hook"
                case .tool(let c):
                    kind = l.lastEventIndex > l.eventIndex ? "tools" : "tool"
                    e.set("tool", c.name)
                    switch c.outcome {
                    case .ok?: e.set("outcome", "ok")
                    case .error(let cat, _)?:
                        e.set("outcome", c.isSoftFailure ? "soft-error" : "error")
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

    /// `s` on one line: every run of spaces, tabs, CRs and LFs one space, trimmed. Byte-level
    /// (`TextBytes.collapseWhitespace`), the same result as the character loop.
    static func oneLine(_ s: String) -> String {
        TextBytes.collapseWhitespace(s).trimmingWhitespace()
    }

    /// `oneLine(s)` as far as `cut(_, m)` can tell for every `m <= n`: it stops after n + 2
    /// characters that follow a kept character (so no whitespace trimming or grapheme merging
    /// with what comes later can change them), instead of collapsing the whole text.
    static func oneLine(_ s: String, keeping n: Int) -> String {
        guard n < Int.max - 2 else { return oneLine(s) }
        var out = ""
        var lastSpace = false
        var settled = 0
        for ch in s {
            if ch == "\n" || ch == "\r" || ch == "\t" || ch == " " || ch == "\r\n" {
                if !lastSpace { out.append(" ") }
                lastSpace = true
            } else {
                let afterKept = !lastSpace && !out.isEmpty && !ch.isWhitespace
                out.append(ch)
                lastSpace = false
                if afterKept { settled += 1; if settled >= n + 2 { break } }
            }
        }
        return out.trimmingWhitespace()
    }

    /// `s`, or its first n - 1 characters and `…` when it has more than n (counting at most n + 1).
    static func cut(_ s: String, _ n: Int) -> String {
        TextBytes.hasMoreCharacters(s, than: n) ? TextBytes.prefix(s, n - 1) + "…" : s
    }

    /// The parts of a compaction summary worth keeping: its errors/fixes, decisions and
    /// problem-solving sections whole when present, else the start.
    public static func compactionEssentials(_ summary: String) -> String {
        let sections = CompactionSummary.sections(summary)
        let wanted = sections.filter { CompactionSummary.isEvidenceSection($0.title) }
        if wanted.isEmpty {
            // Without sections: the summary proper, not the boilerplate and analysis before it.
            var t = Substring(summary)
            for marker in ["\nSummary:", "summarized below:"] {
                if let r = t.range(of: marker) { t = t[r.upperBound...]; break }
            }
            return oneLine(String(t))
        }
        return wanted.map { "\($0.title): " + oneLine($0.body) }.joined(separator: " | ")
    }
}
