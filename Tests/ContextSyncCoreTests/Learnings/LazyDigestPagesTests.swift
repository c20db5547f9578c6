import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// `digest` orders sessions by a timestamp-only scan and builds only the sessions the pages
/// asked for need: the scan must find what a full read finds, and lazy pages must be the pages
/// of the whole digest.
@Suite struct LazyDigestPagesTests {
    static let shared = TestSupport.packageRoot + "/../shared/fixtures/claude-transcripts"

    static func transcripts(under root: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let p = e.nextObject() as? String { if p.hasSuffix(".jsonl") { files.append(root + "/" + p) } }
        return files.sorted()
    }

    static func checkScan(_ path: String) throws {
        let full = try SessionEvents.read(path: path, id: "x")
        let scan = try TranscriptReader(path: path).timestamps()
        #expect(scan.first == full.firstTimestamp, "\(path)")
        #expect(scan.last == full.lastTimestamp, "\(path)")
    }

    @Test func theTimestampScanFindsWhatAFullReadFinds() throws {
        var files = Self.transcripts(under: TestSupport.fixtures)
        files += Self.transcripts(under: Self.shared)
        #expect(files.count > 40)
        for path in files { try Self.checkScan(path) }
    }

    @Test func theScanSeesTheSameRecordsOnOddLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stamps-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let lines = [
            #"{"type":"user","uuid":"a","timestamp":"2026-01-02T00:00:00Z","message":{"role":"user","content":"hi"}}"#,
            #"{"type":"user","uuid":"a","timestamp":"2027-01-01T00:00:00Z","message":{"role":"user","content":"repeat of a"}}"#,
            #"{"type":"user","uuid":"b","timestamp":"2029-01-01T00:00:00Z","message":{"content":"x"}"#,  // truncated
            #"{"uuid":"c","timestamp":"2030-01-01T00:00:00Z"}"#,                                       // no type
            #"{"type":1,"uuid":"d","timestamp":"2031-01-01T00:00:00Z"}"#,                              // type not a string
            #"{"type":"x","type":2,"uuid":"e","timestamp":"2032-01-01T00:00:00Z"}"#,                   // last type wins
            #"{"type":"user","uuid":"f","timestamp":"2033-01-01T00:00:00Z","data":"#+deep+"}",         // too deep
            #"{"type":"user","uuid":"g","timestamp":"2034-01-01T00:00:00Z","message":"bad \x escape"}"#,
            #"{"type":"user","uuid":"h","timestamp":""}"#,
            #"{"type":"system","timestamp":"2025-06-01T00:00:00Z","timestamp":"2025-05-01T00:00:00Z"}"#,
            #"["type","user"]"#, "not json", "",
            #"{"type":"assistant","uuid":"i","timestamp":"2026-03-01T00:00:00Z","message":{"content":[{"type":"text","text":"\u00e9 \ud83d\ude00"}]}}"#,
        ]
        let path = dir + "/s.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try Self.checkScan(path)
        let scan = try TranscriptReader(path: path).timestamps()
        #expect(scan.first == "2025-05-01T00:00:00Z" && scan.last == "2026-03-01T00:00:00Z")
    }

    func fixtureSessions() throws -> [SessionEvents] {
        try TestSupport.allFixtureFiles.filter { !$0.contains("/subagents/") }.prefix(16).map { path in
            let id = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return try SessionEvents.read(path: path, id: id)
        }
    }

    final class Counter: @unchecked Sendable {
        var built: [Int] = []
    }

    @Test func lazyPagesAreThePagesOfTheWholeDigestAndBuildOnlyWhatTheyNeed() throws {
        let sessions = try fixtureSessions()
        let eager = DigestPages(sessions: sessions, pageChars: 25_000, normalize: { $0 }, redact: { $0 })
        let total = try #require(eager.totalPages)
        #expect(total >= 4)
        let order = DigestPages.newestFirst(sessions.map { $0.lastTimestamp ?? $0.firstTimestamp })
        let ordered = order.map { sessions[$0] }
        let counter = Counter()
        var lazy = DigestPages(count: ordered.count, pageChars: 25_000) { positions in
            counter.built += positions
            return positions.map { Digest.block(ordered[$0], normalize: { $0 }, redact: { $0 }) }
        }
        let resolved = lazy.resolve(page: 1)
        #expect(resolved)
        // Page 1 and the session that starts page 2, at most one batch more: not the rest.
        #expect(counter.built.count < ordered.count)
        #expect(lazy.totalPages == nil)
        let first = lazy.page(1) { "next \($0)" }
        #expect(DigestPages.shownSessionIds(first) == DigestPages.shownSessionIds(eager.page(1) { "next \($0)" }))
        #expect(first.footer.hasPrefix("--- page 1 · session"))
        #expect(first.footer.contains("--- next page: next 2\n"))
        #expect(lazy.hasSessions(after: 1))
        // Every page, once all are known, is the eager page to the character.
        let beyond = lazy.resolve(page: total + 1)
        #expect(!beyond)
        #expect(lazy.totalPages == total)
        #expect(counter.built == Array(0..<ordered.count), "each session built once, in order")
        for n in 1...total {
            #expect(lazy.page(n) { "next \($0)" }.renderedText() == eager.page(n) { "next \($0)" }.renderedText())
        }
        #expect(!lazy.hasSessions(after: total))
    }

    /// However many sessions a batch builds (one per core), packing stops where the page closes:
    /// what a page says does not depend on the machine.
    @Test func pagesDoNotDependOnTheBatchSize() throws {
        let sessions = try fixtureSessions()
        let order = DigestPages.newestFirst(sessions.map { $0.lastTimestamp ?? $0.firstTimestamp })
        let ordered = order.map { sessions[$0] }
        var seen: [(String, Int?, Int)] = []
        for batch in [1, 2, 3, 64] {
            var pages = DigestPages(count: ordered.count, pageChars: 25_000, firstBatch: batch) { positions in
                positions.map { Digest.block(ordered[$0], normalize: { $0 }, redact: { $0 }) }
            }
            pages.resolve(page: 2)
            seen.append((pages.page(2) { "next \($0)" }.renderedText(), pages.totalPages, pages.packedCount))
        }
        #expect(seen.allSatisfy { $0.0 == seen[0].0 && $0.1 == seen[0].1 && $0.2 == seen[0].2 })
        #expect(seen[0].1 == nil && seen[0].2 < ordered.count)
    }

    /// A transcript gone between the scan and its read: a warning, an empty session, and not
    /// recorded as shown.
    @Test func aSessionThatCannotBeReadIsSaidAndNotMarked() throws {
        let s = try DiscoveryTests.Sandbox()
        let kept = s.session("kept", cwd: s.repo)
        let gone = s.session("gone", cwd: s.repo)
        _ = kept
        let report = try s.report()
        var digest = ProjectDigestPages(report: report, home: s.dir + "/home", pageChars: 25_000, redact: { $0 })
        #expect(digest.pages.sessionCount == 2)
        try FileManager.default.removeItem(atPath: gone)
        let resolved = digest.pages.resolve(page: 1)
        #expect(resolved)
        let page = digest.pages.page(1) { "next \($0)" }
        let shown = Set(DigestPages.shownSessionIds(page))
        #expect(shown == ["kept", "gone"])
        #expect(digest.warnings.count == 1 && digest.warnings[0].contains("gone.jsonl"))
        #expect(digest.marks(for: shown).map(\.id) == ["kept"])
    }

    @Test func noSessionsMakeOneEmptyLastPage() {
        var pages = DigestPages(count: 0, pageChars: 5_000) { _ in Issue.record("nothing to build"); return [] }
        let one = pages.resolve(page: 1), two = pages.resolve(page: 2)
        #expect(one && !two)
        #expect(pages.totalPages == 1)
        #expect(pages.page(1) { "next \($0)" }.footer == "--- page 1 of 1\n")
    }
}
