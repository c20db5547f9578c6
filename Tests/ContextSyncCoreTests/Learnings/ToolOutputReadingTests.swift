import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// `statesFailure` (byte-level) against its character-based reference, on every fixture tool
/// output and on the texts where bytes and characters could disagree.
@Suite struct ToolOutputReadingTests {
    static func toolOutputs(under root: String) throws -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let p = e.nextObject() as? String { if p.hasSuffix(".jsonl") { files.append(root + "/" + p) } }
        var texts: [String] = []
        for path in files.sorted() {
            try TranscriptReader(path: path).forEachRecord { r in
                for case .toolResult(_, let content, _) in r.message?.content ?? [] { texts.append(content) }
                return true
            }
        }
        return texts
    }

    /// Line-number stripping (Read output: `   12→text`) and the first colon, against the
    /// character loops, where bytes and characters could differ.
    @Test func stripsLineNumbersAndFindsColonsAsTheCharacterLoopsDo() throws {
        var lines = ["  12→x", "12\tx", "12→", "12\t", "  ", "", "12", "  12 x", "x12→", "١٢→x", "12٣→x", "1\u{301}→x",
                     "12→\u{301}x", "12\t\u{301}x", " \u{301}12→x", "12→→x", "\u{0600}12→x", "   7→  indented", "9→é"]
        for t in try Self.toolOutputs(under: TestSupport.fixtures).prefix(400) {
            lines += TextBytes.lines(t, limit: 50)
        }
        for l in lines {
            #expect(ToolOutputReading.stripLineNumber(l) == ToolOutputReading.stripLineNumberByCharacters(l), "\(l.debugDescription)")
        }
        #expect(ToolOutputReading.stripLineNumber("  12→x") == "x")
        #expect(ToolOutputReading.stripLineNumber("9→é") == "é")
        for l in lines + ["a\u{301}:b:c", ":\u{301}x:y", "\u{0600}:x:", "KeyError: 'x'", "no colon"] {
            #expect(ToolOutputReading.firstColon(l) == l.firstIndex(of: ":"), "\(l.debugDescription)")
        }
    }

    @Test func agreesWithTheReferenceOnEveryFixtureToolOutput() throws {
        let texts = try Self.toolOutputs(under: TestSupport.fixtures)
        #expect(texts.count > 500)
        var failing = 0
        for t in texts {
            let reference = ToolOutputReading.statesFailureByCharacters(t)
            if reference { failing += 1 }
            #expect(ToolOutputReading.statesFailure(t) == reference, "\(t.prefix(120))")
        }
        // Both answers occur, so the comparison is not vacuous.
        #expect(failing > 3 && failing < texts.count, "\(failing) of \(texts.count)")
    }

    static let shared = TestSupport.packageRoot + "/../shared/fixtures/claude-transcripts"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: shared)))
    func agreesWithTheReferenceOnTheSharedFixtures() throws {
        let texts = try Self.toolOutputs(under: Self.shared)
        #expect(texts.count > 500)
        for t in texts { #expect(ToolOutputReading.statesFailure(t) == ToolOutputReading.statesFailureByCharacters(t), "\(t.prefix(120))") }
    }

    @Test func stripsColourCodesAsTheRegularExpressionDoes() throws {
        var texts = ["\u{1B}[31mred\u{1B}[0m", "\u{1B}[", "\u{1B}[1", "\u{1B}[1;2?m", "\u{1B}[12;", "a\u{1B}x", "\u{1B}\u{1B}[0m",
                     "\u{1B}[é", "\u{1B}[1\u{301}m", "é\u{1B}[0mé", "\u{1B}[\u{1B}[0m", "\u{1B}[;?Z!", "", "plain"]
        let coloured = try (Self.toolOutputs(under: TestSupport.fixtures) + Self.toolOutputs(under: Self.shared))
            .filter { ByteSearch.contains($0, "\u{1B}[") }
        #expect(coloured.count >= 5, "\(coloured.count) coloured outputs")
        texts += coloured
        for t in texts {
            let reference = t.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
            #expect(ToolOutputReading.stripANSI(t) == reference, "\(t.prefix(80).debugDescription)")
        }
    }

    @Test func agreesWithTheReferenceWhereBytesAndCharactersDiffer() {
        let long = String(repeating: String(repeating: "x", count: 198) + "\r\n", count: 100)   // 20,000 bytes, 19,900 characters
        let cases: [(String, Bool)] = [
            ("all good\nError: disk full", true),
            ("  error: x", true),
            ("done\n\u{1B}[31mError:\u{1B}[0m boom", true),           // colour codes stripped first
            ("E\u{1B}[1mrror: joined", true),                          // stripping joins the prefix
            ("<tool_use_error>Error: no</tool_use_error>", true),
            ("Err<tool_use_error>or: joined", true),
            ("Error:\u{301} combining mark", false),                  // "Error:" is not a prefix in characters
            ("E\u{301}rror: x", false),
            ("\u{00A0}Error: after a no-break space", true),
            ("✘ 2 tests", true), ("✘\u{301} x", false),
            ("TRACEBAC\u{212A} (MOST RECENT CALL LAST)", true),       // KELVIN SIGN lower-cases to k
            ("\u{130}S NOT RECOGNIZED AS AN INTERNAL OR EXTERNAL COMMAND", false),
            ("\u{130}STANBUL: command not found", true), ("S\u{130}STEM \"SUCCESS\": FALSE", true), ("\u{130}s not recognized", false),
            ("no such opt\u{130}on", false), ("\u{130}", false),
            ("COMMAND NOT FOUND", true), ("{\"Success\": False}", true), ("{\"error\": {}}", true),
            ("one\\nError: escaped newline", true), ("Pre-commit\\nError: x\nok", true),
            ("Pre-commit\\nok\\nError: y", true),
            (long + "Error: beyond 20,000 bytes but within 20,000 characters", true),
            (String(repeating: "x", count: 20_000) + "Error: beyond", false),
            (String(repeating: "x", count: 19_990) + "\ncommand not found", false),
            (String(repeating: "é", count: 19_000) + " command not found", true),
            (String(repeating: "ok\n", count: 400) + "Error: after 300 lines", false),
            ("", false), ("\n\n", false),
            ("the log says error: inside a line\nand FAILED inside one too", false),    // prefixes, never at a line start
            ("\t\u{3000}Error: after an ideographic space", true), ("x\u{3000}Error: not at a line start", false),
            ("ok\\n\t✘ 1 test", true), ("x \u{1B}[31mError:\u{1B}[0m mid-line, coloured", false),
            ("\u{1B}[1m\u{1B}[31mFAILED\u{1B}[0m 2 tests", true), ("\u{1B}[2K\u{1B}[1Gok\n\u{1B}[32m✘\u{1B}[0m x", true), ("ok\\nx ✘ 1 test", false), ("\r  fatal: after CR", true),
        ]
        for (text, expected) in cases {
            let reference = ToolOutputReading.statesFailureByCharacters(text)
            #expect(ToolOutputReading.stripLineNumber(text) == ToolOutputReading.stripLineNumberByCharacters(text))
            #expect(ToolOutputReading.statesFailure(text) == reference, "\(text.prefix(60))")
            #expect(reference == expected, "\(text.prefix(60))")
        }
    }
}
