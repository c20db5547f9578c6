extension LearningsDocument {
    /// Three-way merge of two versions of learnings.md by sections and bullets; never produces
    /// conflict markers and never fails.
    ///
    /// - The result is `ours` (byte for byte where it is kept) plus what `theirs` adds:
    ///   a bullet of `theirs` whose `normalizeForDedupe` form is not anywhere in `ours` goes after
    ///   the last bullet of the same `(date, machine)` section, or into a new section placed by
    ///   date (newest first); prose lines `theirs` added to a shared section go at its end.
    /// - With a `base`, a bullet that one side deleted (present in `base`, absent from that side)
    ///   stays deleted, so hand edits survive; a section left with no bullet and no text by that
    ///   is dropped. Without a base (both sides added the file) it is a plain union.
    /// - The preamble (header) is taken from the side that changed it, `ours` when both did.
    /// - New lines use `ours`' line ending. Deterministic: same inputs, same output.
    public static func merge(base: String?, ours: String, theirs: String) -> String {
        if ours == theirs { return ours }
        if let base, base == ours { return theirs }
        if let base, base == theirs { return ours }
        let b = LearningsDocument(parsing: base ?? "")
        var o = LearningsDocument(parsing: ours)
        let t = LearningsDocument(parsing: theirs)
        let oursEmpty = TextLines.split(ours).isEmpty
        let eol = oursEmpty ? t.lineEnding : o.lineEnding
        func converted(_ lines: [TextLine]) -> [TextLine] { lines.map { TextLine($0.content, ending: eol) } }

        let baseKeys = Set(b.allBullets.map(normalizeForDedupe))
        let deletedByTheirs = baseKeys.subtracting(t.allBullets.map(normalizeForDedupe))
        let deletedByOurs = baseKeys.subtracting(o.allBullets.map(normalizeForDedupe))

        // Preamble: whichever side changed it.
        let oursHasHeader = !o.preamble.allSatisfy(\.isBlank)
        if (base != nil && o.preamble == b.preamble && t.preamble != b.preamble)
            || (!oursHasHeader && !t.preamble.allSatisfy(\.isBlank)) {
            o.preamble = converted(t.preamble)
            if !o.sections.isEmpty { endWithBlankLine(&o.preamble, eol: eol) }
        }

        // What theirs deleted goes from ours.
        if !deletedByTheirs.isEmpty {
            var kept: [Section] = []
            for var s in o.sections {
                let cs = chunks(s.body)
                let hadBullets = cs.contains { if case .bullet = $0.kind { return true } else { return false } }
                for c in cs.reversed() {
                    if case .bullet(let text) = c.kind, deletedByTheirs.contains(normalizeForDedupe(text)) {
                        s.body.removeSubrange(c.range)
                    }
                }
                let left = chunks(s.body)
                let empty = !left.contains { $0.kind != .blank }
                if hadBullets && empty { continue }
                kept.append(s)
            }
            o.sections = kept
        }

        // What theirs added comes into ours.
        var present = Set(o.allBullets.map(normalizeForDedupe))
        for ts in t.sections {
            let baseSection = b.sections.first { $0.key == ts.key }
            let tChunks = chunks(ts.body)
            var newBulletRanges: [Range<Int>] = []
            for c in tChunks {
                guard case .bullet(let text) = c.kind else { continue }
                var key = normalizeForDedupe(text)
                if key.isEmpty { key = text }
                if deletedByOurs.contains(key) || !present.insert(key).inserted { continue }
                newBulletRanges.append(c.range)
            }
            if let oi = o.sections.firstIndex(where: { $0.key == ts.key }) {
                let lines = converted(newBulletRanges.flatMap { Array(ts.body[$0]) })
                if !lines.isEmpty {
                    insertBullets(lines, into: &o.sections[oi], eol: eol)
                }
                // Prose theirs added to this section.
                let oursOther = Set(chunks(o.sections[oi].body).compactMap(\.otherText))
                let baseOther = Set(baseSection.map { chunks($0.body).compactMap(\.otherText) } ?? [])
                let prose = tChunks.filter { c in
                    guard let text = c.otherText else { return false }
                    return !oursOther.contains(text) && !baseOther.contains(text)
                }
                if !prose.isEmpty {
                    appendProse(converted(prose.flatMap { Array(ts.body[$0.range]) }), to: &o.sections[oi], eol: eol)
                }
            } else {
                // A section only theirs has: theirs added it, or ours deleted it.
                let keepRanges = Set(newBulletRanges.map(\.lowerBound))
                let baseOther = Set(baseSection.map { chunks($0.body).compactMap(\.otherText) } ?? [])
                var body: [TextLine] = []
                var hasContent = false
                for c in tChunks {
                    switch c.kind {
                    case .bullet:
                        guard keepRanges.contains(c.range.lowerBound) else { continue }
                        hasContent = true
                    case .other(let text):
                        if baseSection != nil && baseOther.contains(text) { continue }
                        hasContent = true
                    case .blank:
                        break
                    }
                    body.append(contentsOf: ts.body[c.range])
                }
                guard hasContent else { continue }
                body = converted(body)
                while body.count > 1, body[body.count - 1].isBlank, body[body.count - 2].isBlank { body.removeLast() }
                if body.first?.isBlank != true { body.insert(TextLine("", ending: eol), at: 0) }
                var section = ts
                section.heading = TextLine(ts.heading.content, ending: eol)
                section.body = body
                o.insertSection(section, eol: eol)
            }
        }
        // A document that ends in a trailing blank line only because of an inserted last section
        // is fine; keep what insertSection produced.
        return o.rendered()
    }

    /// Adds prose lines at the end of a section, before its trailing blank lines.
    static func appendProse(_ lines: [TextLine], to section: inout Section, eol: String) {
        var at = section.body.count
        while at > 0, section.body[at - 1].isBlank { at -= 1 }
        if at == 0 {
            if section.heading.ending.isEmpty { section.heading.ending = eol }
            section.body.insert(TextLine("", ending: eol), at: 0)
            at = 1
        } else {
            if section.body[at - 1].ending.isEmpty { section.body[at - 1].ending = eol }
            // A blank line first, so an indented prose line cannot become a bullet's continuation.
            section.body.insert(TextLine("", ending: eol), at: at)
            at += 1
        }
        section.body.insert(contentsOf: lines, at: at)
    }
}

extension LearningsDocument.Chunk {
    var otherText: String? {
        if case .other(let t) = kind { return t }
        return nil
    }
}
