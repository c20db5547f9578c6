import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite struct ByteSearchTests {
    @Test func findsASCIINeedlesByteForByte() {
        #expect(ByteSearch.contains("bash: foo: command not found", "command not found"))
        #expect(!ByteSearch.contains("bash: foo: command not foun", "command not found"))
        #expect(ByteSearch.contains("née /home/x/", "/home/"))
        #expect(!ByteSearch.contains("short", "longer needle"))
        #expect(!ByteSearch.contains("anything", ""))
        #expect(!ByteSearch.contains("", "a"))
        #expect(ByteSearch.contains(Substring("xx\"error\": {yy"), "\"error\": {"))
    }

    @Test func nonASCIINeedlesKeepFoundationMatching() {
        #expect(ByteSearch.contains("✘ test 1", "✘ test"))
        #expect(ByteSearch.contains("i see — the cache", "i see —"))
        #expect(!ByteSearch.contains("i see - the cache", "i see —"))
    }

    @Test func agreesWithFoundationOnEveryErrorTableNeedleOverFixtureOutputs() throws {
        var texts: [String] = []
        for path in TestSupport.allFixtureFiles.prefix(12) {
            try TranscriptReader(path: path).forEachRecord { r in
                for case .toolResult(_, let content, _) in r.message?.content ?? [] { texts.append(String(content.prefix(4000)).lowercased()) }
                return true
            }
        }
        #expect(texts.count > 100)
        for t in texts {
            for (_, needles) in ErrorCategory.table {
                for n in needles { #expect(ByteSearch.contains(t, n) == t.contains(n), "\(n)") }
            }
        }
    }
}
