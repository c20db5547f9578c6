/// Text helpers of the built-in extractor: sentences, whole-word markers, and the shapes of text
/// that are never rules (pasted terminal output, help/usage text, status lines).
enum RuleText {
    /// Lower-cased words (letters, digits, apostrophes), so markers match whole words only:
    /// `fyi` is not found in "verifying".
    static func words(_ text: String) -> [Substring] {
        let folded = folded(text)
        // ASCII text by bytes: its characters are its bytes (CR LF splits either way).
        let ascii: [Substring]? = folded.utf8.withContiguousStorageIfAvailable { b -> [Substring]? in
            for c in b where c >= 0x80 { return nil }
            var out: [Substring] = []
            let utf8 = folded.utf8
            var start = -1
            for i in 0...b.count {
                let word = i < b.count && (Ascii.isAlnum(b[i]) || b[i] == 0x27 || b[i] == 0x5F)
                if word && start < 0 { start = i }
                if !word && start >= 0 {
                    out.append(folded[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: i)])
                    start = -1
                }
            }
            return out
        } ?? nil
        return ascii ?? splitWords(folded)
    }

    /// The character loop `words` stands for (its reference in the tests).
    static func wordsByCharacters(_ text: String) -> [Substring] { splitWords(folded(text)) }

    /// The runs of letters, numbers, `'` and `_` (as characters).
    static func splitWords(_ folded: String) -> [Substring] {
        Substring(folded).split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "_") }
    }

    /// `text` lower-cased, with U+2019 as an apostrophe (it can only occur where an E2 byte does).
    static func folded(_ text: String) -> String {
        let lower = TextBytes.lowercased(text)
        return lower.utf8.contains(0xE2) ? apostrophes(lower) : lower
    }

    /// `s.replacingOccurrences(of: "\u{2019}", with: "'")`: by bytes when every U+2019 has an
    /// ASCII byte (or an end) on both sides, so no neighbour can join it (no character is
    /// canonically equivalent to it); else Foundation's.
    static func apostrophes(_ s: String) -> String {
        var text = s
        let replaced: String? = text.withUTF8 { b -> String? in
            let at = ByteSearch.offsets(of: [0xE2, 0x80, 0x99], in: b)
            if at.isEmpty { return s }
            for m in at where m > 0 && b[m - 1] >= 0x80 || m + 3 < b.count && b[m + 3] >= 0x80 { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var from = 0
            for m in at {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[from..<m]))
                out.append(0x27)
                from = m + 3
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[from...]))
            return String(decoding: out, as: UTF8.self)
        }
        return replaced ?? s.replacingOccurrences(of: "\u{2019}", with: "'")
    }

    /// True when `phrase` (one or more words) occurs in `text` as whole words.
    static func contains(_ text: String, phrase: String) -> Bool {
        index(of: phrase, in: words(text)) != nil
    }

    /// Phrases split into their words once, for `containsAny(words:_:)` over many texts.
    struct Phrases: Sendable {
        let words: [[String]]
        let ascii: [Bool]

        init(_ phrases: [String]) {
            words = phrases.map { RuleText.phraseWords($0).map(String.init) }
            ascii = phrases.map { $0.utf8.allSatisfy { $0 < 0x80 } }
        }
    }

    /// Whether one of `phrases` occurs in the words `w` (of a text, by `words`) as whole words.
    static func containsAny(words w: [Substring], _ phrases: Phrases) -> Bool {
        zip(phrases.words, phrases.ascii).contains { index(ofWords: $0, ascii: $1, in: w) != nil }
    }

    static func index(of phrase: String, in w: [Substring]) -> Int? {
        index(ofWords: phraseWords(phrase), ascii: phrase.utf8.allSatisfy { $0 < 0x80 }, in: w)
    }

    /// Where the words `p` of a phrase start in `w`. An ASCII phrase word equals a word exactly
    /// when their bytes do: no other character is canonically equivalent to a lower-case ASCII
    /// letter, digit, `'` or `_`.
    static func index<S: StringProtocol>(ofWords p: [S], ascii: Bool, in w: [Substring]) -> Int? {
        guard !p.isEmpty, w.count >= p.count else { return nil }
        func same(_ a: Substring, _ b: S) -> Bool {
            ascii ? a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8) : a == b
        }
        for i in 0...(w.count - p.count) where same(w[i], p[0]) {
            if (1..<p.count).allSatisfy({ same(w[i + $0], p[$0]) }) { return i }
        }
        return nil
    }

    /// `words(phrase)`; a phrase of lower-case ASCII letters, digits, `'` and `_` between
    /// spaces (every marker list) is split at its spaces, with no lower-cased copy made.
    static func phraseWords(_ phrase: String) -> [Substring] {
        let simple = phrase.utf8.allSatisfy { $0 &- 0x61 < 26 || $0 &- 0x30 < 10 || $0 == 0x27 || $0 == 0x5F || $0 == 0x20 }
        return simple ? phrase.split(separator: " ") : words(phrase)
    }

    static let abbreviations: Set<String> = ["e.g", "i.e", "etc", "vs", "cf", "approx", "no", "incl"]

    /// Sentences of `text`: a break at a newline, or at `.`/`!`/`?` followed by white space and
    /// then an upper-case letter, a digit, a quote or the end — never inside a code span, so
    /// `db/seeds.rb`, `v1.2.3`, `config.toml` and `a.b()` stay whole.
    static func sentences(_ text: String) -> [String] {
        // Plain ASCII (no CR) by bytes: each byte is a character, so the loop below on bytes.
        if TextBytes.isPlainASCII(text) {
            var t = text
            return t.withUTF8(sentencesOfPlainASCII)
        }
        return sentencesByCharacters(text)
    }

    /// `sentencesByCharacters` on the bytes of plain-ASCII text (see `TextBytes.isPlainASCII`).
    static func sentencesOfPlainASCII(_ b: UnsafeBufferPointer<UInt8>) -> [String] {
        var out: [String] = []
        var start = 0  // where the current sentence starts
        var inCode = false
        let n = b.count
        func flush(_ end: Int) {
            let t = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self).trimmingWhitespace()
            if !t.isEmpty { out.append(t) }
        }
        /// The last space-separated word of b[start..<end], lower-cased, without `([\"'` at its ends.
        func lastWord(_ end: Int) -> String {
            var e = end
            while e > start && b[e - 1] == 0x20 { e -= 1 }
            var a = e
            while a > start && b[a - 1] != 0x20 { a -= 1 }
            func trims(_ c: UInt8) -> Bool { c == 0x28 || c == 0x5B || c == 0x22 || c == 0x27 }
            while a < e && trims(b[a]) { a += 1 }
            while e > a && trims(b[e - 1]) { e -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[a..<e]), as: UTF8.self).lowercased()
        }
        var i = 0
        while i < n {
            let ch = b[i]
            if ch == 0x60 { inCode.toggle() }
            if ch == 0x0A && !inCode { flush(i); start = i + 1; i += 1; continue }
            if !inCode, ch == 0x2E || ch == 0x21 || ch == 0x3F {
                let next: UInt8 = i + 1 < n ? b[i + 1] : 0x20
                var k = i + 1
                while k < n && b[k] == 0x20 { k += 1 }
                let after: UInt8 = k < n ? b[k] : 0x41
                if next == 0x20 || next == 0x0A || i + 1 == n,
                   after &- 0x41 < 26 || after &- 0x30 < 10 || after == 0x22 || after == 0x60 || after == 0x0A || k >= n,
                   ch != 0x2E || !abbreviations.contains(lastWord(i)) {
                    flush(i + 1)
                    start = i + 1
                }
            }
            i += 1
        }
        flush(n)
        return out
    }

    /// The character loop `sentences` stands for (its reference in the tests).
    static func sentencesByCharacters(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inCode = false
        let chars = Array(text)
        var i = 0
        func flush() {
            let t = current.trimmingWhitespace()
            if !t.isEmpty { out.append(t) }
            current = ""
        }
        while i < chars.count {
            let ch = chars[i]
            if ch == "`" { inCode.toggle() }
            if ch == "\n" && !inCode { flush(); i += 1; continue }
            current.append(ch)
            if !inCode, ch == "." || ch == "!" || ch == "?" {
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                var k = i + 1
                while k < chars.count && chars[k] == " " { k += 1 }
                let after = k < chars.count ? chars[k] : "A"
                let lastWord = Self.lastWord(current.dropLast()).map { String($0).lowercased().trimmed(of: "([\"'") } ?? ""
                if next == " " || next == "\n" || i + 1 == chars.count,
                   after.isUppercase || after.isNumber || after == "\"" || after == "`" || after == "\n" || k >= chars.count,
                   ch != "." || !abbreviations.contains(lastWord) {
                    flush()
                }
            }
            i += 1
        }
        flush()
        return out
    }

    /// `text.split(separator: " ").last`, looking only at the end of the text.
    static func lastWord(_ text: Substring) -> Substring? {
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
        guard end > text.startIndex else { return nil }
        let head = text[..<end]
        let start = head.lastIndex(of: " ").map { head.index(after: $0) } ?? head.startIndex
        return head[start...]
    }

    /// A line that was pasted from a terminal, a log or a program's output rather than typed:
    /// shell prompts, log levels, timestamps, stack frames, box drawing, diff and table rows.
    static func looksPasted(_ line: String) -> Bool {
        let t = line.trimmingWhitespace()
        if t.isEmpty { return false }
        let lower = t.lowercased()
        for p in ["$ ", "% ", "> ", "❯", "➜", ">>> ", "at ", "file \"", "traceback", "error:", "warning:", "warn ", "info ",
                  "debug ", "[info", "[warn", "[error", "[debug", "fatal:", "npm err", "+ ", "- [", "|", "│", "┃", "╭", "╰", "└",
                  "├", "==>", "-->", "=> ", "#", "e   ", "exit code", "error[", "thread '", "panic", "./", "~/"] where lower.hasPrefix(p) {
            return true
        }
        if line.hasPrefix("  ") || line.hasPrefix("\t") { return true }
        // 12:34:56 or 2026-01-02 near the start.
        let head = Array(t.prefix(24))
        for k in 0..<max(0, head.count - 4) where head[k].isNumber && head[k + 2] == ":" && head[k + 3].isNumber { return true }
        for k in 0..<max(0, head.count - 9) where head[k].isNumber && head[k + 4] == "-" && head[k + 7] == "-" { return true }
        // The symbols are not ASCII: an ASCII line holds none.
        if !t.utf8.allSatisfy({ $0 < 0x80 }),
           ["✓", "✗", "✘", "⎿", "●", "⏺", "✻", "⚠", "▸", "⠋", "⠙", "⠹"].contains(where: { t.contains($0) }) { return true }
        return false
    }

    /// A line of a program's help or usage text.
    static func looksLikeUsage(_ line: String) -> Bool {
        let t = line.trimmingWhitespace()
        let lower = t.lowercased()
        if lower.hasPrefix("usage:") || TextBytes.contains(lower, " usage: ") || lower.hasPrefix("options:") || lower.hasPrefix("commands:")
            || lower.hasPrefix("arguments:") || lower.hasPrefix("flags:") { return true }
        // "-f, --force   Do the thing" / "--dry-run  Print only"
        if t.hasPrefix("-") && !t.hasPrefix("- ") { return true }
        if TextBytes.contains(t, "  --") || TextBytes.contains(t, "[options]") || TextBytes.contains(t, "[OPTIONS]") || TextBytes.contains(t, "<command>") { return true }
        return false
    }

    /// Status lines of a summary or a to-do list: progress, not lessons.
    static func isStatusLine(_ line: String) -> Bool {
        let lower = line.trimmingWhitespace().lowercased()
        for p in ["remaining", "still need", "still to", "in progress", "todo", "to do", "to-do", "next step", "next:", "pending",
                  "fixed ", "added ", "created ", "updated ", "completed", "done", "[x]", "[ ]", "✅", "❌", "working on",
                  "current", "now ", "user ", "the user", "i ", "i'", "we ", "status", "verified", "implemented", "removed ",
                  "changed ", "ran ", "tested ", "wrote ", "moved ", "renamed ", "refactored ", "committed", "pushed", "merged"]
            where lower.hasPrefix(p) {
            return true
        }
        return false
    }

    /// Backticked spans of `text`.
    static func codeSpans(_ text: String) -> [String] {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return [] }
        return stride(from: 1, to: parts.count - 1, by: 2).map { String(parts[$0]) }.filter { !$0.isEmpty }
    }

    /// Names a tool, a command, a path, a flag or a file: what makes a sentence a reusable rule.
    static func namesSomethingConcrete(_ text: String) -> Bool {
        if !codeSpans(text).isEmpty { return true }
        for raw in text.split(separator: " ") {
            let w = String(raw).trimmed(of: ",.;:!?()\"'")
            if w.hasPrefix("--") && w.count > 3 { return true }
            if w.contains("/") && w.count > 2 && !w.hasPrefix("http") { return true }
            if let dot = w.lastIndex(of: "."), dot != w.startIndex, w[w.index(after: dot)...].count >= 2,
               w[w.index(after: dot)...].allSatisfy({ $0.isLetter }) { return true }
        }
        return false
    }
}

extension String {
    func trimmed(of set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
