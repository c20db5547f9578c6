/// Streams a transcript file as typed records. Malformed lines (not JSON, not an object, no
/// `type`) are skipped and counted; only I/O errors throw.
public struct TranscriptReader {
    public struct Stats: Sendable, Equatable {
        public var lines = 0
        public var records = 0
        public var malformedLines = 0
        public var firstMalformedLine: Int?
        public var oversizedLines = 0
        public var unterminatedTail = false
        public var consumedBytes: Int64 = 0
    }

    public let path: String
    public var maxLineBytes: Int

    public init(path: String, maxLineBytes: Int = LineReader.defaultMaxLineBytes) {
        self.path = path
        self.maxLineBytes = maxLineBytes
    }

    /// Calls `body` with each record in file order; `body` returns false to stop.
    @discardableResult
    public func forEachRecord(_ body: (TranscriptRecord) throws -> Bool) throws -> Stats {
        var stats = Stats()
        let lineStats = try LineReader(path: path, maxLineBytes: maxLineBytes).forEachLine { bytes, lineNumber in
            let decoded: TranscriptRecord?
            do {
                decoded = try JSONParser.decodeRecord(bytes, line: lineNumber)
            } catch {
                stats.malformedLines += 1
                if stats.firstMalformedLine == nil { stats.firstMalformedLine = lineNumber }
                return true
            }
            guard let record = decoded else {
                stats.malformedLines += 1
                if stats.firstMalformedLine == nil { stats.firstMalformedLine = lineNumber }
                return true
            }
            stats.records += 1
            return try body(record)
        }
        stats.lines = lineStats.lines
        stats.oversizedLines = lineStats.oversizedLines
        stats.unterminatedTail = lineStats.unterminatedTail
        stats.consumedBytes = lineStats.consumedBytes
        return stats
    }

    /// The first and last timestamps of the file's records as `SessionEvents.read` finds them
    /// (records repeating a `uuid` left out, empty timestamps ignored), from a scan that decodes
    /// nothing else: how `digest` orders sessions without reading them.
    public func timestamps() throws -> (first: String?, last: String?) {
        var head = TranscriptHead()
        try LineReader(path: path, maxLineBytes: maxLineBytes).forEachLine { bytes, _ in
            if let stamp = try? JSONParser.decodeStamp(bytes) { _ = head.observe(uuid: stamp.uuid, timestamp: stamp.timestamp) }
            return true
        }
        return (head.firstTimestamp, head.lastTimestamp)
    }

    /// All records at once (tests and small files).
    public func readAll() throws -> ([TranscriptRecord], Stats) {
        var out: [TranscriptRecord] = []
        let stats = try forEachRecord { out.append($0); return true }
        return (out, stats)
    }
}
