import Foundation

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
                throw ContextSyncError(
                    "invalid secrets allowlist pattern #\(index + 1) \"\(source)\": not a regular expression (fix or remove it in [secrets] allow or --allow)"
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
        return suppress(resolved, base, buf.count)
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
    private func suppress(_ candidates: [Candidate], _ p: UnsafePointer<UInt8>, _ n: Int) -> [Candidate] {
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

    private func findings(_ hits: [Candidate], in buf: UnsafeBufferPointer<UInt8>, file: String?) -> [SecretFinding] {
        var result: [SecretFinding] = []
        result.reserveCapacity(hits.count)
        var line = 1
        var lineStart = 0
        var cursor = 0
        // Columns are counted incrementally from the previous finding on the same line, so many
        // findings on one huge line stay linear. Secrets start with an ASCII character, which
        // always begins a new character, so counting in pieces gives the same total.
        var countedFrom = 0
        var countedColumns = 0
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
