import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The byte-level digest text helpers against the character loops they replaced (kept here as
/// the reference), on every text of the fixture transcripts and on texts where bytes and
/// characters could disagree.
@Suite struct TextBytesTests {
    // MARK: the character-based references (the code before the byte-level versions)

    static func oneLineByCharacters(_ s: String) -> String {
        var out = ""
        var lastSpace = false
        for ch in s {
            if ch == "\n" || ch == "\r" || ch == "\t" || ch == " " || ch == "\r\n" {
                if !lastSpace { out.append(" ") }
                lastSpace = true
            } else {
                out.append(ch)
                lastSpace = false
            }
        }
        return out.trimmingWhitespace()
    }

    static func sentencesByCharacters(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        let chars = Array(s)
        for (i, ch) in chars.enumerated() {
            current.append(ch)
            if ch == "." || ch == "!" || ch == "?" || ch == ":" {
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                if next == " " {
                    let t = current.trimmingWhitespace()
                    if !t.isEmpty { out.append(t) }
                    current = ""
                }
            }
        }
        let t = current.trimmingWhitespace()
        if !t.isEmpty { out.append(t) }
        return out
    }

    static func explanatoryByCharacters(_ s: String) -> [String] {
        sentencesByCharacters(s).filter { sentence in
            let lower = sentence.lowercased()
            return sentence.count >= 20 && DigestText.explanatoryMarkers.contains { ByteSearch.contains(lower, $0) }
        }
    }

    static func cutByCharacters(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    // MARK: texts

    /// Every text of the transcripts under `root`: prompts, assistant texts, tool outputs, the
    /// string values of tool inputs, and thinking texts (which the decoder skips: read from the
    /// lines' JSON trees).
    static func texts(under root: String) throws -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let p = e.nextObject() as? String { if p.hasSuffix(".jsonl") { files.append(root + "/" + p) } }
        var texts: [String] = []
        func strings(_ v: JSONValue) {
            switch v {
            case .string(let s): texts.append(s)
            case .array(let a): a.forEach(strings)
            case .object(let o): o.values.forEach(strings)
            default: break
            }
        }
        for path in files.sorted() {
            try TranscriptReader(path: path).forEachRecord { r in
                for block in r.message?.content ?? [] {
                    switch block {
                    case .text(let t): texts.append(t)
                    case .toolResult(_, let content, _): texts.append(content)
                    case .toolUse(_, _, let input): strings(input)
                    default: break
                    }
                }
                return true
            }
            let raw = try String(contentsOfFile: path, encoding: .utf8)
            for line in raw.split(separator: "\n") where line.contains("\"thinking\"") {
                guard case .object(let o)? = try? JSONParser.parse(String(line)), case .object(let m)? = o["message"],
                      case .array(let blocks)? = m["content"] else { continue }
                for case .object(let b) in blocks { if let t = b["thinking"]?.string, !t.isEmpty { texts.append(t) } }
            }
        }
        return texts
    }

    /// Texts where a space or a full stop is joined to its neighbour, CR LF, tabs, runs.
    static let tricky: [String] = [
        "", " ", "  ", "\n", "\r\n", "\r\n\r\n x \r\n", "\t\ta\t b", "a  b   c", " lead and trail ",
        "a \u{301}b", "a  \u{301} b", "end. \u{301}next", "end.\u{301} next", "x \u{200D} y", "e\u{301} . \u{0903}x",
        "\u{0600} x", "\u{0600}. y", "\u{0600}.", "é. é: é! é? é", "done.", "done. ", "a.b. c: d!e? f",
        "\u{1F468}\u{200D}\u{1F469} . next", "\u{1F1E9}\u{1F1EA} . \u{1F1E9}", "café — fine.  Next\u{00A0}one.",
        "\u{00A0} no-break spaces \u{00A0}", "tab\u{0009}\u{0301}x", "cr\r\u{0301}x", "中文。 句子. 好: 的",
        "Because the build needs it. This is only a short one. It turns out that the cache lives in /tmp.",
        "I SEE — THE FIX IS TO PIN IT. i see —\u{301} not this one though.", "WOR\u{212A}AROUND: use the other flag here",
        "\u{130}nstead of the flag, pass the variable, which means it works.", "\u{130}s gitignored", "\u{130}'ll do it",
        "\u{130}S G\u{130}T\u{130}GNORED", "the \u{212A}ey lives in x", "L\u{130}VES \u{130}N", "\u{130}",
        "ÀB cd", "ABC", "one two  ", "  ", "- `Use` the \"x\" flag", "  * a", "+b", "-- x", "\t- y", "-", "A1 b2, C3!", "word", " lead", "\u{130}NSTEAD", "EXIT CODE 1", "\u{212A}", "ÉRROR", "ERROR\u{301}", "abc", "\u{0600}a", "\u{0600}1 \u{0600}b", "-- ==", "a\u{301}", "x\r\ny\nz\r\n", "\n\n", "cd x && make &&",
        "see /home/me/x and <result>ok</result>", "ab\u{301}", "abc\u{301}d", "a\r\nb", "ab\r", "abc\r\n", "\r\n\r\n",
        "cd x && make 2>&1 | tail -5", "echo 'a && b' \"c;d\" | wc", "a\\\nb\nc", "x || y;z|w", "'open quote && x", "aaa", "",
        "a/home/\u{301}x /home/y", "\u{0600}/home/x", "/home/u/\u{212A}", "x\u{037E}y;", "é/home/e\u{301}", "\u{1FEF}`",
        "ke\u{301} k e", "→ /home/u/app/x → /home/u/app\r\n/home/",
        "x\u{0600}", "\u{0600}", "a\u{0085}", "\u{0085}a", "\u{3000}x\u{3000}", "\u{1F}a\u{1C}", "\u{7F}", "\u{1F1E9}\u{1F1EA}\u{1F1E9}x",
        "z\u{301}\u{302}\u{303}\u{304}a\u{301}b", "中文中文中文中文中文。", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}ab", "\r\r\n\n\r",
        "a\n\u{301}b", "a\n\u{FE0F}b", "\u{0600}\nb", "a\n\u{200D}b", "é\\\n\u{301}b", "é\nb", "é\\\nb", "\u{301}\n\n\u{301}",
        "é\n", "é\\\n", "a\u{102B}", "**\u{1038}", "x\u{AA7B}", "ab\u{0903}", "a\u{0E33}", "a\u{102B} b\u{1038}.", "don\u{2019}t", "\u{2019}", "\u{2019}\u{301}s", "é\u{2019}s", "x\u{200D}\u{2019}", "a\u{2019}\u{2019}b", "\u{2019}é", "x\u{212A}\ny", "\u{212A}K k", "run `make test` now", "`\u{301}x` `y`", "\u{1FEF}x`y", "``", "`", "a`\u{0600}`b", "Don\u{2019}t use_it's 3x",
        "\u{2718} test failed", "\u{2718} te\u{301}st", "\u{2718}\u{301} test", "e\u{301}", "\u{E9}", "x;y\u{37E}",
    ]

    static func trimmedByCharacters(_ t: String) -> String {
        var s = Substring(t)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    static func check(_ t: String, ranges: Bool = true) {
        #expect(Digest.oneLine(t) == oneLineByCharacters(t), "oneLine: \(t.prefix(80).debugDescription)")
        let sentences = sentencesByCharacters(t)
        #expect(DigestText.sentences(t) == sentences, "sentences: \(t.prefix(80).debugDescription)")
        #expect(DigestText.firstSentence(t) == (sentences.first ?? t), "first: \(t.prefix(80).debugDescription)")
        #expect(RuleText.lastWord(Substring(t)) == t.split(separator: " ").last, "last word: \(t.prefix(80).debugDescription)")
        if t.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(LearningsDocument.normalizeASCIIForDedupe(t) == LearningsDocument.normalizeScalarsForDedupe(t), "dedupe: \(t.prefix(80).debugDescription)")
        }
        let lower = t.lowercased(), matching = TextBytes.lowercasedForMatching(t), phrases = TextBytes.lowercasedForPhrases(t)
        for needle in Discoveries.phrases + ["is ", "k", "tik", "stanbul"] where !needle.hasSuffix("i") {
            #expect(ByteSearch.contains(phrases, needle) == ByteSearch.contains(lower, needle), "phrase \(needle) in \(t.prefix(80).debugDescription)")
        }
        for plan in Discoveries.plans + ["i", "is"] {
            #expect(phrases.hasPrefix(plan) == lower.hasPrefix(plan), "plan \(plan) of \(t.prefix(80).debugDescription)")
        }
        #expect(TextBytes.lowercased(t) == lower)
        if t.utf8.allSatisfy({ $0 < 0x80 }) { #expect(matching == lower) }
        for needle in ["error", "exit code", "because", "i see", "k", "is not a ", "must", "nstead", "\u{307}n"] {
            #expect(ByteSearch.contains(matching, needle) == ByteSearch.contains(lower, needle), "\(needle) in \(t.prefix(80).debugDescription)")
            #expect(matching.hasPrefix(needle) == lower.hasPrefix(needle), "prefix \(needle) of \(t.prefix(80).debugDescription)")
        }
        #expect(TextBytes.hasLetterOrNumber(t) == t.contains { $0.isLetter || $0.isNumber }, "letters: \(t.prefix(80).debugDescription)")
        for needle in ["\u{2718} test", "\u{212A}", "\u{2192}", "e\u{301}", "\u{E9}", ";\u{37E}"] {
            #expect(ByteSearch.contains(t, needle) == t.contains(needle), "\(needle) in \(t.prefix(80).debugDescription)")
        }
        // Prepared needles answer as plain ones, alone and in a list.
        let needles = ["error", "\u{2718} test", "k", "not found:", "e\u{301}", "a b", "zz"]
        for needle in needles {
            #expect(ByteSearch.containsAny(t, [ByteSearch.Needle(needle)]) == ByteSearch.contains(t, needle), "needle \(needle) in \(t.prefix(80).debugDescription)")
        }
        #expect(ByteSearch.containsAny(t, needles.map(ByteSearch.Needle.init)) == needles.contains { ByteSearch.contains(t, $0) })
        for needle in ["/", ".", "=", " usage: ", "  --", "current:", "|| true", "\n", "k", ";", "`", "e", "a b", "x\r", "\u{E9}", "<<", "$("] {
            #expect(TextBytes.contains(t, needle) == (t.range(of: needle) != nil), "contains \(needle.debugDescription) in \(t.prefix(80).debugDescription)")
            #expect(TextBytes.range(of: needle, in: t) == t.range(of: needle), "range of \(needle.debugDescription) in \(t.prefix(80).debugDescription)")
        }
        #expect(t.trimmingWhitespace() == Self.trimmedByCharacters(t), "trim: \(t.prefix(80).debugDescription)")
        #expect(Digest.size(t) == t.utf16.count, "size: \(t.prefix(80).debugDescription)")
        #expect(RuleText.words(t) == RuleText.wordsByCharacters(t), "words: \(t.prefix(80).debugDescription)")
        #expect(TextBytes.components(t, separatedBy: "`") == t.components(separatedBy: "`"), "components: \(t.prefix(80).debugDescription)")
        #expect(TextBytes.lines(t, limit: Int.max) == t.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        for k in [0, 1, 2, 8] {
            #expect(TextBytes.split(t, maxSplits: k) == t.split(separator: "\n", maxSplits: k, omittingEmptySubsequences: false).map(String.init))
        }
        for needle in ["/home/", "<result>", "&&", " "] where ranges {
            let mine = ByteSearch.range(of: needle, in: t).map { t.utf8.distance(from: t.startIndex, to: $0.lowerBound) }
            let foundation = t.range(of: needle).map { t.utf8.distance(from: t.startIndex, to: $0.lowerBound) }
            #expect(mine == foundation, "range of \(needle): \(t.prefix(80).debugDescription)")
        }
        for n in [0, 1, 2, 3, 80, 300, 2_000] {
            #expect(TextBytes.prefix(t, n) == String(t.prefix(n)), "prefix \(n): \(t.prefix(80).debugDescription)")
            #expect(TextBytes.hasMoreCharacters(t, than: n) == (t.count > n), "more \(n): \(t.prefix(80).debugDescription)")
        }
        for n in [1, 2, 80, 300] {
            #expect(Digest.cut(t, n) == cutByCharacters(t, n), "cut \(n): \(t.prefix(80).debugDescription)")
        }
        for (needle, replacement) in [("\n", " ; "), ("\\\n", " "), (" 2>&1", ""), ("&&", "and"), ("a", ""),
                                        ("/home/", "~/"), ("/", ""), ("e", "E"), ("k", "K"), (";", ","), ("\r\n", " "), ("K", "k"),
                                        ("a\n", "-"), ("\nb", "-")] {
            #expect(TextBytes.replacing(t, needle, with: replacement) == t.replacingOccurrences(of: needle, with: replacement),
                    "replacing \(needle.debugDescription) in \(t.prefix(80).debugDescription)")
        }
        #expect(TextBytes.isPlainASCII(t) == t.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\r" })
        #expect(TextBytes.isASCII(t) == t.unicodeScalars.allSatisfy(\.isASCII))
        #expect(RuleText.apostrophes(t) == t.replacingOccurrences(of: "\u{2019}", with: "'"), "apostrophes: \(t.prefix(80).debugDescription)")
        for line in [t, "- " + t, "* " + t + " \t", "+\t" + t, "-" + t] {
            #expect(LearningsDocument.bulletText(line) == LearningsDocument.bulletTextByCharacters(line), "bullet: \(line.prefix(80).debugDescription)")
        }
        #expect(TextLine(t, ending: "").isBlank == t.allSatisfy { $0 == " " || $0 == "\t" }, "blank: \(t.prefix(80).debugDescription)")
        #expect(ShellCommand.tokenizeBytes(t) == ShellCommand.tokenizeCharacters(t), "tokens: \(t.prefix(80).debugDescription)")
    }

    @Test func agreesWithTheReferenceWhereBytesAndCharactersCouldDiffer() {
        for t in Self.tricky {
            // ByteSearch.range matches bytes: where a combining mark follows, Foundation does not.
            Self.check(t, ranges: false)
            let one = Self.oneLineByCharacters(t)
            #expect(DigestText.explanatorySentences(one) == Self.explanatoryByCharacters(one), "\(t.debugDescription)")
        }
        // The window decides: a combining mark joins the space before it, a Prepend the space after.
        #expect(Digest.oneLine("a  \u{301}b") == "a  \u{301}b")
        #expect(Digest.oneLine("\u{0600}  b") == "\u{0600}  b")
        #expect(Digest.oneLine("a \n\t b") == "a b")
        #expect(DigestText.sentences("end. \u{301}next") == ["end. \u{301}next"])
        #expect(DigestText.sentences("end. next") == ["end.", "next"])
        #expect(DigestText.explanatorySentences("The workaround here is W\u{212A}: pin the version.") == ["The workaround here is W\u{212A}:"])
    }

    @Test func agreesWithTheReferenceOnEveryFixtureText() throws {
        var texts = try Self.texts(under: TestSupport.fixtures)
        let shared = TestSupport.packageRoot + "/../shared/fixtures/claude-transcripts"
        if FileManager.default.fileExists(atPath: shared) { texts += try Self.texts(under: shared) }
        #expect(texts.count > 2000)
        var explaining = 0
        // The first 4,000 bytes of each (the rules are local; the tests stay quick in debug builds).
        for t in texts.map({ $0.utf8.count > 4_000 ? String(decoding: $0.utf8.prefix(4_000), as: UTF8.self) : $0 }) {
            Self.check(t)
            let one = Self.oneLineByCharacters(t)
            let reference = Self.explanatoryByCharacters(one)
            if !reference.isEmpty { explaining += 1 }
            #expect(DigestText.explanatorySentences(one) == reference, "\(t.prefix(80).debugDescription)")
        }
        // Both answers occur, so the comparison is not vacuous.
        #expect(explaining > 20 && explaining < texts.count, "\(explaining) of \(texts.count)")
    }
}
