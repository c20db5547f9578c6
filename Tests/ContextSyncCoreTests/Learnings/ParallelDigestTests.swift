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
            #expect(again.count == first.count)
            for n in 1...first.count {
                #expect(again.page(n, nextCommand: { "next \($0)" }).renderedText() == first.page(n, nextCommand: { "next \($0)" }).renderedText())
            }
        }
    }
}
