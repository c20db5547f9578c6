import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite struct ParallelDigestTests {
    func fixtureSessions() throws -> [SessionEvents] {
        try TestSupport.allFixtureFiles.filter { !$0.contains("/subagents/") }.prefix(16).map { path in
            let id = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return try SessionEvents.read(path: path, id: id)
        }
    }

    @Test func sessionsBuiltTogetherEqualEachBuiltAlone() throws {
        let sessions = try fixtureSessions()
        #expect(sessions.count >= 8)
        let together = Digest(sessions: sessions, normalize: { $0 }, redact: { $0 })
        #expect(together.sessions.map(\.events.sessionId) == sessions.map(\.sessionId))
        for (i, s) in sessions.enumerated() {
            let alone = Digest(sessions: [s], normalize: { $0 }, redact: { $0 })
            #expect(together.sessions[i].header == alone.sessions[0].header)
            #expect(together.sessions[i].lines.map(\.text) == alone.sessions[0].lines.map(\.text))
            #expect(together.sessions[i].lines.map(\.short) == alone.sessions[0].lines.map(\.short))
        }
    }

    @Test func repeatedBuildsRenderTheSameText() throws {
        let sessions = try fixtureSessions()
        let first = DigestPages(sessions: sessions, pageChars: 40_000, normalize: { $0 }, redact: { $0 })
        for _ in 0..<3 {
            let again = DigestPages(sessions: sessions, pageChars: 40_000, normalize: { $0 }, redact: { $0 })
            #expect(again.totalPages == first.totalPages)
            for n in 1...first.totalPages! {
                #expect(again.page(n, nextCommand: { "next \($0)" }).renderedText() == first.page(n, nextCommand: { "next \($0)" }).renderedText())
            }
        }
    }
}

/// The extractor runs its per-session finders in parallel and replays their finds in order: the
/// result must be the one of the serial loop it replaced (kept here as the reference).
@Suite struct ParallelExtractorTests {
    /// The serial loop: every session's finds go straight into the run's candidates.
    static func serial(_ sessions: [SessionEvents], normalize: (String) -> String, existing: [String]) -> HeuristicExtractor.Result {
        var c = Candidates()
        for s in sessions { HeuristicExtractor.findInSession(s, normalize: normalize, into: &c) }
        HeuristicExtractor().findAcrossSessions(sessions, normalize: normalize, into: &c)
        var r = HeuristicExtractor.select(c.learnings, existing: existing, max: 10, maxPerSession: 5)
        r.dropped = c.dropped + r.dropped
        return r
    }

    @Test func parallelFindsEqualTheSerialLoopOnEveryFixtureSession() throws {
        var sessions: [SessionEvents] = []
        for (i, path) in TranscriptDecodingTests.fixtureFiles.enumerated() where !path.contains("/subagents/") {
            // Distinct ids: several fixtures are called transcript.jsonl.
            sessions.append(try SessionEvents.read(path: path, id: "s\(i)"))
        }
        #expect(sessions.count >= 40)
        let normalize = { (s: String) in s.replacingOccurrences(of: "/home/", with: "~/") }
        // Twice over (the same failure → fix in two sessions merges, scores add up), in two orders.
        for batch in [sessions + sessions.map { var s = $0; s.sessionId += "-again"; return s }, sessions.reversed()] {
            let want = Self.serial(batch, normalize: normalize, existing: [])
            let got = HeuristicExtractor().extract(batch, normalize: normalize)
            #expect(got.kept == want.kept)
            #expect(got.dropped == want.dropped)
            #expect(!want.kept.isEmpty && want.dropped.count > 20)
        }
    }
}

@Suite struct DuplicateSessionIdTests {
    /// One id on two transcripts (a file copied between project folders) is read, not a crash.
    @Test func twoSessionsWithOneIdAreExtractedWithoutACrash() throws {
        let path = try #require(TestSupport.allFixtureFiles.first { !$0.contains("/subagents/") })
        let s = try SessionEvents.read(path: path, id: "same")
        let twice = HeuristicExtractor().extract([s, s], normalize: { $0 })
        let once = HeuristicExtractor().extract([s], normalize: { $0 })
        // (A rule the hooks gave "twice" counts the copy: that is the data, not the crash.)
        #expect(Set(once.kept.map(\.text)).isSubset(of: twice.kept.map(\.text)))
        #expect(!twice.dropped.isEmpty)
    }
}
