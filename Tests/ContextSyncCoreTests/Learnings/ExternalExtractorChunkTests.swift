import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// External extractors: structured answers with evidence, the digest sent in parts newest first
/// and merged, one total timeout, the prompt from templates/.
@Suite struct ExternalExtractorChunkTests {
    typealias Script = HeuristicExtractorTests.Script
    let env = Environment(["PATH": "/usr/bin:/bin", "HOME": "/tmp"])

    func script(_ body: String) -> (path: String, dir: String) {
        let dir = TestSupport.makeTempDir("chunks")
        let path = dir + "/x.sh"
        TestSupport.write("#!/bin/sh\n" + body + "\n", to: path)
        chmod(path, 0o755)
        try? FileManager.default.createDirectory(atPath: dir + "/calls", withIntermediateDirectories: true)
        return (path, dir)
    }

    func sessions(_ n: Int) throws -> [SessionEvents] {
        try (0..<n).map { k in
            var s = Script()
            s.user("part \(k): " + String(repeating: "please migrate the schema carefully ", count: 30))
            s.bash("make migrate STEP=\(k)", ok: false, output: "Error: migration \(k) needs `make db-up` first")
            s.bash("make db-up && make migrate STEP=\(k)", ok: true)
            return try s.events("sess-\(k)", timestamp: "2026-04-0\(k + 1)T10:00:00.000Z")
        }
    }

    @Test func structuredAnswersCarryTheirEvidenceAndBulletsStillWork() throws {
        let json = #"[{"text": "Run `make db-up` before `make migrate`.", "evidence": ["sess-1#1", "sess-1#2", "junk"]}, "A plain string learning."]"#
        #expect(try ExternalExtractor.parseAnswer(json) == [
            ExtractedLearning(text: "Run `make db-up` before `make migrate`.",
                              evidence: [.init(sessionId: "sess-1", eventIndex: 1), .init(sessionId: "sess-1", eventIndex: 2)]),
            ExtractedLearning(text: "A plain string learning."),
        ])
        #expect(try ExternalExtractor.parseAnswer("```json\n" + json + "\n```\n").count == 2)
        #expect(try ExternalExtractor.parseAnswer(#"{"learnings": [{"text": "x y z", "evidence": "s#3"}]}"#)
            == [ExtractedLearning(text: "x y z", evidence: [.init(sessionId: "s", eventIndex: 3)])])
        #expect(try ExternalExtractor.parseAnswer("[]").isEmpty)
        #expect(try ExternalExtractor.parseAnswer("No new learnings.").isEmpty)
        #expect(try ExternalExtractor.parseAnswer("- one\n- two\n").map(\.text) == ["one", "two"])
        #expect(throws: ContextSyncError.self) { _ = try ExternalExtractor.parseAnswer("I could not find anything useful.") }
    }

    @Test func aLargeDigestIsSentInPartsNewestFirstAndTheAnswersMerged() throws {
        let (path, dir) = script(#"""
            n=$(ls "$(dirname "$0")/calls" | wc -l | tr -d ' ')
            f="$(dirname "$0")/calls/$n.txt"
            cat > "$f"
            sid=$(grep -m1 -o '^=== Session [^ ]*' "$f" | cut -d' ' -f3)
            case $n in 0) w="alpha apples";; 1) w="bravo bananas";; *) w="charlie cherries";; esac
            printf '[{"text": "Run `make db-up` before `make migrate`.", "evidence": ["%s#1"]}, {"text": "Part note %s for %s.", "evidence": []}]\n' "$sid" "$w" "$sid"
            """#)
        let ext = ExternalExtractor(command: path, timeout: 60)
        var parts: [(Int, Int, Int)] = []
        let answers = try ext.run(sessions: try sessions(3), normalize: { $0 }, redact: { $0 }, digestChars: 2_000,
                                  environment: env, progress: { parts.append(($0, $1, $2)) })
        let calls = try FileManager.default.contentsOfDirectory(atPath: dir + "/calls").sorted()
        #expect(calls.count == 3)
        #expect(parts.map(\.0) == [1, 2, 3] && parts.allSatisfy { $0.1 == 3 && $0.2 == 1 })
        for (i, c) in calls.enumerated() {
            let input = try String(contentsOfFile: dir + "/calls/" + c, encoding: .utf8)
            #expect(input.hasPrefix(ExternalExtractor.prompt))
            #expect(Digest.size(input) <= Digest.size(ExternalExtractor.prompt) + 2_000)
            #expect(input.contains("=== Session sess-\(2 - i) "), "newest first")
        }
        // The shared learning once (with the newest part's evidence), then each part's own.
        #expect(answers.map(\.text) == ["Run `make db-up` before `make migrate`.", "Part note alpha apples for sess-2.",
                                        "Part note bravo bananas for sess-1.", "Part note charlie cherries for sess-0."])
        #expect(answers[0].evidence == [.init(sessionId: "sess-2", eventIndex: 1)])
    }

    @Test func theTimeoutIsForAllParts() throws {
        let (path, _) = script("cat >/dev/null\nsleep 1\necho '[]'")
        let ext = ExternalExtractor(command: path, timeout: 1.5)
        #expect {
            _ = try ext.run(sessions: try sessions(3), normalize: { $0 }, redact: { $0 }, digestChars: 2_000, environment: env)
        } throws: { error in
            let message = (error as? ContextSyncError)?.message ?? ""
            return message.contains("timed out") && (message.contains("in total") || message.contains("after 0 s") || message.contains("after 1 s"))
        }
    }

    @Test func thePromptIsTheTemplateAndAsksForEvidence() {
        #expect(ExternalExtractor.prompt == EmbeddedTemplates.extractorPrompt)
        #expect(ExternalExtractor.prompt.contains("Answer with a JSON array"))
        #expect(ExternalExtractor.prompt.contains("\"<session id>#<n>\""))
        #expect(ExternalExtractor.prompt.hasSuffix("The session digest follows.\n\n"))
    }
}
