import Foundation

/// Paging a digest for a reader with a fixed window (Claude Code's Bash tool keeps 30,000
/// characters): sessions newest first, whole sessions packed into pages of at most `pageChars`
/// characters, a session larger than a page alone on its page and cut to fit it.
///
/// Pages are packed in order and sessions built only as far as the pages asked for need
/// (`resolve`): printing page 1 packs the sessions on it and the one that starts page 2, built
/// in doubling batches (the first one session per core), not the rest. The number of pages is
/// known once every session has been packed (`totalPages`).
public struct DigestPages {
    public static let defaultPageChars = 25_000
    /// Room kept on each page for the footer while packing (the final fit counts the real one).
    static let footerReserve = 400
    public static let minimumPageChars = 1_000

    public let pageChars: Int
    /// The sessions in page order (newest first), nil until built.
    private(set) var blocks: [Digest.SessionBlock?]
    /// Closed pages, as indexes into `blocks`.
    private(set) var pages: [[Int]] = []
    /// The page being filled, its size, and how many sessions have been packed.
    private var open: [Int] = []
    private var used = 0
    private var packed = 0
    /// How many sessions the next build asks for (doubling: few for page 1, whole batches later).
    private var batch = max(ProcessInfo.processInfo.activeProcessorCount, 1)
    private let build: ([Int]) -> [Digest.SessionBlock]

    /// `count` sessions, already in page order; `build` makes the blocks at the positions given
    /// (in parallel if it likes) and is called only for the sessions packing reaches.
    public init(count: Int, pageChars: Int = DigestPages.defaultPageChars, firstBatch: Int? = nil,
                build: @escaping ([Int]) -> [Digest.SessionBlock]) {
        self.pageChars = pageChars
        if let firstBatch { batch = max(firstBatch, 1) }
        self.blocks = Array(repeating: nil, count: count)
        self.build = build
    }

    /// Orders `sessions` newest first (last activity) and packs them all.
    public init(sessions: [SessionEvents], pageChars: Int = DigestPages.defaultPageChars,
                normalize: (String) -> String, redact: (String) -> String) {
        let order = Self.newestFirst(sessions.map { $0.lastTimestamp ?? $0.firstTimestamp })
        let digest = Digest(sessions: order.map { sessions[$0] }, normalize: normalize, redact: redact)
        self.init(count: order.count, pageChars: pageChars) { positions in positions.map { digest.sessions[$0] } }
        packAll()
    }

    /// Positions of `lastActivity` (each session's last, else first, timestamp) newest first;
    /// equal times keep the later session first.
    public static func newestFirst(_ lastActivity: [String?]) -> [Int] {
        lastActivity.indices.sorted { a, b in
            let ta = lastActivity[a] ?? "", tb = lastActivity[b] ?? ""
            return ta != tb ? ta > tb : a > b
        }
    }

    public var sessionCount: Int { blocks.count }

    /// How many sessions (in page order) packing has reached.
    public var packedCount: Int { packed }

    /// The number of pages, once every session has been packed; nil before.
    public var totalPages: Int? { packed == blocks.count && open.isEmpty ? max(pages.count, 1) : nil }

    /// Packs sessions until page `number` (1-based) is closed or every session is packed; true
    /// when the page exists (page 1 always does, empty when there are no sessions).
    @discardableResult
    public mutating func resolve(page number: Int) -> Bool {
        // Packing stops as soon as the page closes, whatever was built ahead of it (kept for
        // the next call): which pages are known depends on the sessions, not on the cores.
        while pages.count < number && packed < blocks.count {
            if blocks[packed] == nil {
                let positions = Array(packed..<min(packed + batch, blocks.count))
                batch *= 2
                for (i, b) in zip(positions, build(positions)) { blocks[i] = b }
            }
            pack(packed)
        }
        if packed == blocks.count && !open.isEmpty {
            pages.append(open)
            open = []
        }
        return number <= max(pages.count, 1)
    }

    public mutating func packAll() { resolve(page: Int.max) }

    private mutating func pack(_ i: Int) {
        let room = max(pageChars - Self.footerReserve, 1)
        let n = Digest.blockSize(blocks[i]!)
        if !open.isEmpty && used + n > room {
            pages.append(open)
            open = []
            used = 0
        }
        open.append(i)
        used += n
        packed += 1
    }

    /// Every session's block built so far, in page order (all of them after `packAll`).
    public var built: [Digest.SessionBlock] { blocks.compactMap { $0 } }

    /// Page `number` (1-based, resolved) as a digest of at most `pageChars` characters, footer
    /// included. `nextCommand` is the exact command that prints the following page.
    public func page(_ number: Int, nextCommand: (Int) -> String) -> Digest {
        precondition(number >= 1 && number <= max(pages.count, 1), "page \(number) not resolved")
        let indexes = pages.isEmpty ? [] : pages[number - 1]
        var d = Digest(blocks: indexes.map { blocks[$0]! })
        d.footer = footer(number, indexes: indexes, nextCommand: nextCommand)
        d.fit(maxChars: pageChars)
        return d
    }

    /// Whether sessions follow page `number` (resolved): there is a next page.
    public func hasSessions(after number: Int) -> Bool {
        guard number >= 1, number <= pages.count, let last = pages[number - 1].last else { return false }
        return last + 1 < sessionCount
    }

    /// `--- page i of n` when the number of pages is known, `--- page i` before; the sessions
    /// shown and how many older ones remain; the command for the next page.
    func footer(_ number: Int, indexes: [Int], nextCommand: (Int) -> String) -> String {
        var s = "--- page \(number)"
        if let total = totalPages { s += " of \(total)" }
        if let first = indexes.first, let last = indexes.last {
            s += " · session\(first == last ? " \(first + 1)" : "s \(first + 1)-\(last + 1)") of \(sessionCount), newest first"
            let later = sessionCount - (last + 1)
            s += later > 0 ? " · \(later) older session\(later == 1 ? "" : "s") on later pages" : " · last page"
        }
        s += "\n"
        if hasSessions(after: number) { s += "--- next page: \(nextCommand(number + 1))\n" }
        return s
    }

    /// The ids of the sessions a printed page showed (the ones `apply` may mark processed).
    public static func shownSessionIds(_ page: Digest) -> [String] { page.sessions.map(\.events.sessionId) }
}
