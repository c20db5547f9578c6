import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Finds credentials in text before it is written to a shared git history or handed to another
/// program, and redacts them.
///
/// Detection is one pass over the bytes: a two-byte keyword prefilter (`AnchorTable`) finds the
/// few places where a provider prefix (`ghp_`, `AKIA`, `sk-ant-`, `-----BEGIN`, `://`…) or a
/// key-shaped word (`password`, `secret`, `token`…) starts, and hand-written matchers validate
/// only those places. See `docs/secret-scanner.md` for the rules and thresholds.
///
/// Suppressing a finding:
/// - put `context-sync:allow` anywhere on the line where the secret starts;
/// - or pass allowlist regular expressions: a finding is dropped when one matches the secret
///   itself or the line it starts on.
///
/// The scanner is a value, immutable and `Sendable`: share one across threads.
public struct SecretScanner: Sendable {
    /// The inline marker that suppresses findings on its line.
    public static let allowMarker = "context-sync:allow"

    private let allowlist: [AllowPattern]

    /// A scanner with no allowlist.
    public init() {
        self.allowlist = []
    }

    /// A scanner that drops findings matched by any of `allowlist` (ICU regular expressions, as
    /// written in `[secrets] allow = [...]` of config.toml or `--allow`).
    ///
    /// - Throws: `ContextSyncError` (usage) naming the first pattern that does not compile.
    public init(allowlist: [String]) throws {
        var patterns: [AllowPattern] = []
        for (index, source) in allowlist.enumerated() {
            do {
                patterns.append(AllowPattern(try NSRegularExpression(pattern: source)))
            } catch {
                // The pattern is shown redacted: one written around a real token must not print it.
                throw ContextSyncError(
                    "invalid secrets allowlist pattern #\(index + 1) \"\(SecretScanner().redact(source))\": not a regular expression (fix or remove it in [secrets] allow or --allow)"
                )
            }
        }
        self.allowlist = patterns
    }

    /// Every rule the scanner applies.
    public static var rules: [SecretRule] { SecretRule.all }

    /// Scans `text`; findings are in order of position. `file` is copied into each finding.
    public func scan(_ text: String, file: String? = nil) -> [SecretFinding] {
        scan(bytes: Array(text.utf8), file: file)
    }

    /// Scans raw bytes: invalid UTF-8 and binary content are fine (secrets are ASCII; excerpts
    /// and columns decode leniently, an invalid byte counting as one character).
    public func scan(bytes: [UInt8], file: String?) -> [SecretFinding] {
        bytes.withUnsafeBufferPointer { buf in
            let hits = locate(buf)
            return findings(hits, in: buf, file: file)
        }
    }

    /// Replaces each secret with `<REDACTED:rule-id>`. Redacting twice changes nothing, and
    /// scanning redacted text finds nothing.
    public func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let (out, _) = redact(bytes: bytes, file: nil)
        return String(decoding: out, as: UTF8.self)
    }

    /// Redacts raw bytes and returns the findings that were redacted (for reporting).
    public func redact(bytes: [UInt8], file: String?) -> (redacted: [UInt8], findings: [SecretFinding]) {
        bytes.withUnsafeBufferPointer { buf in
            let hits = locate(buf)
            guard !hits.isEmpty else { return (bytes, []) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var at = 0
            for hit in hits {
                out.append(contentsOf: buf[at..<hit.start])
                out.append(contentsOf: Array("<REDACTED:\(hit.rule.id)>".utf8))
                at = hit.end
            }
            out.append(contentsOf: buf[at..<buf.count])
            return (out, findings(hits, in: buf, file: file))
        }
    }

    // MARK: - Internals

    /// Candidates after overlap resolution and suppression, in order of position, disjoint.
    func locate(_ buf: UnsafeBufferPointer<UInt8>) -> [Candidate] {
        guard let base = buf.baseAddress, buf.count >= 2 else { return [] }
        var run = ScanRun(base, count: buf.count)
        run.run()
        guard !run.candidates.isEmpty else { return [] }
        let resolved = Self.resolveOverlaps(run.candidates)
        let kept = suppress(resolved, base, buf.count)
        guard !kept.isEmpty else { return [] }
        // A secret found once is a secret everywhere in the same input: the value of
        // `PGPASSWORD=…` in a command is also the one the tool output echoes.
        let echoes = Self.echoes(of: kept, base, buf.count)
        guard !echoes.isEmpty else { return kept }
        return suppress(Self.resolveOverlaps(kept + echoes), base, buf.count)
    }

    /// Every other occurrence of a found secret's value (six bytes or more) in the same input, as
    /// a candidate of the same rule. One pass: a 64K-entry table of the values' first two bytes
    /// filters positions, then values starting with those bytes are compared.
    /// Mixed classes or punctuation, not words: worth finding again elsewhere.
    static func isDistinctive(_ v: ByteSpan) -> Bool {
        ValueHeuristics.classCount(v) >= 2 && (!ValueHeuristics.looksLikeWords(v) || ValueHeuristics.hasPasswordSymbol(v) || ValueHeuristics.isRealLookingPassword(v))
    }

    static func echoes(of hits: [Candidate], _ p: UnsafePointer<UInt8>, _ n: Int) -> [Candidate] {
        // Values are keyed by their first eight bytes (prefixed tokens share their first bytes:
        // `ghp_…`), filtered by their first two.
        @inline(__always) func key8(_ i: Int) -> UInt64 {
            var k: UInt64 = 0
            for j in 0..<8 { k = k << 8 | UInt64(p[i + j]) }
            return k
        }
        var values: [UInt64: [Candidate]] = [:]
        var pairs = [Bool](repeating: false, count: 65536)
        var distinct = 0
        for h in hits where h.end - h.start >= 8 && h.end - h.start <= 8192 && Self.isDistinctive(ByteSpan(base: p, start: h.start, end: h.end)) {
            let key = key8(h.start)
            let len = h.end - h.start
            if values[key]?.contains(where: { $0.end - $0.start == len && memcmp(p + $0.start, p + h.start, len) == 0 }) == true { continue }
            values[key, default: []].append(h)
            pairs[Int(p[h.start]) << 8 | Int(p[h.start + 1])] = true
            distinct += 1
            if distinct >= 4096 { break }
        }
        guard distinct > 0 else { return [] }
        var out: [Candidate] = []
        pairs.withUnsafeBufferPointer { table in
            var i = 0
            var hitIndex = 0
            while i + 8 <= n {
                if table[Int(p[i]) << 8 | Int(p[i + 1])], let list = values[key8(i)] {
                    while hitIndex < hits.count && hits[hitIndex].end <= i { hitIndex += 1 }
                    for v in list {
                        let len = v.end - v.start
                        guard i + len <= n, memcmp(p + i, p + v.start, len) == 0 else { continue }
                        let covered = hitIndex < hits.count && hits[hitIndex].start <= i && hits[hitIndex].end >= i + len
                        if !covered { out.append(Candidate(rule: v.rule, start: i, end: i + len)) }
                        i += len - 1
                        break
                    }
                }
                i += 1
            }
        }
        return out
    }

    /// Sorts by position and keeps, among overlapping candidates, the most specific rule (then
    /// the longest match).
    static func resolveOverlaps(_ candidates: [Candidate]) -> [Candidate] {
        let sorted = candidates.sorted { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        var kept: [Candidate] = []
        for c in sorted {
            guard let last = kept.last, c.start < last.end else {
                kept.append(c)
                continue
            }
            let better = c.rule.priority > last.rule.priority
                || (c.rule.priority == last.rule.priority && c.end - c.start > last.end - last.start)
            if better { kept[kept.count - 1] = c }
        }
        return kept
    }

    /// Drops candidates on a line holding `context-sync:allow`, or matched by the allowlist.
    /// Candidates are in order, so each line is examined once however many secrets it holds.
    func suppress(_ candidates: [Candidate], _ p: UnsafePointer<UInt8>, _ n: Int) -> [Candidate] {
        var kept: [Candidate] = []
        var lineStart = -1, lineEnd = -1
        var lineAllowed = false
        var lineText: String? = nil
        for c in candidates {
            if c.start >= lineEnd || c.start < lineStart {
                var s = c.start, e = c.start
                while s > 0 && p[s - 1] != UInt8(ascii: "\n") { s -= 1 }
                while e < n && p[e] != UInt8(ascii: "\n") { e += 1 }
                lineStart = s
                lineEnd = e
                lineAllowed = ByteSpan(base: p, start: s, end: e).containsLowercased("context-sync:allow")
                lineText = nil
            }
            if lineAllowed { continue }
            if !allowlist.isEmpty {
                let secret = ByteSpan(base: p, start: c.start, end: c.end).string
                if lineText == nil { lineText = ByteSpan(base: p, start: lineStart, end: lineEnd).string }
                if allowlist.contains(where: { $0.matches(secret) || $0.matches(lineText!) }) { continue }
            }
            kept.append(c)
        }
        return kept
    }

    /// `firstLine` / `firstColumns`: the line of the buffer's first byte and the characters before
    /// it on that line (when the buffer is a window of a larger stream).
    func findings(_ hits: [Candidate], in buf: UnsafeBufferPointer<UInt8>, file: String?, firstLine: Int = 1, firstColumns: Int = 0) -> [SecretFinding] {
        var result: [SecretFinding] = []
        result.reserveCapacity(hits.count)
        var line = firstLine
        var lineStart = 0
        var cursor = 0
        // Columns are counted incrementally from the previous finding on the same line, so many
        // findings on one huge line stay linear. Secrets start with an ASCII character, which
        // always begins a new character, so counting in pieces gives the same total.
        var countedFrom = 0
        var countedColumns = firstColumns
        for hit in hits {
            while cursor < hit.start {
                if buf[cursor] == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = cursor + 1
                }
                cursor += 1
            }
            if countedFrom < lineStart {
                countedFrom = lineStart
                countedColumns = 0
            }
            countedColumns += String(decoding: UnsafeBufferPointer(rebasing: buf[countedFrom..<hit.start]), as: UTF8.self).count
            countedFrom = hit.start
            let secret = String(decoding: UnsafeBufferPointer(rebasing: buf[hit.start..<min(hit.end, hit.start + 64)]), as: UTF8.self)
            result.append(
                SecretFinding(
                    rule: hit.rule.id, line: line, column: countedColumns + 1,
                    excerpt: SecretFinding.mask(Substring(secret)), file: file))
        }
        return result
    }
}

/// A compiled allowlist pattern. `NSRegularExpression` is immutable and documented as safe to
/// use from several threads at once.
final class AllowPattern: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ regex: NSRegularExpression) {
        self.regex = regex
    }

    func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }
}
