// Streamed scans and redaction (`context-sync scan FILE`, `scan --redact`): the input is read in
// chunks and memory stays bounded whatever its size, with findings identical to `scan(bytes:)` /
// `redact(bytes:)` on the whole content. Over 400 lines because the exactness argument spans the
// pieces below (window rules, the two passes, the resolver and the line counter) and is easier to
// check in one file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `SecretScanner.scan(reading:file:skipBinary:)` read.
public struct SecretStreamScan: Sendable {
    public var findings: [SecretFinding]
    /// Bytes read and scanned (0 for a skipped binary file).
    public var bytes: Int
    /// The content was binary (a NUL byte in its first 8,000 bytes) and `skipBinary` was set.
    public var skippedBinary: Bool
}

/// Sizes of a streamed scan. `lookbehind` and `lookahead` are what makes the scan exact: every
/// matcher reads at most 4 KB before an anchor (JWK objects, prose context) and 1 MB + 64 bytes
/// after it (PEM and base64 PEM bodies), or else stops at a line break; windows always hold whole
/// lines. `standard` keeps a margin over both; smaller values are for tests, exact as long as no
/// match or lookahead of the input reaches that far.
public struct SecretStreamLimits: Sendable {
    /// Bytes read per `read(2)` and scanned per window.
    public var chunk: Int
    /// Bytes kept before the scanned range (context read backwards by matchers).
    public var lookbehind: Int
    /// Bytes after the scanned range that must be in memory (context read forwards).
    public var lookahead: Int

    public init(chunk: Int, lookbehind: Int, lookahead: Int) {
        precondition(chunk > 0 && lookbehind >= 8192 && lookahead >= 8192, "streamed scan limits too small")
        self.chunk = chunk
        self.lookbehind = lookbehind
        self.lookahead = lookahead
    }

    /// 1 MiB chunks, 64 KiB lookbehind, 1 MiB + 64 KiB lookahead: about 4 MB of memory plus the
    /// longest line.
    public static let standard = SecretStreamLimits(chunk: 1 << 20, lookbehind: 64 << 10, lookahead: (1 << 20) + (64 << 10))
}

extension SecretScanner {
    /// Scans what `fd` yields in chunks (`limits`), with the findings of `scan(bytes:)` on the
    /// whole content. Memory is the window (see `SecretStreamLimits.standard`) plus the longest
    /// line plus the findings. When a secret is found, its other occurrences ("echoes") are
    /// reported too, including earlier ones: a second pass re-reads a regular file, and other
    /// inputs (pipes) are copied to an unlinked temporary file during the first pass.
    ///
    /// - Throws: `ContextSyncError` naming `file` when reading fails.
    public func scan(reading fd: Int32, file: String, skipBinary: Bool, limits: SecretStreamLimits = .standard) throws -> SecretStreamScan {
        var stream = try SecretStream(scanner: self, fd: fd, file: file, limits: limits)
        defer { stream.finish() }
        guard try stream.firstPass(skipBinary: skipBinary) else { return SecretStreamScan(findings: [], bytes: 0, skippedBinary: true) }
        if stream.values.distinct == 0 { return SecretStreamScan(findings: stream.firstFindings, bytes: stream.total, skippedBinary: false) }
        let findings = try stream.secondPass(redacting: false) { _ in }
        return SecretStreamScan(findings: findings, bytes: stream.total, skippedBinary: false)
    }

    /// `redact(bytes:file:)` over what `fd` yields, written to `output` piece by piece (two
    /// passes, as `scan(reading:)`, so memory stays bounded). Returns the redacted findings.
    public func redact(reading fd: Int32, file: String, limits: SecretStreamLimits = .standard, output: ([UInt8]) throws -> Void) throws -> SecretStreamScan {
        var stream = try SecretStream(scanner: self, fd: fd, file: file, limits: limits)
        defer { stream.finish() }
        _ = try stream.firstPass(skipBinary: false)
        let findings = try stream.secondPass(redacting: true, output: output)
        return SecretStreamScan(findings: findings, bytes: stream.total, skippedBinary: false)
    }
}

/// A growing byte window over a file descriptor: `bytes[0..<filled]` holds stream offsets
/// `base..<base + filled`; `base` is always the start of a line.
struct StreamWindow {
    let fd: Int32
    let chunk: Int
    /// Stop after this many bytes (the second pass reads what the first one read, no more).
    let limit: Int
    var spool: Int32 = -1
    var bytes: [UInt8] = []
    var base = 0
    var filled = 0
    var eof = false
    /// Offset after the last line break read (or the end, at EOF): windows end there.
    var alignedEnd = 0
    /// Bytes before this offset (a line start) are no longer needed.
    var discardable = 0
    var end: Int { base + filled }

    /// `storage`: a buffer to reuse (the second pass reads into the first one's).
    init(fd: Int32, chunk: Int, limit: Int = .max, storage: [UInt8] = []) {
        self.fd = fd
        self.chunk = chunk
        self.limit = limit
        self.bytes = storage
    }

    /// Reads up to one chunk. Returns false at the end of input.
    mutating func readChunk(path: String) throws -> Bool {
        guard !eof else { return false }
        if bytes.count - filled < chunk { compact() }
        if bytes.count - filled < chunk { bytes.append(contentsOf: repeatElement(0, count: max(chunk, bytes.count / 2))) }
        let want = min(chunk, limit - end)
        var got = 0
        while want > 0 {
            got = bytes.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress! + filled, want) }
            if got < 0 && errno == EINTR { continue }
            break
        }
        if got < 0 { throw ContextSyncError.io("cannot read", path: path, errno: errno) }
        if got == 0 {
            eof = true
            alignedEnd = end
            return false
        }
        if spool >= 0 {
            try bytes.withUnsafeBytes { raw in
                var at = filled
                while at < filled + got {
                    let w = write(spool, raw.baseAddress! + at, filled + got - at)
                    if w < 0 && errno == EINTR { continue }
                    guard w > 0 else { throw ContextSyncError.io("cannot write a temporary copy of", path: path, errno: errno) }
                    at += w
                }
            }
        }
        var k = filled + got
        while k > filled && bytes[k - 1] != 0x0A { k -= 1 }
        if k > filled { alignedEnd = base + k }
        filled += got
        return true
    }

    @inline(__always) subscript(_ offset: Int) -> UInt8 { bytes[offset - base] }

    /// The start of the line holding `offset` (at most `base`, which starts a line).
    func lineStart(_ offset: Int) -> Int {
        var k = offset
        while k > base && bytes[k - 1 - base] != 0x0A { k -= 1 }
        return k
    }

    /// Forgets the bytes before `offset` (a line start); they are dropped when room is needed,
    /// so the buffer grows only when what is kept does not fit.
    mutating func discard(before offset: Int) {
        discardable = max(discardable, offset)
    }

    private mutating func compact() {
        let dead = discardable - base
        guard dead > 0 else { return }
        bytes.withUnsafeMutableBytes { raw in _ = memmove(raw.baseAddress!, raw.baseAddress! + dead, filled - dead) }
        base = discardable
        filled -= dead
    }
}

/// Lines and columns of findings over a stream, counted as `SecretScanner.findings` does on the
/// whole buffer (columns in pieces from the previous finding on the same line).
struct StreamLineCounter {
    var line = 1, lineStart = 0, cursor = 0
    var countedFrom = 0, countedColumns = 0

    mutating func advance(to offset: Int, in w: StreamWindow) {
        guard cursor < offset else { return }
        w.bytes.withUnsafeBufferPointer { b in
            let from = cursor - w.base, to = offset - w.base
            var newlines = 0
            for byte in UnsafeBufferPointer(rebasing: b[from..<to]) { newlines &+= byte == 0x0A ? 1 : 0 }
            if newlines > 0 {
                line += newlines
                var k = to
                while b[k - 1] != 0x0A { k -= 1 }
                lineStart = k + w.base
            }
        }
        cursor = offset
    }

    mutating func finding(_ hit: Candidate, in w: StreamWindow, file: String?) -> SecretFinding {
        advance(to: hit.start, in: w)
        if countedFrom < lineStart {
            countedFrom = lineStart
            countedColumns = 0
        }
        return w.bytes.withUnsafeBufferPointer { b in
            countedColumns += String(decoding: UnsafeBufferPointer(rebasing: b[(countedFrom - w.base)..<(hit.start - w.base)]), as: UTF8.self).count
            countedFrom = hit.start
            let secret = String(decoding: UnsafeBufferPointer(rebasing: b[(hit.start - w.base)..<(min(hit.end, hit.start + 64) - w.base)]), as: UTF8.self)
            return SecretFinding(rule: hit.rule.id, line: line, column: countedColumns + 1, excerpt: SecretFinding.mask(Substring(secret)), file: file)
        }
    }
}

/// `SecretScanner.resolveOverlaps`, fed in sorted order: only the last kept candidate can still be
/// replaced, so it is held back and the one before is final.
struct StreamOverlapResolver {
    var last: (candidate: Candidate, echo: Bool)? = nil

    mutating func feed(_ c: Candidate, echo: Bool = false) -> (candidate: Candidate, echo: Bool)? {
        guard let l = last, c.start < l.candidate.end else {
            defer { last = (c, echo) }
            return last
        }
        let better = c.rule.priority > l.candidate.rule.priority
            || (c.rule.priority == l.candidate.rule.priority && c.end - c.start > l.candidate.end - l.candidate.start)
        if better { last = (c, echo) }
        return nil
    }
}

/// The values whose other occurrences are echoes: `SecretScanner.echoes(of:)`'s table, filled
/// from the kept candidates as they are found.
struct StreamEchoValues {
    var byKey: [UInt64: [(rule: RuleKind, value: [UInt8])]] = [:]
    var pairs = [Bool](repeating: false, count: 65536)
    var distinct = 0

    @inline(__always) static func key8(_ p: UnsafePointer<UInt8>) -> UInt64 {
        var k: UInt64 = 0
        for j in 0..<8 { k = k << 8 | UInt64(p[j]) }
        return k
    }

    mutating func consider(_ h: Candidate, _ p: UnsafePointer<UInt8>) {
        let len = h.end - h.start
        guard distinct < 4096, len >= 8, len <= 8192, SecretScanner.isDistinctive(ByteSpan(base: p, start: h.start, end: h.end)) else { return }
        let key = Self.key8(p + h.start)
        if byKey[key]?.contains(where: { $0.value.count == len && memcmp($0.value, p + h.start, len) == 0 }) == true { return }
        byKey[key, default: []].append((h.rule, Array(UnsafeBufferPointer(start: p + h.start, count: len))))
        pairs[Int(p[h.start]) << 8 | Int(p[h.start + 1])] = true
        distinct += 1
    }
}

/// One streamed scan: the first pass finds the candidates of the rules and resolves and
/// suppresses them (`kept`); the second, when a found value may occur elsewhere (or to redact),
/// adds its echoes, resolves again and writes the output.
struct SecretStream {
    let scanner: SecretScanner
    let fd: Int32
    let file: String
    let limits: SecretStreamLimits
    /// Where a regular file started (the second pass seeks back there); -1: copy to `spool`.
    var startOffset: Int = -1
    var spool: Int32 = -1
    var total = 0
    var kept: [Candidate] = []
    var values = StreamEchoValues()
    var firstFindings: [SecretFinding] = []
    /// The first pass's buffer, handed to the second (one buffer's worth of memory, not two).
    var storage: [UInt8] = []

    init(scanner: SecretScanner, fd: Int32, file: String, limits: SecretStreamLimits) throws {
        self.scanner = scanner
        self.fd = fd
        self.file = file
        self.limits = limits
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { startOffset = Int(lseek(fd, 0, SEEK_CUR)) }
        if startOffset < 0 {
            // Pipes are always copied: whether a second pass runs is known only at the end.
            var template = Array(((getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/context-sync-scan.XXXXXX").utf8CString)
            spool = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard spool >= 0 else { throw ContextSyncError.io("cannot create a temporary file to scan", path: file, errno: errno) }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        }
    }

    func finish() {
        if spool >= 0 { _ = close(spool) }
    }

    /// Pass 1. Returns false when `skipBinary` is set and the content is binary.
    mutating func firstPass(skipBinary: Bool) throws -> Bool {
        var w = StreamWindow(fd: fd, chunk: limits.chunk)
        w.spool = spool
        while w.filled < 8000, try w.readChunk(path: file) {}
        if skipBinary && w.bytes[0..<min(w.filled, 8000)].contains(0) { return false }
        var untils = (keyword: 0, command: 0, authorization: 0, url: 0)
        var runFrom = 0
        var pending: [Candidate] = []
        var resolver = StreamOverlapResolver()
        var counter = StreamLineCounter()
        var more = !w.eof
        while true {
            if more { more = try w.readChunk(path: file) }
            let runTo = w.eof ? w.alignedEnd - 1 : w.alignedEnd - limits.lookahead
            if !w.eof && runTo - runFrom < limits.chunk { continue }
            // The rules over runFrom..<runTo, on whole lines with the lookahead after them.
            if runTo > runFrom {
                let fresh: [Candidate] = w.bytes.withUnsafeBufferPointer { b in
                    var run = ScanRun(b.baseAddress!, count: w.alignedEnd - w.base)
                    run.keywordUntil = untils.keyword - w.base
                    run.commandUntil = untils.command - w.base
                    run.authorizationUntil = untils.authorization - w.base
                    run.urlUntil = untils.url - w.base
                    run.run(from: runFrom - w.base, to: runTo - w.base)
                    untils = (run.keywordUntil + w.base, run.commandUntil + w.base, run.authorizationUntil + w.base, run.urlUntil + w.base)
                    return run.candidates.map { Candidate(rule: $0.rule, start: $0.start + w.base, end: $0.end + w.base) }
                }
                assert(fresh.allSatisfy { $0.start >= runFrom - limits.lookbehind }, "a candidate starts before the finalized frontier")
                pending += fresh
                runFrom = runTo
            }
            // Candidates start at most a few KB before their anchor: those before the frontier
            // are all known, sorted as in the whole-buffer sort (stable, so ties keep their order).
            let frontier = w.eof ? Int.max : runFrom - limits.lookbehind
            var ready: [Candidate] = []
            if !pending.isEmpty {
                ready = pending.filter { $0.start < frontier }
                pending.removeAll { $0.start < frontier }
            }
            var emitted: [Candidate] = []
            for c in ready.sorted(by: { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }) {
                if let e = resolver.feed(c) { emitted.append(e.candidate) }
            }
            // The held candidate is final once nothing still to come can overlap it.
            if let l = resolver.last, w.eof || l.candidate.end <= frontier {
                emitted.append(l.candidate)
                resolver.last = nil
            }
            if !emitted.isEmpty { keep(emitted, w, &counter) }
            if w.eof { break }
            var hold = runFrom - limits.lookbehind
            if let l = resolver.last { hold = min(hold, l.candidate.start) }
            for c in pending { hold = min(hold, c.start) }
            let cut = w.lineStart(max(w.base, hold))
            counter.advance(to: cut, in: w)
            w.discard(before: cut)
        }
        total = w.end
        storage = w.bytes
        return true
    }

    /// Suppresses resolved candidates (`SecretScanner.suppress` on the window) and keeps the rest.
    private mutating func keep(_ resolved: [Candidate], _ w: StreamWindow, _ counter: inout StreamLineCounter) {
        w.bytes.withUnsafeBufferPointer { b in
            let p = b.baseAddress!
            let local = resolved.map { Candidate(rule: $0.rule, start: $0.start - w.base, end: $0.end - w.base) }
            for c in scanner.suppress(local, p, w.alignedEnd - w.base) {
                values.consider(c, p)
                let abs = Candidate(rule: c.rule, start: c.start + w.base, end: c.end + w.base)
                kept.append(abs)
                firstFindings.append(counter.finding(abs, in: w, file: file))
            }
        }
    }

    /// Pass 2: echoes of the kept values, resolved with the kept candidates, suppressed, counted
    /// and, when `redacting`, written redacted to `output`.
    mutating func secondPass(redacting: Bool, output: ([UInt8]) throws -> Void) throws -> [SecretFinding] {
        let source: Int32
        if spool >= 0 {
            source = spool
            guard lseek(spool, 0, SEEK_SET) == 0 else { throw ContextSyncError.io("cannot read back the temporary copy of", path: file, errno: errno) }
        } else {
            source = fd
            guard lseek(fd, off_t(startOffset), SEEK_SET) == off_t(startOffset) else { throw ContextSyncError.io("cannot read again", path: file, errno: errno) }
        }
        var w = StreamWindow(fd: source, chunk: limits.chunk, limit: total, storage: storage)
        storage = []
        var resolver = StreamOverlapResolver()
        var counter = StreamLineCounter()
        var findings: [SecretFinding] = []
        var out: [UInt8] = []
        var written = 0  // output written up to here (stream offset)
        var next = 0  // the next kept candidate to feed
        var i = 0  // the next position the echo search examines
        var hitIndex = 0
        let maxValue = 8192
        // The values' first bytes, when there are at most two of them (else: every position).
        let firsts = Set(values.byKey.values.flatMap { $0.map { $0.value[0] } })
        let firstBytes = firsts.count <= 2 ? Array(firsts).sorted() : []
        func emit(_ e: (candidate: Candidate, echo: Bool), _ w: StreamWindow) {
            let c = e.candidate
            if e.echo {
                let allowed = w.bytes.withUnsafeBufferPointer { b in
                    !scanner.suppress([Candidate(rule: c.rule, start: c.start - w.base, end: c.end - w.base)], b.baseAddress!, w.alignedEnd - w.base).isEmpty
                }
                if !allowed { return }
            }
            findings.append(counter.finding(c, in: w, file: file))
            if redacting {
                out.append(contentsOf: w.bytes[(written - w.base)..<(c.start - w.base)])
                out.append(contentsOf: Array("<REDACTED:\(c.rule.id)>".utf8))
                written = c.end
            }
        }
        var more = true
        while true {
            if more { more = try w.readChunk(path: file) }
            if !w.eof && w.alignedEnd - w.base - (i - w.base) < maxValue + limits.chunk { continue }
            let searchTo = w.eof ? w.end : w.alignedEnd - maxValue  // positions i < searchTo (i + 8 <= end at EOF)
            let n = w.end
            let byKey = values.byKey
            w.bytes.withUnsafeBufferPointer { b in
                let p = b.baseAddress! - w.base  // indexed by stream offset
                values.pairs.withUnsafeBufferPointer { pairs in
                let stop = min(searchTo, n - 7)  // positions with i < searchTo and i + 8 <= n
                var nextAt = [Int](repeating: -1, count: firstBytes.count)
                while i < stop {
                    if !firstBytes.isEmpty {
                        // Few first bytes (one token prefix, typically): jump to the next one with
                        // memchr; positions in between cannot start a value.
                        var jump = stop
                        for (k, byte) in firstBytes.enumerated() {
                            if nextAt[k] < i {
                                let found = memchr(p + i, Int32(byte), stop - i)
                                nextAt[k] = found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - p } ?? stop
                            }
                            jump = min(jump, nextAt[k])
                        }
                        i = jump
                        if i >= stop { break }
                    }
                    if pairs[Int(p[i]) << 8 | Int(p[i + 1])], let list = byKey[StreamEchoValues.key8(p + i)] {
                        while hitIndex < kept.count && kept[hitIndex].end <= i { hitIndex += 1 }
                        for v in list {
                            let len = v.value.count
                            guard i + len <= n, memcmp(p + i, v.value, len) == 0 else { continue }
                            let covered = hitIndex < kept.count && kept[hitIndex].start <= i && kept[hitIndex].end >= i + len
                            if !covered {
                                let echo = Candidate(rule: v.rule, start: i, end: i + len)
                                while next < kept.count && (kept[next].start < echo.start || (kept[next].start == echo.start && kept[next].end >= echo.end)) {
                                    if let e = resolver.feed(kept[next]) { emit(e, w) }
                                    next += 1
                                }
                                if let e = resolver.feed(echo, echo: true) { emit(e, w) }
                            }
                            i += len - 1
                            break
                        }
                    }
                    i += 1
                }
                }
            }
            // Kept candidates before the search position cannot be reordered by a later echo.
            while next < kept.count && (w.eof || kept[next].start < i) {
                if let e = resolver.feed(kept[next]) { emit(e, w) }
                next += 1
            }
            // Later candidates start at `i` or at the next kept one: the held one is final when
            // it ends before both.
            if let l = resolver.last, w.eof || (l.candidate.end <= i && (next == kept.count || l.candidate.end <= kept[next].start)) {
                resolver.last = nil
                emit(l, w)
            }
            if w.eof {
                if redacting { out.append(contentsOf: w.bytes[(written - w.base)..<w.filled]) }
                if redacting && !out.isEmpty { try output(out) }
                break
            }
            var hold = min(i, w.alignedEnd)
            if let l = resolver.last { hold = min(hold, l.candidate.start) }
            if next < kept.count { hold = min(hold, kept[next].start) }
            if redacting {
                if written < hold {
                    out.append(contentsOf: w.bytes[(written - w.base)..<(hold - w.base)])
                    written = hold
                }
                if !out.isEmpty {
                    try output(out)
                    out.removeAll(keepingCapacity: true)
                }
                hold = min(hold, written)
            }
            let cut = w.lineStart(max(w.base, hold))
            counter.advance(to: cut, in: w)
            w.discard(before: cut)
        }
        return findings
    }
}
