/// `.claude/learnings.md` as a value (DESIGN.md §2): a preamble (the `# Learnings` header and
/// anything before the first dated section), then sections headed `## YYYY-MM-DD (machine)`,
/// newest first, each holding `- ` bullets.
///
/// Parsing never rejects or rewrites anything: every line is kept with its own terminator, text
/// the user added between sections (prose, other headings, blank lines) stays attached to the
/// section above it, and `LearningsDocument(parsing: s).rendered() == s` for every string `s`.
/// Only `append` and `merge` change text, and only by inserting or removing whole lines.
public struct LearningsDocument: Sendable, Equatable {
    /// One `## YYYY-MM-DD (machine)` section and every line up to the next such heading.
    public struct Section: Sendable, Equatable {
        /// `YYYY-MM-DD` as written in the heading.
        public var date: String
        /// The machine name between the parentheses.
        public var machine: String
        var heading: TextLine
        var body: [TextLine]

        /// The section's bullet texts (marker removed, continuation lines joined with a space).
        public var bullets: [String] {
            LearningsDocument.chunks(body).compactMap { if case .bullet(let t) = $0.kind { return t } else { return nil } }
        }

        var key: SectionKey { SectionKey(date: date, machine: machine) }
    }

    struct SectionKey: Hashable { var date: String; var machine: String }

    /// The path of the file inside a repository.
    public static let relativePath = ".claude/learnings.md"

    /// The header a new file starts with.
    public static let header = """
        # Learnings
        <!-- Maintained by context-sync. Edit freely: sections are merged by date and machine. -->

        """

    var preamble: [TextLine]
    /// The dated sections in file order.
    public internal(set) var sections: [Section]

    /// Parses any text; never fails.
    public init(parsing text: String) {
        preamble = []
        sections = []
        for line in TextLines.split(text) {
            if let (date, machine) = Self.parseHeading(line.content) {
                sections.append(Section(date: date, machine: machine, heading: line, body: []))
            } else if sections.isEmpty {
                preamble.append(line)
            } else {
                sections[sections.count - 1].body.append(line)
            }
        }
    }

    /// An empty document (renders as the empty string; `append` adds the header).
    public init() {
        self.init(parsing: "")
    }

    /// The file's text: exactly the parsed input when nothing was changed.
    public func rendered() -> String {
        var out = TextLines.join(preamble)
        for s in sections {
            out += s.heading.rendered
            out += TextLines.join(s.body)
        }
        return out
    }

    /// Every bullet in the file, in file order.
    public var allBullets: [String] { sections.flatMap(\.bullets) }

    /// Adds `bullets` to the section for `date` and `machine`, creating it (in date order, so at
    /// the top for today) when missing, and the file's header when the file is empty. A bullet
    /// that is already in the file (or earlier in `bullets`) is skipped, by the one rule every
    /// path uses (`LearningDedupe`: the same `normalizeForDedupe` form, or a rewording of it), as
    /// are empty ones. A leading `- ` / `* ` marker and line breaks inside a bullet are tidied.
    /// Returns the bullets actually added, as written; nothing changes when none is.
    @discardableResult
    public mutating func append(bullets: [String], date: String, machine: String) -> [String] {
        var seen = LearningDedupe.Index(allBullets)
        var added: [String] = []
        for raw in bullets {
            let text = Self.tidyBullet(raw)
            let key = LearningDedupe.Key(text)
            guard !text.isEmpty, !key.normalized.isEmpty, !seen.containsDuplicate(of: key) else { continue }
            seen.insert(key)
            added.append(text)
        }
        guard !added.isEmpty else { return [] }
        let machine = Self.tidyMachine(machine)
        let eol = lineEnding
        if preamble.allSatisfy(\.isBlank) && sections.isEmpty {
            preamble = TextLines.split(Self.header.replacingOccurrences(of: "\n", with: eol))
        }
        let lines = added.map { TextLine("- " + $0, ending: eol) }
        if let i = sections.firstIndex(where: { $0.date == date && $0.machine == machine }) {
            Self.insertBullets(lines, into: &sections[i], eol: eol)
        } else {
            insertSection(Section(date: date, machine: machine,
                                  heading: TextLine("## \(date) (\(machine))", ending: eol),
                                  body: [TextLine("", ending: eol)] + lines), eol: eol)
        }
        return added
    }

    /// The text of a section holding `bullets`, as `append` would write it into a new section
    /// (for previews such as `--dry-run`).
    public static func section(bullets: [String], date: String, machine: String) -> String {
        "## \(date) (\(tidyMachine(machine)))\n\n" + bullets.map { "- " + tidyBullet($0) + "\n" }.joined()
    }

    // MARK: - Dedupe

    /// The form two bullets are compared in: lower-cased; backticks, quotes and apostrophes
    /// dropped; a leading list marker removed; every other run of punctuation, path separators
    /// and whitespace turned into one space (so `./src/main.go`, `src/main.go/` and
    /// `` `src/main.go` `` compare equal); trimmed.
    public static func normalizeForDedupe(_ text: String) -> String {
        TextBytes.isASCII(text) ? normalizeASCIIForDedupe(text) : normalizeScalarsForDedupe(text)
    }

    /// `normalizeForDedupe` scalar by scalar (any text; the reference for the ASCII version).
    static func normalizeScalarsForDedupe(_ text: String) -> String {
        var s = Substring(text.lowercased())
        s = s.drop(while: { $0 == " " || $0 == "\t" })
        if let f = s.first, (f == "-" || f == "*" || f == "+"), s.dropFirst().first == " " { s = s.dropFirst(2) }
        var out = ""
        var pendingSpace = false
        for ch in s.unicodeScalars {
            switch ch {
            case "`", "'", "\u{2019}", "\u{2018}", "\"", "\u{201C}", "\u{201D}":
                continue
            default:
                if ch.properties.isAlphabetic || ch.properties.numericType != nil {
                    if pendingSpace && !out.isEmpty { out.unicodeScalars.append(" ") }
                    pendingSpace = false
                    out.unicodeScalars.append(ch)
                } else {
                    pendingSpace = true
                }
            }
        }
        return out
    }

    /// `normalizeForDedupe` of an ASCII text, from its bytes: the letters and digits are the
    /// ASCII scalars that are alphabetic or numeric; `-`, `*` or `+` and a space after leading
    /// blanks is a list marker.
    static func normalizeASCIIForDedupe(_ text: String) -> String {
        var text = text
        return text.withUTF8 { b -> String in
            var i = 0
            while i < b.count && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
            if i + 1 < b.count, b[i] == 0x2D || b[i] == 0x2A || b[i] == 0x2B, b[i + 1] == 0x20 { i += 2 }
            return String(unsafeUninitializedCapacity: b.count, initializingUTF8With: { out in
                var k = 0
                var pendingSpace = false
                while i < b.count {
                    let c = b[i]
                    i += 1
                    if c == 0x60 || c == 0x27 || c == 0x22 { continue }  // ` ' "
                    let lower = Ascii.lower(c)
                    if lower &- 0x61 < 26 || c &- 0x30 < 10 {
                        if pendingSpace && k > 0 { out[k] = 0x20; k += 1 }
                        pendingSpace = false
                        out[k] = lower
                        k += 1
                    } else {
                        pendingSpace = true
                    }
                }
                return k
            })
        }
    }

    // MARK: - Parsing helpers

    /// `## YYYY-MM-DD (machine)` (trailing spaces allowed) -> (date, machine).
    static func parseHeading(_ content: String) -> (String, String)? {
        guard content.hasPrefix("## ") else { return nil }
        var rest = content.dropFirst(3)
        while rest.last == " " || rest.last == "\t" { rest = rest.dropLast() }
        let u = Array(rest.utf8)
        guard u.count >= 14 else { return nil }
        for (i, c) in u.prefix(10).enumerated() {
            let digit = c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
            if i == 4 || i == 7 { guard c == UInt8(ascii: "-") else { return nil } } else { guard digit else { return nil } }
        }
        guard u[10] == UInt8(ascii: " "), u[11] == UInt8(ascii: "("), u.last == UInt8(ascii: ")") else { return nil }
        let machine = String(decoding: u[12..<(u.count - 1)], as: UTF8.self)
        guard !machine.isEmpty else { return nil }
        return (String(decoding: u[0..<10], as: UTF8.self), machine)
    }

    enum ChunkKind: Equatable {
        /// A `- `, `* ` or `+ ` line at column 0 plus its indented continuation lines.
        case bullet(String)
        /// Any other non-blank line (prose, other headings).
        case other(String)
        case blank
    }

    struct Chunk { var range: Range<Int>; var kind: ChunkKind }

    static func bulletText(_ content: String) -> String? {
        // Plain ASCII by bytes (each byte a character): the same marker test and trim.
        if TextBytes.isPlainASCII(content) {
            var c = content
            return c.withUTF8 { b -> String? in
                guard b.count >= 2, b[0] == 0x2D || b[0] == 0x2A || b[0] == 0x2B, b[1] == 0x20 || b[1] == 0x09 else { return nil }
                func blank(_ x: UInt8) -> Bool { x == 0x20 || x == 0x09 || x == 0x0A }
                var i = 1, j = b.count
                while i < j && blank(b[i]) { i += 1 }
                while j > i && blank(b[j - 1]) { j -= 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: b[i..<j]), as: UTF8.self)
            }
        }
        return bulletTextByCharacters(content)
    }

    /// The character test `bulletText` stands for (its reference in the tests).
    static func bulletTextByCharacters(_ content: String) -> String? {
        guard let f = content.first, f == "-" || f == "*" || f == "+" else { return nil }
        let rest = content.dropFirst()
        guard let s = rest.first, s == " " || s == "\t" else { return nil }
        return rest.learningsTrimmed()
    }

    static func chunks(_ body: [TextLine]) -> [Chunk] {
        var out: [Chunk] = []
        var i = 0
        while i < body.count {
            let line = body[i]
            if line.isBlank {
                out.append(Chunk(range: i..<(i + 1), kind: .blank))
                i += 1
            } else if var text = bulletText(line.content) {
                var j = i + 1
                // A first byte other than space or tab cannot start a space or tab character.
                while j < body.count, let b = body[j].content.utf8.first, b == 0x20 || b == 0x09, !body[j].isBlank,
                      let f = body[j].content.first, f == " " || f == "\t" {
                    text += " " + body[j].content.learningsTrimmed()
                    j += 1
                }
                out.append(Chunk(range: i..<j, kind: .bullet(text)))
                i = j
            } else {
                out.append(Chunk(range: i..<(i + 1), kind: .other(line.content.learningsTrimmed())))
                i += 1
            }
        }
        return out
    }

    static func tidyBullet(_ raw: String) -> String {
        var s = PlainText.sanitize(raw).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.learningsTrimmed() }.filter { !$0.isEmpty }.joined(separator: " ")
        if let t = bulletText(s) { s = t }
        return s
    }

    static func tidyMachine(_ raw: String) -> String {
        let s = PlainText.sanitize(raw).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).joined(separator: " ")
            .learningsTrimmed()
        return s.isEmpty ? "unknown" : s
    }

    // MARK: - Editing helpers

    /// The line ending new lines get: the file's dominant one.
    var lineEnding: String {
        TextLines.dominantEnding(preamble + sections.flatMap { [$0.heading] + $0.body })
    }

    /// Inserts bullet lines after the last bullet of a section body (or after the heading's blank
    /// line when it has none).
    static func insertBullets(_ lines: [TextLine], into section: inout Section, eol: String) {
        let cs = chunks(section.body)
        if let last = cs.last(where: { if case .bullet = $0.kind { return true } else { return false } }) {
            let at = last.range.upperBound
            if section.body[at - 1].ending.isEmpty { section.body[at - 1].ending = eol }
            section.body.insert(contentsOf: lines, at: at)
            return
        }
        if section.heading.ending.isEmpty { section.heading.ending = eol }
        // No bullet yet: after the leading blank lines, or after a fresh blank line.
        var at = 0
        while at < section.body.count, section.body[at].isBlank { at += 1 }
        if at == 0 {
            section.body.insert(TextLine("", ending: eol), at: 0)
            at = 1
        } else if section.body[at - 1].ending.isEmpty {
            section.body[at - 1].ending = eol
        }
        var insert = lines
        if at < section.body.count { insert.append(TextLine("", ending: eol)) }
        section.body.insert(contentsOf: insert, at: at)
    }

    /// Inserts a whole section before the first section that is not newer, separating it from
    /// its neighbours with blank lines.
    mutating func insertSection(_ section: Section, eol: String) {
        var section = section
        let at = sections.firstIndex(where: { $0.date <= section.date }) ?? sections.count
        // What comes before must end with a newline and a blank line.
        if at == 0 {
            Self.endWithBlankLine(&preamble, eol: eol)
        } else {
            Self.endWithBlankLine(&sections[at - 1], eol: eol)
        }
        if at < sections.count {
            TextLines.terminateLast(&section.body, ending: eol)
            if section.body.last?.isBlank != true { section.body.append(TextLine("", ending: eol)) }
        } else {
            // Last in the file: no trailing blank lines.
            while section.body.count > 1, section.body[section.body.count - 1].isBlank { section.body.removeLast() }
        }
        sections.insert(section, at: at)
    }

    static func endWithBlankLine(_ lines: inout [TextLine], eol: String) {
        guard !lines.isEmpty else { return }
        TextLines.terminateLast(&lines, ending: eol)
        if !lines[lines.count - 1].isBlank { lines.append(TextLine("", ending: eol)) }
    }

    static func endWithBlankLine(_ section: inout Section, eol: String) {
        if section.body.isEmpty {
            if section.heading.ending.isEmpty { section.heading.ending = eol }
            section.body.append(TextLine("", ending: eol))
        } else {
            endWithBlankLine(&section.body, eol: eol)
        }
    }
}

extension StringProtocol {
    func learningsTrimmed() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
