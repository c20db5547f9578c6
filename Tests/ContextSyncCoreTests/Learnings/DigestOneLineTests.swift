import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The bounded `Digest.oneLine(_:keeping:)` cuts to the same text as the whole-text `oneLine`.
@Suite struct DigestOneLineTests {
    static func agree(_ s: String, keeping n: Int) -> Bool {
        let full = Digest.oneLine(s), bounded = Digest.oneLine(s, keeping: n)
        return [1, 2, n / 2, n - 1, n].filter { $0 >= 1 }.allSatisfy { Digest.cut(bounded, $0) == Digest.cut(full, $0) }
    }

    @Test func cutsLikeTheWholeTextOnEdgeCases() {
        let texts = [
            "", "   ", "a", "  lead and trail  ", String(repeating: "word ", count: 500),
            String(repeating: " ", count: 5_000) + "late start " + String(repeating: "x", count: 900),
            String(repeating: "\u{00A0}", count: 700) + "after no-break spaces " + String(repeating: "y", count: 700),
            String(repeating: "a\n\u{301}", count: 800),                  // a combining mark after a newline
            String(repeating: "🇫🇷🇩🇪", count: 400), String(repeating: "e\u{301}", count: 900),
            String(repeating: "ab\r\n\t ", count: 600), String(repeating: "x", count: 601),
            String(repeating: "x", count: 602) + "    ", String(repeating: "x", count: 599) + " \u{00A0} \u{3000}",
        ]
        for t in texts {
            for n in [1, 3, 200, 300, 600] { #expect(Self.agree(t, keeping: n), "\(t.prefix(40)) \(n)") }
        }
        #expect(Digest.oneLine("a\n\nb", keeping: 600) == "a b")
        #expect(Digest.oneLine(String(repeating: "x", count: 10_000), keeping: 600).count < 700)
    }

    @Test func cutsLikeTheWholeTextOnFixtureUserTexts() throws {
        var texts: [String] = []
        for path in TestSupport.allFixtureFiles {
            try TranscriptReader(path: path).forEachRecord { r in
                for case .text(let t) in r.message?.content ?? [] { texts.append(t) }
                return true
            }
        }
        #expect(texts.count > 100)
        for t in texts { #expect(Self.agree(t, keeping: 600) && Self.agree(t, keeping: 200), "\(t.prefix(60))") }
    }
}
