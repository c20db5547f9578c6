import Foundation

/// A learning an external extractor answered, with the digest lines it names as evidence.
public struct ExtractedLearning: Sendable, Equatable {
    public var text: String
    public var evidence: [Learning.Evidence]

    public init(text: String, evidence: [Learning.Evidence] = []) {
        self.text = text
        self.evidence = evidence
    }
}

extension ExternalExtractor {
    /// Runs the extractor over the sessions' digest in parts of at most `digestChars` characters
    /// (whole sessions, newest first; a session larger than a part is cut to it) and merges the
    /// answers, dropping duplicates. `timeout` is the total for all parts. `progress` is told
    /// about each part before it runs.
    public func run(sessions: [SessionEvents], normalize: (String) -> String, redact: (String) -> String,
                    digestChars: Int = ExternalExtractor.defaultDigestChars, environment: Environment,
                    progress: ((_ part: Int, _ parts: Int, _ sessions: Int) -> Void)? = nil) throws -> [ExtractedLearning] {
        let budget = max(digestChars, DigestPages.minimumPageChars)
        let pages = DigestPages(sessions: sessions, pageChars: budget, normalize: normalize, redact: redact)
        let total = pages.totalPages ?? 1
        let deadline = Date().addingTimeInterval(timeout)
        var merged: [ExtractedLearning] = []
        for n in 1...total {
            let page = pages.page(n) { _ in "(the next part is sent in a separate request)" }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                throw ContextSyncError("extractor command timed out after \(Int(timeout)) s in total, "
                    + "\(n - 1) of \(total) parts done: `\(command)` (raise --extractor-timeout or check the command)")
            }
            progress?(n, total, page.sessions.count)
            let answer = try Self.parseAnswer(try output(digest: page.renderedText(), environment: environment, timeout: remaining))
            for learning in answer where !merged.contains(where: { LearningDedupe.isDuplicate($0.text, learning.text) }) {
                merged.append(learning)
            }
        }
        return merged
    }

    /// The extractor's answer: a JSON array of `{"text", "evidence": ["<session>#<n>"]}` (or of
    /// strings; fenced in ``` or not), else markdown bullets or "No new learnings." as before.
    public static func parseAnswer(_ text: String) throws -> [ExtractedLearning] {
        var t = text.trimmingWhitespace()
        if t.hasPrefix("```") {
            t = String(t.drop { $0 != "\n" }.dropFirst())
            if let end = t.range(of: "```", options: .backwards) { t = String(t[..<end.lowerBound]) }
            t = t.trimmingWhitespace()
        }
        if t.hasPrefix("[") || t.hasPrefix("{"), let value = try? JSONParser.parse(Array(t.utf8)) {
            let items = value.array ?? value["learnings"]?.array
            if let items { return items.compactMap(learning) }
        }
        return try parseBullets(text).map { ExtractedLearning(text: $0) }
    }

    static func learning(_ item: JSONValue) -> ExtractedLearning? {
        if let s = item.string?.trimmingWhitespace(), !s.isEmpty { return ExtractedLearning(text: s) }
        guard let text = item["text"]?.string?.trimmingWhitespace(), !text.isEmpty else { return nil }
        let refs = item["evidence"]?.array?.compactMap(\.string) ?? item["evidence"]?.string.map { [$0] } ?? []
        return ExtractedLearning(text: text, evidence: refs.compactMap(evidence))
    }

    /// `<session>#<n>` → evidence; anything else is ignored.
    static func evidence(_ ref: String) -> Learning.Evidence? {
        guard let hash = ref.lastIndex(of: "#") else { return nil }
        let session = ref[..<hash].trimmingCharacters(in: .whitespaces)
        let index = ref[ref.index(after: hash)...].prefix { $0.isNumber }
        guard !session.isEmpty, let n = Int(index) else { return nil }
        return Learning.Evidence(sessionId: String(session), eventIndex: n)
    }
}
