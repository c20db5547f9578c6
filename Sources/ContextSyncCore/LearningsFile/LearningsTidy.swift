/// `context-sync tidy`'s edit of learnings.md: near-duplicate bullets merged (across sections and
/// machines: the earliest section keeps the best-worded text), sections with the same date and
/// machine merged, stale bullets and — past the budget — the oldest bullets moved to
/// `.claude/learnings-archive.md`. Like `append` and `merge` it only removes or rewrites bullet
/// lines: prose, headings and blank lines the user wrote are kept byte for byte (a section left
/// with no bullet and no text is dropped).
public enum LearningsTidy {
    public static let archivePath = ".claude/learnings-archive.md"

    public static let archiveHeader = """
        # Learnings archive
        <!-- Moved here by `context-sync tidy`: duplicates' losers are not kept, but stale and over-budget bullets are. Not imported by CLAUDE.md; append-only. -->

        """

    public struct Options: Sendable {
        /// At most this many bullets stay in learnings.md (config `[learnings] max_bullets`).
        public var maxBullets: Int
        /// At most this many characters (config `[learnings] max_chars`).
        public var maxChars: Int
        /// Bullet text -> why it is stale (from `StaleBullets`); moved to the archive.
        public var stale: [String: String]

        public init(maxBullets: Int = 150, maxChars: Int = 20_000, stale: [String: String] = [:]) {
            self.maxBullets = max(1, maxBullets)
            self.maxChars = max(200, maxChars)
            self.stale = stale
        }
    }

    public struct Moved: Sendable, Equatable {
        public var text: String
        public var date: String
        public var machine: String
        public var reason: String
    }

    public struct Result: Sendable, Equatable {
        /// The tidied learnings.md.
        public var learnings: String
        /// Bullets removed as near-duplicates: (removed, the bullet that stays).
        public var merged: [(removed: String, kept: String)]
        /// Sections folded into an earlier section with the same date and machine.
        public var mergedSections: Int
        /// Bullets moved to the archive (stale, then over budget), with why.
        public var archived: [Moved]
        public var bulletsBefore: Int
        public var bulletsAfter: Int

        public var changed: Bool { !merged.isEmpty || mergedSections > 0 || !archived.isEmpty }

        public static func == (a: Result, b: Result) -> Bool {
            a.learnings == b.learnings && a.mergedSections == b.mergedSections && a.archived == b.archived
                && a.merged.map { $0.removed + "\u{0}" + $0.kept } == b.merged.map { $0.removed + "\u{0}" + $0.kept }
        }
    }

    /// True when `text` is over the budget of `options`.
    public static func isOverBudget(_ text: String, options: Options) -> Bool {
        let doc = LearningsDocument(parsing: text)
        return doc.allBullets.count > options.maxBullets || text.count > options.maxChars
    }

    public static func tidy(_ text: String, options: Options = .init()) -> Result {
        var doc = LearningsDocument(parsing: text)
        let before = doc.allBullets.count
        let eol = doc.lineEnding
        var result = Result(learnings: text, merged: [], mergedSections: 0, archived: [], bulletsBefore: before, bulletsAfter: before)

        // 1. Sections with the same date and machine become one (the first in the file).
        var firstOf: [LearningsDocument.SectionKey: Int] = [:]
        var keep: [LearningsDocument.Section] = []
        for s in doc.sections {
            if let i = firstOf[s.key] {
                let cs = LearningsDocument.chunks(s.body)
                let bullets = cs.filter { if case .bullet = $0.kind { return true } else { return false } }
                    .flatMap { Array(s.body[$0.range]) }.map { TextLine($0.content, ending: eol) }
                if !bullets.isEmpty { LearningsDocument.insertBullets(bullets, into: &keep[i], eol: eol) }
                let prose = cs.filter { $0.otherText != nil }.flatMap { Array(s.body[$0.range]) }
                if !prose.isEmpty { LearningsDocument.appendProse(prose, to: &keep[i], eol: eol) }
                result.mergedSections += 1
            } else {
                firstOf[s.key] = keep.count
                keep.append(s)
            }
        }
        doc.sections = keep

        // 2. Near-duplicates: oldest first, the earliest occurrence stays (with the best wording).
        struct Ref { var section: Int; var start: Int; var text: String; var key: LearningDedupe.Key }
        var kept: [Ref] = []
        var remove: [Int: [Range<Int>]] = [:]
        var rewrite: [Int: [Int: String]] = [:]
        for si in doc.sections.indices.reversed() {
            for c in LearningsDocument.chunks(doc.sections[si].body) {
                guard case .bullet(let t) = c.kind else { continue }
                let key = LearningDedupe.Key(t)
                if let k = kept.firstIndex(where: { $0.key.isDuplicate(of: key) }) {
                    let better = bestWorded(kept[k].text, t)
                    result.merged.append((removed: better == t ? kept[k].text : t, kept: better))
                    if better != kept[k].text {
                        rewrite[kept[k].section, default: [:]][kept[k].start] = better
                        kept[k].text = better
                    }
                    remove[si, default: []].append(c.range)
                } else {
                    kept.append(Ref(section: si, start: c.range.lowerBound, text: t, key: key))
                }
            }
        }

        // 3. Stale bullets go to the archive.
        var archived: [(section: Int, range: Range<Int>, moved: Moved)] = []
        for ref in kept {
            guard let why = options.stale[ref.text] else { continue }
            let s = doc.sections[ref.section]
            if let c = LearningsDocument.chunks(s.body).first(where: { $0.range.lowerBound == ref.start }) {
                archived.append((ref.section, c.range, Moved(text: ref.text, date: s.date, machine: s.machine, reason: "stale: " + why)))
            }
        }
        for a in archived { remove[a.section, default: []].append(a.range) }
        apply(&doc, remove: remove, rewrite: rewrite, eol: eol)
        result.archived = archived.map(\.moved)

        // 4. The budget: the oldest bullets go until it holds.
        var count = doc.allBullets.count
        var chars = doc.rendered().count
        var si = doc.sections.count - 1
        while (count > options.maxBullets || chars > options.maxChars) && si >= 0 {
            let s = doc.sections[si]
            guard let last = LearningsDocument.chunks(s.body).last(where: { if case .bullet = $0.kind { return true } else { return false } }),
                  case .bullet(let t) = last.kind else {
                si -= 1
                continue
            }
            result.archived.append(Moved(text: t, date: s.date, machine: s.machine, reason: "over the budget (oldest first)"))
            let removed = s.body[last.range].reduce(0) { $0 + $1.content.count + $1.ending.count }
            apply(&doc, remove: [si: [last.range]], rewrite: [:], eol: eol)
            count -= 1
            chars -= removed
            if si >= doc.sections.count { si = doc.sections.count - 1 }
        }
        result.learnings = doc.rendered()
        result.bulletsAfter = LearningsDocument(parsing: result.learnings).allBullets.count
        return result
    }

    /// The archive with `moved` appended (a section for `date` and `machine`; each bullet says
    /// where it came from and why). Bullets already in the archive are not added twice.
    public static func archive(_ existing: String?, adding moved: [Moved], date: String, machine: String) -> String {
        let base = (existing?.isEmpty ?? true) ? archiveHeader : existing!
        var doc = LearningsDocument(parsing: base)
        doc.append(bullets: moved.map { "\($0.text) (from \($0.date) \($0.machine); \($0.reason))" }, date: date, machine: machine)
        return doc.rendered()
    }

    /// The better of two wordings of one learning: the one naming more commands or paths
    /// (backticked), then the longer one within the bullet length limit.
    static func bestWorded(_ a: String, _ b: String) -> String {
        func ticks(_ s: String) -> Int { s.filter { $0 == "`" }.count / 2 }
        if ticks(a) != ticks(b) { return ticks(a) > ticks(b) ? a : b }
        let la = a.count <= 300 ? a.count : 0, lb = b.count <= 300 ? b.count : 0
        return lb > la ? b : a
    }

    /// Removes chunk ranges and rewrites bullets (by chunk start) in the sections; drops a
    /// section that is left with no bullet and no text.
    static func apply(_ doc: inout LearningsDocument, remove: [Int: [Range<Int>]], rewrite: [Int: [Int: String]], eol: String) {
        var sections: [LearningsDocument.Section] = []
        for (i, var s) in doc.sections.enumerated() {
            let cs = LearningsDocument.chunks(s.body)
            let hadBullets = cs.contains { if case .bullet = $0.kind { return true } else { return false } }
            let gone = remove[i] ?? []
            for c in cs.reversed() {
                if gone.contains(c.range) {
                    s.body.removeSubrange(c.range)
                } else if let text = rewrite[i]?[c.range.lowerBound] {
                    let ending = s.body[c.range.upperBound - 1].ending
                    s.body.replaceSubrange(c.range, with: [TextLine("- " + text, ending: ending.isEmpty ? "" : ending)])
                }
            }
            // No run of blank lines where bullets were.
            var j = s.body.count - 1
            while j > 0 {
                if s.body[j].isBlank && s.body[j - 1].isBlank { s.body.remove(at: j) }
                j -= 1
            }
            let empty = !LearningsDocument.chunks(s.body).contains { $0.kind != .blank }
            if hadBullets && empty { continue }
            sections.append(s)
        }
        doc.sections = sections
        if let last = doc.sections.indices.last {
            while doc.sections[last].body.count > 1, doc.sections[last].body.last?.isBlank == true {
                doc.sections[last].body.removeLast()
            }
        } else {
            while doc.preamble.count > 1, doc.preamble.last?.isBlank == true, doc.preamble[doc.preamble.count - 2].isBlank {
                doc.preamble.removeLast()
            }
        }
    }
}
