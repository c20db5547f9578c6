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

extension SecretScanner {
    /// Window size for streamed scans: memory stays about this size whatever the input size.
    public static let streamWindow = 8 << 20
    /// Bytes after a window's reporting cut that are still read, so a secret starting before the
    /// cut is seen whole (PEM blocks, long tokens; matchers read at most this far ahead in
    /// practice, except private-key bodies, which need only 64 base64 characters to be reported).
    static let streamLookahead = 256 << 10
    /// Bytes before the cut kept for the next window, so context rules (a name before its value,
    /// `curl` before `-u`, CREATE USER before IDENTIFIED BY) still see their context.
    static let streamLookbehind = 64 << 10

    /// Scans what `fd` yields, in windows of 8 MB (bounded memory: `scan` no longer loads a whole
    /// file). Findings are the same as `scan(bytes:)` on the whole content, with lines and columns
    /// counted over the whole stream; a secret echoed in a window other than the one where it was
    /// first found is reported only where the rules find it.
    ///
    /// - Throws: `ContextSyncError` naming `file` when reading fails.
    public func scan(reading fd: Int32, file: String, skipBinary: Bool, window: Int = SecretScanner.streamWindow) throws -> SecretStreamScan {
        let capacity = max(window, 1024)
        let lookahead = min(Self.streamLookahead, capacity / 4), lookbehind = min(Self.streamLookbehind, capacity / 8)
        var buffer = [UInt8](repeating: 0, count: capacity)
        var filled = 0
        var total = 0
        var firstLine = 1, firstColumns = 0
        var reportFrom = 0  // buffer offset from which findings are new
        var result: [SecretFinding] = []
        var first = true
        var eof = false
        while true {
            while filled < capacity && !eof {
                let got = buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress! + filled, capacity - filled) }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw ContextSyncError.io("cannot read", path: file, errno: errno)
                }
                if got == 0 { eof = true } else { filled += got; total += got }
            }
            if first {
                first = false
                if skipBinary && buffer[0..<min(filled, 8000)].contains(0) { return SecretStreamScan(findings: [], bytes: 0, skippedBinary: true) }
            }
            let cut = eof ? filled : filled - lookahead
            buffer.withUnsafeBufferPointer { all in
                let buf = UnsafeBufferPointer(rebasing: all[0..<filled])
                let hits = locate(buf).filter { $0.start >= reportFrom && $0.start < cut }
                if !hits.isEmpty { result += findings(hits, in: buf, file: file, firstLine: firstLine, firstColumns: firstColumns) }
            }
            if eof { break }
            // Keep the lookbehind before the cut, starting at a line start when there is one.
            var keep = max(0, cut - lookbehind)
            var k = keep
            while k < cut && buffer[k] != UInt8(ascii: "\n") { k += 1 }
            if k < cut { keep = k + 1 }
            // Line and column of the new first byte.
            var lastNewline = -1
            for m in 0..<keep where buffer[m] == UInt8(ascii: "\n") {
                firstLine += 1
                lastNewline = m
            }
            let columnsBefore = buffer.withUnsafeBufferPointer { all in
                String(decoding: UnsafeBufferPointer(rebasing: all[(lastNewline + 1)..<keep]), as: UTF8.self).count
            }
            firstColumns = lastNewline >= 0 ? columnsBefore : firstColumns + columnsBefore
            buffer.withUnsafeMutableBufferPointer { b in
                _ = memmove(b.baseAddress!, b.baseAddress! + keep, filled - keep)
            }
            filled -= keep
            reportFrom = cut - keep
        }
        return SecretStreamScan(findings: result, bytes: total, skippedBinary: false)
    }
}
