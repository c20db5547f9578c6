/// Reading what a tool call printed: whether it failed (also when it said so only in its output),
/// which line says why, what the user said when rejecting it, what a plan document explains.
enum ToolOutputReading {
    /// The non-empty lines of a tool output, trimmed, without colour codes and `<tool_use_error>`
    /// tags; at most `limit` of them (the rest of the text is not split). CR, LF and CR LF are
    /// always character boundaries, so the bytes are split; colour codes never span a line.
    /// Output that arrives with escaped newlines ("a\\nb") is unescaped first.
    static func lines(_ text: String, limit: Int = Int.max) -> [String] {
        var t = ByteSearch.contains(text, "\n") && !text.hasPrefix("Pre-commit") || !ByteSearch.contains(text, "\\n") ? text
            : TextBytes.replacing(text, "\\n", with: "\n")
        let ansi = ByteSearch.contains(t, "\u{1B}[")
        var out: [String] = []
        t.withUTF8 { b in
            var start = 0
            func add(_ end: Int) {
                guard end > start else { return }
                var line = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
                if ansi && ByteSearch.contains(line, "\u{1B}[") { line = stripANSI(line) }
                if ByteSearch.contains(line, "tool_use_error>") {
                    line = TextBytes.replacing(TextBytes.replacing(line, "<tool_use_error>", with: ""), "</tool_use_error>", with: "")
                }
                line = line.trimmingWhitespace()
                if !line.isEmpty { out.append(line) }
            }
            var i = 0
            while i < b.count && out.count < limit {
                if b[i] == 0x0A || b[i] == 0x0D {
                    add(i)
                    start = i + 1
                }
                i += 1
            }
            if out.count < limit { add(b.count) }
        }
        return out
    }

    /// Text without terminal colour codes (`ESC[1;33m`).
    /// (`\u{1B}\[[0-9;?]*[A-Za-z]` as a regular expression: `stripANSIBytes`.)
    static func stripANSI(_ s: String) -> String {
        var s = s
        return s.withUTF8 { String(decoding: stripANSIBytes($0), as: UTF8.self) }
    }

    /// The bytes without the colour codes `stripANSI` removes (`ESC [`, digits, `;` or `?`, a
    /// letter): every byte of the pattern is ASCII, so the same matches, left to right.
    static func stripANSIBytes(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == 0x1B, i + 1 < b.count, b[i + 1] == 0x5B {
                var j = i + 2
                while j < b.count, b[j] &- 0x30 < 10 || b[j] == 0x3B || b[j] == 0x3F { j += 1 }
                if j < b.count, b[j] &- 0x41 < 26 || b[j] &- 0x61 < 26 { i = j + 1; continue }
            }
            out.append(b[i])
            i += 1
        }
        return out
    }

    /// How strongly a line says "this is the error" (0: not at all); `lower` is the line's
    /// `TextBytes.lowercasedForMatching`.
    static func errorSignal(_ line: String, lower: String) -> Int {
        func has(_ needle: String) -> Bool { ByteSearch.contains(lower, needle) }
        if line.hasPrefix("[FAIL") || line.hasPrefix("FAILED") || line.hasPrefix("✘") || line.hasPrefix("✗") || line.hasPrefix("❌") { return 5 }
        if lower.hasPrefix("error:") || lower.hasPrefix("error[") || lower.hasPrefix("fatal:") || lower.hasPrefix("npm err!")
            || lower.hasPrefix("e   ") || lower.hasPrefix("panic:") || lower.hasPrefix("thread '") && has("panicked") { return 5 }
        if ByteSearch.containsAny(lower, signal5) { return 5 }
        // The last line of a Python traceback: `KeyError: 'x'`.
        if let colon = firstColon(line), line[..<colon].hasSuffix("Error") || line[..<colon].hasSuffix("Exception"),
           !line[..<colon].contains(" ") { return 5 }
        if ByteSearch.containsAny(lower, signal4) || lower.hasPrefix("finding:") { return 4 }
        if ByteSearch.containsAny(lower, signal3) { return 3 }
        if lower.hasPrefix("warning") || ByteSearch.containsAny(lower, signal2) { return 2 }
        return 0
    }

    /// The phrases that give a line each signal strength (see `errorSignal`).
    static let signal5 = ["command not found", "no such option", "no such file or directory", "permission denied", "is not recognized as",
                          "unknown option", "unrecognized arguments", "not found:"].map(ByteSearch.Needle.init)
    static let signal4 = [" error:", ": error", "error ts", "exception:"].map(ByteSearch.Needle.init)
    static let signal3 = ["failed", "failure", "cannot ", "can't ", "could not", "unable to", "invalid", "denied", "\"success\": false",
                          "\"success\":false", "\"error\""].map(ByteSearch.Needle.init)
    static let signal2 = ["warning:", "not found", "missing"].map(ByteSearch.Needle.init)

    /// `line.firstIndex(of: ":")`: the first `:` byte that is a character by itself (none with a
    /// combining mark after it or a Prepend scalar before it).
    static func firstColon(_ line: String) -> String.Index? {
        let offset: Int?? = line.utf8.withContiguousStorageIfAvailable { b -> Int? in
            for i in 0..<b.count where b[i] == 0x3A && TextBytes.standsAlone(b, i) { return i }
            return nil
        }
        guard let offset else { return line.firstIndex(of: ":") }
        return offset.map { line.utf8.index(line.utf8.startIndex, offsetBy: $0) }
    }

    static func isNoise(_ line: String, lower: String) -> Bool {
        lower.hasPrefix("exit code") || lower.hasPrefix("npm warn") || lower.hasPrefix("getting extensions")
            || lower.hasPrefix("running setup") || lower.hasPrefix("compiling ") || lower.hasPrefix("generated ")
            || lower.hasPrefix("running exunit") || lower.hasPrefix("finding suitable") || lower.hasPrefix("checking plt")
            || lower.hasPrefix("traceback (most recent call last)") || lower.hasPrefix("pre-commit validation failed")
            || !TextBytes.hasLetterOrNumber(line)
    }

    /// The line with the strongest error signal (the last of equals: a traceback ends with its
    /// error), else the first line that is not noise; and one line of context next to it.
    static func errorLine(_ text: String) -> (line: String, context: String?) {
        let all = lines(text, limit: 400)
        guard !all.isEmpty else { return ("", nil) }
        // Each line lower-cased once, judged once.
        let lower = all.map(TextBytes.lowercasedForMatching)
        let noise = all.indices.map { isNoise(all[$0], lower: lower[$0]) }
        let signal = all.indices.map { noise[$0] ? 0 : errorSignal(all[$0], lower: lower[$0]) }
        var best = -1, bestSignal = 0
        for (i, l) in all.enumerated() where !noise[i] {
            let s = signal[i]
            if s > bestSignal || (s == bestSignal && s >= 5 && TextBytes.contains(l, "Error") && !TextBytes.contains(all[best], "[FAIL")) {
                best = i
                bestSignal = s
            }
        }
        if best < 0 { best = noise.firstIndex { !$0 } ?? 0 }
        let line = String(all[best].prefix(300))
        // Context: a neighbour that also signals an error (after first), else the line before a
        // closing error (a traceback's code line), else the line after.
        let before: String? = best > 0 && !noise[best - 1] && all[best - 1] != line ? all[best - 1] : nil
        let after: String? = best + 1 < all.count && !noise[best + 1] ? all[best + 1] : nil
        let context: String?
        if after != nil, signal[best + 1] > 0 { context = after }
        else if before != nil, signal[best - 1] > 0 { context = before }
        else if after == nil { context = before }
        else { context = after }
        return (line, context.map { String($0.prefix(200)) })
    }

    /// Output that states a failure although the call returned no error flag: on the first
    /// 20,000 characters, the phrases of `failurePhrases` in any case, or a line (of the first
    /// 300) starting with one of `failureLinePrefixes`. Byte-level: the phrases are searched in an
    /// ASCII-lower-cased copy of the bytes, and lines are split only when one of the prefixes
    /// occurs at all. Same answers as `statesFailureByCharacters` (the reference, compared on
    /// every fixture output by ToolOutputReadingTests), which it falls back to for U+212A.
    static func statesFailure(_ text: String) -> Bool {
        let limit = 20_000
        var end = text.utf8.count
        if end > limit { end = TextBytes.prefixLength(text, limit).bytes }
        var t = text
        return t.withUTF8 { all -> Bool in
            let head = UnsafeBufferPointer(rebasing: all[0..<end])
            guard head.count > 0 else { return false }
            func raw(_ needle: ByteSearch.Needle) -> Bool { needle.offset(in: head) != nil }
            // Unicode lower-casing maps U+212A to "k" (in "traceback": the reference decides) and
            // U+0130 to "i" + U+0307, every other non-ASCII letter to non-ASCII; no phrase has an
            // "i" at its end or before a non-ASCII byte, so Turkish text needs no Unicode lower case.
            if raw(kelvinSign) { return statesFailureByCharacters(text) }
            let lower = [UInt8](unsafeUninitializedCapacity: head.count) { out, n in
                for i in 0..<head.count { let c = head[i]; out[i] = c &- 0x41 < 26 ? c | 0x20 : c }
                n = head.count
            }
            let stated = lower.withUnsafeBufferPointer { l in failurePhraseNeedles.contains { $0.offset(in: l) != nil } }
            if stated { return true }
            // A line can start with a prefix only if the bytes hold it where only blanks separate
            // it from a line break (stripping colour codes or <tool_use_error> tags could join
            // one: those texts take the reference's line loop).
            if raw(toolUseErrorTag) { return statesFailureInLines(String(decoding: head, as: UTF8.self)) }
            let maybe: Bool
            if raw(colourCode) {
                // Colour codes never span a line, and `lines` strips them (by this pattern) before
                // trimming: the same check on the bytes without them.
                maybe = stripANSIBytes(head).withUnsafeBufferPointer { b in failureLinePrefixNeedles.contains { mayStartLine($0, in: b) } }
            } else {
                maybe = failureLinePrefixNeedles.contains { mayStartLine($0, in: head) }
            }
            return maybe && statesFailureInLines(String(decoding: head, as: UTF8.self))
        }
    }

    static let failurePhrases = ["\"success\": false", "\"success\":false", "\"error\": \"", "\"error\":\"", "\"error\": {",
                                 "traceback (most recent call last)", "command not found", "no such option",
                                 "is not recognized as an internal or external command"]
    static let failurePhraseNeedles = failurePhrases.map(ByteSearch.Needle.init)
    static let failureLinePrefixes = ["Error:", "error:", "ERROR:", "fatal:", "[FAIL", "FAILED", "✘", "npm ERR!"]

    static let failureLinePrefixNeedles = failureLinePrefixes.map(ByteSearch.Needle.init)
    static let kelvinSign = ByteSearch.Needle("\u{212A}"), toolUseErrorTag = ByteSearch.Needle("tool_use_error>")
    static let colourCode = ByteSearch.Needle("\u{1B}[")

    /// Whether `prefix` occurs in `b` after nothing but a line break (LF, CR, an escaped `\n`,
    /// which `lines` unescapes, or the start) and bytes that may be whitespace (controls, space,
    /// any non-ASCII byte): a necessary condition for a trimmed line of `lines(b)` to start with it.
    static func mayStartLine(_ prefix: ByteSearch.Needle, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        var from = 0
        while let at = prefix.offset(in: b, from: from) {
            var k = at - 1
            while k >= 0, b[k] >= 0x80 || b[k] <= 0x20 && b[k] != 0x0A && b[k] != 0x0D { k -= 1 }
            if k < 0 || b[k] == 0x0A || b[k] == 0x0D || b[k] == UInt8(ascii: "n") && k > 0 && b[k - 1] == UInt8(ascii: "\\") {
                return true
            }
            from = at + 1
        }
        return false
    }

    /// The character-based original of `statesFailure`, kept as its reference.
    static func statesFailureByCharacters(_ text: String) -> Bool {
        let head = String(text.prefix(20_000))
        let lower = head.lowercased()
        if failurePhrases.contains(where: { ByteSearch.contains(lower, $0) }) { return true }
        return statesFailureInLines(head)
    }

    static func statesFailureInLines(_ head: String) -> Bool {
        for l in lines(head, limit: 300) where failureLinePrefixes.contains(where: { l.hasPrefix($0) }) { return true }
        return false
    }

    /// A command that hides its own exit status, so failures show only in its output.
    static func hidesStatus(_ command: String) -> Bool {
        func has(_ needle: String) -> Bool { TextBytes.contains(command, needle) }
        return has("|| true") || has("2>/dev/null") || has("; echo") || has("|| echo")
            || has("2>&1 | tail") || has("2>&1 | head") || has("; exit 0")
    }

    static let rejectionMarker = "the user said:"

    /// What the user wrote after Claude Code's fixed rejection text, without the boilerplate after it.
    static func rejectionReason(_ text: String) -> String? {
        guard let r = text.range(of: rejectionMarker, options: .caseInsensitive) else { return nil }
        var reason = String(text[r.upperBound...])
        for tail in ["\n\nNote: The user's next message", "\nNote: The user's next message"] {
            if let t = reason.range(of: tail) { reason = String(reason[..<t.lowerBound]) }
        }
        reason = reason.trimmingWhitespace()
        if reason.hasPrefix("The user wants to clarify these questions") { return nil }
        return reason.isEmpty ? nil : reason
    }

    /// Sections of a plan or spec that say why: Context, Why, Background, Root cause, Problem,
    /// Motivation, Decision, Rationale. `Read` output has line-number prefixes (`  12→`, `12\t`).
    static func documentExcerpt(_ content: String, cap: Int = 600) -> String? {
        var sections: [(title: String, body: [String])] = []
        var current: (title: String, body: [String])?
        for raw in TextBytes.lines(content, limit: 2000) {
            let line = stripLineNumber(raw)
            let trimmed = line.trimmingWhitespace()
            if trimmed.hasPrefix("#") {
                if let c = current { sections.append(c) }
                let title = trimmed.drop { $0 == "#" || $0 == " " }
                current = (String(title), [])
            } else if current != nil, !trimmed.isEmpty {
                current!.body.append(trimmed)
            }
        }
        if let c = current { sections.append(c) }
        let wanted = ["context", "why", "background", "root cause", "problem", "motivation", "rationale", "decision", "goal"]
        let kept = sections.filter { s in
            let t = s.title.lowercased()
            return !s.body.isEmpty && wanted.contains { t.hasPrefix($0) || TextBytes.contains(t, " " + $0) }
        }
        guard !kept.isEmpty else { return nil }
        let text = kept.map { "\($0.title): " + $0.body.joined(separator: " ") }.joined(separator: " | ")
        return text.count <= cap ? text : String(text.prefix(cap - 1)) + "…"
    }

    /// Header phrases of generated files (Go's `Code generated … DO NOT EDIT.`, `@generated`, …).
    static let generatedMarkers = ["do not edit", "@generated", "code generated", "auto-generated", "autogenerated",
                                   "automatically generated", "this file is generated", "this file was generated", "generated by"]

    /// The line of a file's header (its leading comment block, at most 6 lines) that says the file
    /// is generated, else nil. Only the header counts: code that mentions "auto-generated" is not one.
    static func generatedMarker(_ content: String) -> String? {
        var seen = 0
        for raw in TextBytes.split(TextBytes.prefix(content, 2_000), maxSplits: 8) {
            let line = stripLineNumber(raw).trimmingWhitespace()
            guard !line.isEmpty else { continue }
            seen += 1
            if seen > 6 { break }
            // The header is the leading comment block: the first code line ends it.
            let isComment = ["//", "#", "/*", "*", "--", ";", "<!--"].contains { line.hasPrefix($0) }
                || seen == 1 && (line.hasPrefix("\"\"\"") || line.hasPrefix("'''"))
            guard isComment else { break }
            let lower = TextBytes.lowercasedForMatching(line)
            if generatedMarkers.contains(where: { TextBytes.contains(lower, $0) }) { return String(line.prefix(160)) }
        }
        return nil
    }

    static func stripLineNumber(_ line: String) -> String {
        // By bytes: spaces, ASCII digits, then a tab or "→" with an ASCII byte (or nothing) after
        // it, so no combining mark joins them; anything non-ASCII on the way takes the loop below.
        let fast: String?? = line.utf8.withContiguousStorageIfAvailable { b -> String? in
            var i = 0
            while i < b.count && b[i] == 0x20 { i += 1 }
            let digits = i
            while i < b.count && b[i] &- 0x30 < 10 { i += 1 }
            guard i < b.count else { return line }
            if i == digits { return b[i] < 0x80 ? line : nil }
            var next = i
            if b[i] == 0x09 { next = i + 1 }
            else if b[i] == 0xE2 && i + 2 < b.count && b[i + 1] == 0x86 && b[i + 2] == 0x92 { next = i + 3 }
            else { return b[i] < 0x80 ? line : nil }
            guard next == b.count || b[next] < 0x80 else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: b[next...]), as: UTF8.self)
        }
        if let fast, let fast { return fast }
        return stripLineNumberByCharacters(line)
    }

    /// The character loop `stripLineNumber` stands for (its reference in the tests).
    static func stripLineNumberByCharacters(_ line: String) -> String {
        var s = Substring(line)
        let spaces = s.prefix { $0 == " " }
        s = s.dropFirst(spaces.count)
        let digits = s.prefix { $0.isNumber }
        guard !digits.isEmpty else { return line }
        let rest = s.dropFirst(digits.count)
        if rest.hasPrefix("→") || rest.hasPrefix("\t") { return String(rest.dropFirst()) }
        return line
    }

    /// Markdown read as a plan or spec: any `.md` before the first edit, or a file under a plan-like folder.
    static func isPlanLike(path: String, beforeFirstEdit: Bool) -> Bool {
        let lower = path.lowercased()
        guard lower.hasSuffix(".md") || lower.hasSuffix(".markdown") || lower.hasSuffix(".txt") else { return false }
        if lower.hasSuffix("/claude.md") || lower.hasSuffix("/readme.md") || lower == "claude.md" || lower.hasSuffix("/skill.md") {
            return false
        }
        let planFolders = ["/plans/", "/plan/", "/specs/", "/spec/", "/adr/", "/rfcs/", "/rfc/", "/design/", "/proposals/", "/.claude/plans/"]
        if planFolders.contains(where: { TextBytes.contains(lower, $0) }) { return true }
        let name = (lower as NSString).lastPathComponent
        if ["plan", "spec", "design", "adr"].contains(where: { TextBytes.contains(name, $0) }) { return true }
        return beforeFirstEdit && lower.hasSuffix(".md")
    }
}

import Foundation
