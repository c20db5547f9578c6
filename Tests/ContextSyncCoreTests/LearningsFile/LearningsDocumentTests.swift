import Foundation
import Testing
@testable import ContextSyncCore

/// A small deterministic generator so property-style cases are reproducible.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum LearningsSamples {
    static let example = """
        # Learnings
        <!-- Maintained by context-sync. Edit freely: sections are merged by date and machine. -->

        ## 2026-02-01 (vm)

        - Webhook server in `webhook/main.go` handles Telegram replies.
        - Deploy with `make deploy`, not `fly deploy` directly.

        ## 2026-01-31 (laptop)

        - The `.env.example` file is the source of truth for env vars.

        """

    static let fragments: [String] = [
        "# Learnings", "<!-- Maintained by context-sync. -->", "", " ", "\t",
        "## 2026-02-01 (vm)", "## 2026-01-31 (laptop)", "## 2026-01-31 (laptop)  ", "## 2026-13-99 (x)",
        "## Notes", "### 2026-02-01 (vm)", "##2026-02-01 (vm)", "## 2026-02-01 ()", "## 2026-02-01 (a (b))",
        "- a bullet", "- `code` and ./path/to/file.go", "* star bullet", "+ plus bullet", "-not a bullet",
        "  continuation of a bullet", "\tindented", "free prose by the user", "---", "> quote",
        "- émoji 🎉 ünïcödé", "\r", "trailing\r", "```", "- Deploy with `make deploy`.",
    ]

    static func randomText(_ rng: inout SeededRandom) -> String {
        let n = Int.random(in: 0...14, using: &rng)
        var out = ""
        for i in 0..<n {
            out += fragments.randomElement(using: &rng)!
            let last = i == n - 1
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6: out += "\n"
            case 6..<9: out += "\r\n"
            default: out += last ? "" : "\n"
            }
        }
        return out
    }
}

@Suite("LearningsDocument")
struct LearningsDocumentTests {
    @Test func parsesTheDesignExample() {
        let doc = LearningsDocument(parsing: LearningsSamples.example)
        #expect(doc.sections.map(\.date) == ["2026-02-01", "2026-01-31"])
        #expect(doc.sections.map(\.machine) == ["vm", "laptop"])
        #expect(doc.sections[0].bullets == [
            "Webhook server in `webhook/main.go` handles Telegram replies.",
            "Deploy with `make deploy`, not `fly deploy` directly.",
        ])
        #expect(doc.allBullets.count == 3)
        #expect(doc.rendered() == LearningsSamples.example)
    }

    @Test func roundTripsFixedEdgeCases() {
        let cases = [
            "", "\n", "\r\n", "no newline", "# Learnings", "## 2026-02-01 (vm)", "## 2026-02-01 (vm)\r\n- a\r\n",
            "- a\n- b", "text\n\n\n## 2026-02-01 (vm)\n\n- a\n\nuser note\n## Other\n- b\n",
            "\u{FEFF}# Learnings\n", "a\rb\r\n", "## 2026-02-01 (vm)\n  - nested\n- top\n  more\n",
        ]
        for c in cases {
            #expect(LearningsDocument(parsing: c).rendered() == c, "\(c.debugDescription)")
        }
    }

    @Test func roundTripsRandomTexts() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<2000 {
            let text = LearningsSamples.randomText(&rng)
            #expect(LearningsDocument(parsing: text).rendered() == text, "\(text.debugDescription)")
        }
    }

    @Test func appendCreatesTheFileWithHeader() {
        var doc = LearningsDocument()
        let added = doc.append(bullets: ["Run `make test` before pushing.", "- Use ed25519 keys."],
                               date: "2026-02-01", machine: "vm")
        #expect(added == ["Run `make test` before pushing.", "Use ed25519 keys."])
        #expect(doc.rendered() == """
            # Learnings
            <!-- Maintained by context-sync. Edit freely: sections are merged by date and machine. -->

            ## 2026-02-01 (vm)

            - Run `make test` before pushing.
            - Use ed25519 keys.

            """)
    }

    @Test func appendNewSectionGoesOnTopAfterHeader() {
        var doc = LearningsDocument(parsing: LearningsSamples.example)
        doc.append(bullets: ["New thing."], date: "2026-02-02", machine: "laptop")
        #expect(doc.rendered() == """
            # Learnings
            <!-- Maintained by context-sync. Edit freely: sections are merged by date and machine. -->

            ## 2026-02-02 (laptop)

            - New thing.

            ## 2026-02-01 (vm)

            - Webhook server in `webhook/main.go` handles Telegram replies.
            - Deploy with `make deploy`, not `fly deploy` directly.

            ## 2026-01-31 (laptop)

            - The `.env.example` file is the source of truth for env vars.

            """)
    }

    @Test func appendSameDayAndMachineAddsToTheSection() {
        var doc = LearningsDocument(parsing: LearningsSamples.example)
        let added = doc.append(bullets: ["Third thing.", "deploy with make deploy not fly deploy directly"],
                               date: "2026-02-01", machine: "vm")
        #expect(added == ["Third thing."])
        #expect(doc.sections.count == 2)
        #expect(doc.sections[0].bullets.last == "Third thing.")
        #expect(doc.rendered().contains("directly.\n- Third thing.\n\n## 2026-01-31"))
    }

    @Test func appendSkipsDuplicatesAnywhere() {
        var doc = LearningsDocument(parsing: LearningsSamples.example)
        let added = doc.append(bullets: [
            "the .env.example file is the source of truth for env vars",  // other section, other case
            "Webhook server in webhook/main.go handles Telegram replies",  // no backticks, no period
            "  ", "-", "New", "new.",
        ], date: "2026-02-03", machine: "box")
        #expect(added == ["New"])
    }

    @Test func appendSkipsARewordingByTheSameRuleAsTheExtractor() {
        // The one "already in learnings.md" rule (LearningDedupe): apply, the external extractor
        // and the built-in one agree, so a reworded bullet is not added twice.
        var doc = LearningsDocument(parsing: "")
        doc.append(bullets: ["Run the unit tests with `uv run pytest -q` from the repository root."], date: "2026-02-01", machine: "a")
        let reworded = "Run unit tests with uv run pytest -q from the repository root"
        #expect(LearningDedupe.isDuplicate(reworded, doc.allBullets[0]))
        #expect(doc.append(bullets: [reworded, "Use `uv run pytest -x` for quick runs."], date: "2026-02-02", machine: "b")
            == ["Use `uv run pytest -x` for quick runs."])
    }

    @Test func appendNothingLeavesTextUntouched() {
        var doc = LearningsDocument(parsing: "odd file\r\nwithout newline")
        #expect(doc.append(bullets: [], date: "2026-02-01", machine: "vm").isEmpty)
        #expect(doc.rendered() == "odd file\r\nwithout newline")
    }

    @Test func appendKeepsUserTextAndLineEndings() {
        let text = "# Learnings\r\n\r\n## 2026-01-31 (laptop)\r\n\r\n- old\r\n\r\nMy own note.\r\n## Links\r\n- [x](y)"
        var doc = LearningsDocument(parsing: text)
        doc.append(bullets: ["fresh"], date: "2026-02-01", machine: "vm")
        #expect(doc.rendered() == "# Learnings\r\n\r\n## 2026-02-01 (vm)\r\n\r\n- fresh\r\n\r\n## 2026-01-31 (laptop)\r\n\r\n- old\r\n\r\nMy own note.\r\n## Links\r\n- [x](y)")
        // Appending to the laptop section puts the bullet after its last bullet (here the one
        // under the user's "## Links" heading, which belongs to that section).
        doc.append(bullets: ["later"], date: "2026-01-31", machine: "laptop")
        #expect(doc.rendered().hasSuffix("- [x](y)\r\n- later\r\n"))
    }

    @Test func appendIntoFileWithoutTrailingNewline() {
        var doc = LearningsDocument(parsing: "# Learnings\n\n## 2026-02-01 (vm)\n\n- a")
        doc.append(bullets: ["b"], date: "2026-02-01", machine: "vm")
        #expect(doc.rendered() == "# Learnings\n\n## 2026-02-01 (vm)\n\n- a\n- b\n")
        var doc2 = LearningsDocument(parsing: "# Learnings")
        doc2.append(bullets: ["b"], date: "2026-02-01", machine: "vm")
        #expect(doc2.rendered() == "# Learnings\n\n## 2026-02-01 (vm)\n\n- b\n")
    }

    @Test func appendOlderDateGoesInDateOrder() {
        var doc = LearningsDocument(parsing: LearningsSamples.example)
        doc.append(bullets: ["from the past"], date: "2026-01-15", machine: "old")
        #expect(doc.sections.map(\.date) == ["2026-02-01", "2026-01-31", "2026-01-15"])
        #expect(doc.rendered().hasSuffix("env vars.\n\n## 2026-01-15 (old)\n\n- from the past\n"))
    }

    @Test func appendedDocumentRoundTrips() {
        var rng = SeededRandom(seed: 7)
        for i in 0..<500 {
            let input = LearningsSamples.randomText(&rng)
            var doc = LearningsDocument(parsing: input)
            doc.append(bullets: ["bullet \(i)", "other \(i)"], date: "2026-02-0\(i % 9 + 1)", machine: "m\(i % 3)")
            let text = doc.rendered()
            let again = LearningsDocument(parsing: text)
            #expect(again.rendered() == text)
            #expect(again.allBullets.contains("bullet \(i)"))
            // No run of blank lines is introduced.
            #expect(text.components(separatedBy: "\n\n\n").count <= input.components(separatedBy: "\n\n\n").count,
                    "\(text.debugDescription)")
        }
    }

    @Test func normalizeForDedupe() {
        let n = LearningsDocument.normalizeForDedupe
        #expect(n("Deploy with `make deploy`, not `fly deploy` directly.") == "deploy with make deploy not fly deploy directly")
        #expect(n("- Use ./src/main.go") == n("use src/main.go/"))
        #expect(n("Don't  push\tto MAIN!") == n("dont push to main"))
        #expect(n("Ünïcode  Straße") == "ünïcode straße")
        #expect(n("!!!") == "")
    }
}
