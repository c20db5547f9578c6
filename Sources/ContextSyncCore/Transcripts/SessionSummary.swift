/// What one pass over a session transcript tells about it.
public struct SessionSummary: Sendable, Equatable {
    /// The file name without `.jsonl` (normally the session UUID).
    public var id: String
    /// `sessionId` written inside the file, when it differs from the file name (resume/fork).
    public var innerSessionId: String?
    /// The launch directory: the first `cwd` in the file.
    public var cwd: String?
    public var branch: String?
    public var version: String?
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var title: String?
    public var humanPrompts = 0
    public var toolCalls = 0
    public var toolErrors = 0
    public var interrupts = 0
    public var compactions = 0
    public var records = 0
    public var malformedLines = 0
    /// The first record is a sidechain (a subagent file written at the top level).
    public var isSidechainFile = false

    public init(id: String) {
        self.id = id
    }

    /// The scanner's redaction (no allowlist: a title is never committed, so redacting an
    /// allowlisted value in it costs nothing).
    static let redactor = SecretScanner()

    /// Reads the whole transcript once, deduplicating records by `uuid` and tool results by id.
    public static func read(path: String, id: String) throws -> SessionSummary {
        var s = SessionSummary(id: id)
        var head = TranscriptHead()
        var seenToolUses = Set<String>()
        var seenToolResults = Set<String>()
        var first = true
        let stats = try TranscriptReader(path: path).forEachRecord { r in
            if first {
                s.isSidechainFile = r.isSidechain
                first = false
            }
            guard head.observe(r) else { return true }
            if let v = r.version, !v.isEmpty { s.version = v }
            if let sid = r.sessionId, sid != id, s.innerSessionId == nil { s.innerSessionId = sid }
            switch r.kind {
            case .system: if r.isCompactBoundary { s.compactions += 1 }
            case .user:
                if r.isSidechain { break }
                if r.isInterrupt { s.interrupts += 1 } else if r.humanPromptText != nil { s.humanPrompts += 1 }
                for block in r.message?.content ?? [] {
                    if case .toolResult(let id, _, let isError) = block, isError, seenToolResults.insert(id).inserted {
                        s.toolErrors += 1
                    }
                }
            case .assistant:
                if r.isSidechain { break }
                for block in r.message?.content ?? [] {
                    if case .toolUse(let id, _, _) = block, seenToolUses.insert(id).inserted { s.toolCalls += 1 }
                }
            default: break
            }
            return true
        }
        s.cwd = head.cwd
        s.firstTimestamp = head.firstTimestamp
        s.lastTimestamp = head.lastTimestamp
        // Titles and branch names are shown by `sessions` (text and JSON) and kept in the cache:
        // secrets in them are redacted here, once, before they reach any of those.
        s.title = head.title.map(Self.redactor.redact)
        s.branch = head.branch.map(Self.redactor.redact)
        s.records = stats.records
        s.malformedLines = stats.malformedLines
        return s
    }

    /// The launch `cwd` and the first record's sidechain flag, reading only as far as needed
    /// (usually the first few lines), in small chunks.
    public static func readHead(path: String, maxLines: Int = 200) throws -> (cwd: String?, sessionId: String?, isSidechain: Bool) {
        var cwd: String?
        var sessionId: String?
        var sidechain = false
        var first = true
        var seen = 0
        let reader = LineReader(path: path, chunkSize: 16 << 10)
        try reader.forEachLine { bytes, _ in
            seen += 1
            guard let r = try? JSONParser.decodeRecord(bytes, line: seen) else {
                return seen < maxLines
            }
            if first {
                sidechain = r.isSidechain
                first = false
            }
            if sessionId == nil { sessionId = r.sessionId }
            if let c = r.cwd, !c.isEmpty {
                cwd = c
                return false
            }
            return seen < maxLines
        }
        return (cwd, sessionId, sidechain)
    }
}

/// What every reader of a transcript agrees on: records deduplicated by `uuid`, the launch
/// directory (first `cwd`), the branch (last non-sidechain `gitBranch`), the earliest and latest
/// timestamps, and the title (custom, else AI-written, else the old `summary` record).
struct TranscriptHead {
    var seen = Set<String>()
    var cwd: String?
    var branch: String?
    var firstTimestamp: String?
    var lastTimestamp: String?
    var customTitle: String?, aiTitle: String?, summaryTitle: String?

    var title: String? { customTitle ?? aiTitle ?? summaryTitle.flatMap { Self.isErrorText($0) ? nil : $0 } }

    /// Old `summary` records sometimes hold the API error the session ended on, not a title.
    static func isErrorText(_ s: String) -> Bool {
        s.hasPrefix("API Error") || s.hasPrefix("Invalid API key") || s.hasPrefix("Please run /login")
    }

    /// A record's `uuid` and `timestamp` (all `TranscriptReader.timestamps()` reads); false when
    /// it repeats one already seen (same `uuid`).
    mutating func observe(uuid: String?, timestamp: String?) -> Bool {
        if let u = uuid, !seen.insert(u).inserted { return false }
        if let t = timestamp, !t.isEmpty {
            if firstTimestamp == nil || t < firstTimestamp! { firstTimestamp = t }
            if lastTimestamp == nil || t > lastTimestamp! { lastTimestamp = t }
        }
        return true
    }

    /// Takes in a record; false when it repeats one already seen (same `uuid`).
    mutating func observe(_ r: TranscriptRecord) -> Bool {
        guard observe(uuid: r.uuid, timestamp: r.timestamp) else { return false }
        if cwd == nil, let c = r.cwd, !c.isEmpty { cwd = c }
        if let b = r.gitBranch, !b.isEmpty, !r.isSidechain { branch = b }
        switch r.kind {
        case .customTitle: customTitle = r.title ?? customTitle
        case .aiTitle: aiTitle = r.title ?? aiTitle
        case .summary: summaryTitle = r.title ?? summaryTitle
        default: break
        }
        return true
    }
}
