/// Paging a digest for a reader with a fixed window (Claude Code's Bash tool keeps 30,000
/// characters): sessions newest first, whole sessions packed into pages of at most `pageChars`
/// characters, a session larger than a page alone on its page and cut to fit it.
public struct DigestPages: Sendable {
    public static let defaultPageChars = 25_000
    /// Room kept on each page for the footer while packing (the final fit counts the real one).
    static let footerReserve = 400
    public static let minimumPageChars = 1_000

    /// The digest of every session, newest first, nothing cut.
    public var full: Digest
    /// Indexes into `full.sessions`, one list per page.
    public var pages: [[Int]]
    public var pageChars: Int

    /// Orders `sessions` newest first (last activity) and packs them into pages.
    public init(sessions: [SessionEvents], pageChars: Int = DigestPages.defaultPageChars,
                normalize: (String) -> String, redact: (String) -> String) {
        let ordered = sessions.enumerated().sorted { a, b in
            let ta = a.element.lastTimestamp ?? a.element.firstTimestamp ?? ""
            let tb = b.element.lastTimestamp ?? b.element.firstTimestamp ?? ""
            return ta != tb ? ta > tb : a.offset > b.offset
        }.map(\.element)
        self.full = Digest(sessions: ordered, normalize: normalize, redact: redact)
        self.pageChars = pageChars
        let room = max(pageChars - Self.footerReserve, 1)
        var pages: [[Int]] = []
        var current: [Int] = []
        var used = 0
        for (i, s) in full.sessions.enumerated() {
            let n = Digest.blockSize(s)
            if !current.isEmpty && used + n > room {
                pages.append(current)
                current = []
                used = 0
            }
            current.append(i)
            used += n
        }
        if !current.isEmpty { pages.append(current) }
        self.pages = pages
    }

    public var count: Int { pages.count }
    public var sessionCount: Int { full.sessions.count }

    /// Page `number` (1-based) as a digest of at most `pageChars` characters, footer included.
    /// `nextCommand` is the exact command that prints the following page.
    public func page(_ number: Int, nextCommand: (Int) -> String) -> Digest {
        precondition(number >= 1 && number <= max(count, 1))
        let indexes = pages.isEmpty ? [] : pages[number - 1]
        var d = full
        d.sessions = indexes.map { full.sessions[$0] }
        d.footer = footer(number, indexes: indexes, nextCommand: nextCommand)
        d.fit(maxChars: pageChars)
        return d
    }

    func footer(_ number: Int, indexes: [Int], nextCommand: (Int) -> String) -> String {
        let total = max(count, 1)
        var s = "--- page \(number) of \(total)"
        if let first = indexes.first, let last = indexes.last {
            s += " · session\(first == last ? " \(first + 1)" : "s \(first + 1)-\(last + 1)") of \(sessionCount), newest first"
            let later = sessionCount - (last + 1)
            s += later > 0 ? " · \(later) older session\(later == 1 ? "" : "s") on later pages" : " · last page"
        }
        s += "\n"
        if number < total { s += "--- next page: \(nextCommand(number + 1))\n" }
        return s
    }

    /// The ids of the sessions a printed page showed (the ones `apply` may mark processed).
    public static func shownSessionIds(_ page: Digest) -> [String] { page.sessions.map(\.events.sessionId) }
}
