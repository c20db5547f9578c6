import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The digest's budget is exact, evidence survives it, and pages cover every session once.
@Suite struct DigestBudgetTests {
    typealias Script = HeuristicExtractorTests.Script

    static let bigFixtures = [
        "marot__spotter/4d5611e5-241a-462a-8d15-5122611a9569.jsonl",
        "d-kimuson__claude-code-viewer/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl",
        "DRMacIver__claude-reliability/python-to-rust-port/transcript.jsonl",
    ]

    static func fixtureEvents(_ relative: String) throws -> SessionEvents {
        let path = TestSupport.fixture(relative)
        return try SessionEvents.read(path: path, id: ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
    }

    @Test(arguments: bigFixtures)
    func everyBudgetIsHonouredExactlyOnRealSessions(_ relative: String) throws {
        let events = try Self.fixtureEvents(relative)
        let full = Digest(sessions: [events], normalize: { $0 }, redact: { $0 })
        let fullSize = full.renderedSize
        for budget in [300, 1_000, 2_000, 6_000, 25_000, 80_000] {
            var d = full
            d.fit(maxChars: budget)
            let text = d.renderedText()
            #expect(Digest.size(text) <= budget, "\(relative) at \(budget): \(Digest.size(text))")
            if fullSize <= budget {
                #expect(text == full.renderedText())
            } else if budget >= 2_000 {
                // Used, not wasted: the cut stops as soon as the text fits.
                #expect(Digest.size(text) > budget / 2, "\(relative) at \(budget): only \(Digest.size(text))")
            }
            if fullSize > budget { #expect(text.contains("(digest cut to fit:")) }
        }
    }

    @Test func headersAreDroppedWhenEvenTheyDoNotFit() throws {
        var sessions: [SessionEvents] = []
        for k in 0..<60 {
            var s = Script()
            s.user("task \(k)")
            s.bash("make test", ok: true)
            sessions.append(try s.events("session-\(k)"))
        }
        var d = Digest(sessions: sessions, normalize: { $0 }, redact: { $0 })
        #expect(d.renderedSize > 2_000)
        d.fit(maxChars: 2_000)
        let text = d.renderedText()
        #expect(Digest.size(text) <= 2_000)
        #expect(d.omittedSessions > 0 && d.omittedSessions < 60)
        #expect(text.contains("session-0 ") && !text.contains("session-59 "))
        #expect(text.contains("\(d.omittedSessions) sessions left out"))
    }

    @Test func evidenceOutlivesRoutineLinesAndLongLinesAreShortenedNotDropped() throws {
        var s = Script()
        s.user("fix the importer")
        for i in 0..<40 { s.bash("cat data/file\(i).csv", ok: true) }
        s.bash("python -m importer", ok: false, output: "Traceback (most recent call last):\n  File \"x.py\", line 3\nKeyError: 'price_cents'")
        let filler = String(repeating: "I looked at several modules and their helpers. ", count: 12)
        s.assistant(filler + "The importer fails because prices are stored as integer cents in `price_cents`, not floats.")
        s.bash("python -m importer --cents", ok: true)
        var d = Digest(sessions: [try s.events()], normalize: { $0 }, redact: { $0 })
        d.fit(maxChars: 900)
        let text = d.renderedText()
        #expect(Digest.size(text) <= 900)
        #expect(text.contains("USER: fix the importer"))
        #expect(text.contains("KeyError: 'price_cents'"), "the error line, not the traceback header")
        #expect(text.contains("prices are stored as integer cents"), "the explanation survives, shortened")
        #expect(!text.contains("file17.csv"))
        #expect(text.contains("events dropped"))
    }

    @Test func consecutiveSuccessfulFileOperationsCollapseIntoOneLine() throws {
        var s = Script()
        s.user("look around")
        for f in ["a.swift", "b.swift", "c.swift"] { s.tool("Read", ["file_path": "/work/app/\(f)"], ok: true) }
        s.tool("Grep", ["pattern": "func load"], ok: true)
        s.bash("swift build", ok: true)
        let d = Digest(sessions: [try s.events()], normalize: PathNormalizer(repoRoots: ["/work/app"], home: "/h").normalize, redact: { $0 })
        let text = d.renderedText()
        #expect(text.contains("[1-4] FILES OK: Read a.swift, b.swift, c.swift · Grep func load\n"))
        #expect(text.contains("[5] TOOL Bash(swift build) -> OK"))
    }

    @Test func pagesHoldWholeSessionsNewestFirstAndSayHowToGoOn() throws {
        var sessions: [SessionEvents] = []
        for k in 0..<12 {
            var s = Script()
            s.user("task number \(k) " + String(repeating: "detail ", count: 60))
            for i in 0..<8 { s.bash("make step\(i) TARGET=\(k)", ok: i != 3, output: i == 3 ? "Error: step 3 broke for \(k)" : "ok") }
            sessions.append(try s.events("sess-\(k)", timestamp: "2026-03-\(String(format: "%02d", k + 1))T10:00:00.000Z"))
        }
        let pages = DigestPages(sessions: sessions, pageChars: 2_500, normalize: { $0 }, redact: { $0 })
        #expect(pages.totalPages! > 2)
        var seen: [String] = []
        for n in 1...pages.totalPages! {
            let page = pages.page(n) { "context-sync digest --page \($0)" }
            let text = page.renderedText()
            #expect(Digest.size(text) <= 2_500)
            #expect(text.contains("--- page \(n) of \(pages.totalPages!)"))
            if n < pages.totalPages! {
                #expect(text.hasSuffix("--- next page: context-sync digest --page \(n + 1)\n"))
                #expect(text.contains("on later pages"))
            } else {
                #expect(text.contains("last page"))
            }
            #expect(!text.contains("dropped"), "sessions smaller than a page are shown whole")
            seen += DigestPages.shownSessionIds(page)
        }
        #expect(seen == (0..<12).reversed().map { "sess-\($0)" })
    }

    @Test func aSessionLargerThanAPageIsAloneAndCutToIt() throws {
        let big = try Self.fixtureEvents(Self.bigFixtures[0])
        var small = Script()
        small.user("newest small session")
        let pages = DigestPages(sessions: [big, try small.events("small", timestamp: "2030-01-01T00:00:00.000Z")], pageChars: 25_000, normalize: { $0 }, redact: { $0 })
        #expect(pages.totalPages! == 2)
        let first = pages.page(1) { "next \($0)" }
        #expect(DigestPages.shownSessionIds(first) == ["small"])
        let second = pages.page(2) { "next \($0)" }
        #expect(DigestPages.shownSessionIds(second) == [big.sessionId])
        let text = second.renderedText()
        #expect(Digest.size(text) <= 25_000 && Digest.size(text) > 20_000)
        #expect(text.contains("--- page 2 of 2") && text.contains("last page"))
    }
}
