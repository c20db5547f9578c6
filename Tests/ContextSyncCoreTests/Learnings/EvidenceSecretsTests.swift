import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite("A learning whose evidence holds a secret is not written")
struct EvidenceSecretsTests {
    @Test func aSentenceCutFromATextWithASecretIsDropped() throws {
        let dir = TestSupport.makeTempDir("evsecret")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Random at test time: a password with a dot inside, as a sentence splitter would cut it.
        // The scanner must see the whole value in its context (a random value can, rarely, look
        // like words to it): take the first of a few that it sees.
        let alnum = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let scanner = SecretScanner()
        var left = "", right = "", prompt = ""
        for _ in 0..<20 {
            left = String((0..<10).map { _ in alnum.randomElement()! })
            right = String((0..<10).map { _ in alnum.randomElement()! })
            prompt = "No, connect with PGPASSWORD=\(left).\(right) psql -h db first. Always run the migrations before the tests."
            if !scanner.scan(prompt).isEmpty { break }
        }
        let lines = [
            #"{"type":"user","uuid":"u1","cwd":"/repo","timestamp":"2026-03-01T10:00:00.000Z","message":{"role":"user","content":"set up the db"}}"#,
            #"{"type":"user","uuid":"u2","cwd":"/repo","timestamp":"2026-03-01T10:01:00.000Z","message":{"role":"user","content":"\#(prompt)"}}"#,
        ]
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/s.jsonl")
        let events = try SessionEvents.read(path: dir + "/s.jsonl", id: "s")
        let index = try #require(events.events.firstIndex { if case .user(let t) = $0.kind { return t.contains("PGPASSWORD") } else { return false } })
        #expect(!scanner.scan(prompt).isEmpty, "the scanner must see the secret in its context")
        // The fragment on its own looks harmless to the scanner.
        let fragment = Learning(text: "\(right) psql -h db first.", source: .userCorrection, score: 0.9,
                                evidence: [.init(sessionId: "s", eventIndex: index)])
        #expect(scanner.scan(fragment.text).isEmpty)
        let unrelated = Learning(text: "Run the tests with `make test`.", source: .command, score: 0.5,
                                 evidence: [.init(sessionId: "s", eventIndex: 0)])
        let r = EvidenceSecrets.filter([fragment, unrelated], events: [events], scanner: scanner)
        #expect(r.kept == [unrelated])
        #expect(r.dropped.map(\.learning) == [fragment])
        #expect(r.dropped.first?.reason == "its evidence holds a secret")
    }
}
