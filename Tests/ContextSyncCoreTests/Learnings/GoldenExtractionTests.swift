import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// What the built-in extractor and the digest produce for each real transcript, committed under
/// Tests/Golden and read as a user would. Set CONTEXT_SYNC_UPDATE_GOLDEN=1 to rewrite them after
/// an intended change, then review the diff.
@Suite struct GoldenExtractionTests {
    static let sessions: [String] = TestSupport.allFixtureFiles.filter { !$0.contains("/subagents/") }

    static func name(_ path: String) -> String {
        path.replacingOccurrences(of: TestSupport.fixtures + "/", with: "")
            .replacingOccurrences(of: "/", with: "__").replacingOccurrences(of: ".jsonl", with: "")
    }

    /// Paths as they would be normalised for a checkout of the session's own launch directory.
    static func normalizer(for events: SessionEvents) -> PathNormalizer {
        PathNormalizer(repoRoots: events.cwd.map { [$0] } ?? [], home: "/home/USER")
    }

    static func check(_ text: String, against golden: String) throws {
        let path = TestSupport.packageRoot + "/Tests/Golden/" + golden
        if ProcessInfo.processInfo.environment["CONTEXT_SYNC_UPDATE_GOLDEN"] != nil {
            TestSupport.write(text, to: path)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected, "golden \(golden) differs; rerun with CONTEXT_SYNC_UPDATE_GOLDEN=1 and review the diff")
    }

    @Test(arguments: sessions)
    func extractionMatchesGoldenAndHasNoNoise(_ path: String) throws {
        let events = try SessionEvents.read(path: path, id: ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        let n = Self.normalizer(for: events)
        let result = HeuristicExtractor().extract([events], normalize: n.normalize)
        let rendered = result.kept.map { "- \($0.text)" }.joined(separator: "\n") + "\n"
        try Self.check(rendered, against: "extract/\(Self.name(path)).md")

        let scanner = SecretScanner()
        for l in result.kept {
            #expect(!l.text.contains("/home/"), "absolute home path in: \(l.text)")
            #expect(!l.text.contains("/Users/"), "absolute home path in: \(l.text)")
            #expect(!PathNormalizer.containsMachinePath(l.text), "machine path in: \(l.text)")
            #expect(!HeuristicExtractor.containsLineNumber(l.text.lowercased()), "line number in: \(l.text)")
            #expect(!l.text.contains("Traceback"), "stack trace in: \(l.text)")
            #expect(scanner.scan(l.text).isEmpty, "secret in: \(l.text)")
            #expect(!l.evidence.isEmpty)
        }
        for (i, a) in result.kept.enumerated() {
            for b in result.kept[(i + 1)...] { #expect(!LearningDedupe.isDuplicate(a.text, b.text), "duplicates: \(a.text) / \(b.text)") }
        }
        #expect(result.kept.count <= 10)
    }

    @Test(arguments: sessions)
    func digestMatchesGolden(_ path: String) throws {
        let events = try SessionEvents.read(path: path, id: ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        var digest = Digest(sessions: [events], normalize: Self.normalizer(for: events).normalize, redact: SecretScanner().redact)
        digest.fit(maxChars: 6000)
        let text = digest.renderedText()
        #expect(Digest.size(text) <= 6000)
        try Self.check(text, against: "digest/\(Self.name(path)).txt")
    }
}
