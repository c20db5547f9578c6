#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file line by line with a reusable buffer: memory stays bounded by the longest line
/// (capped by `maxLineBytes`), whatever the file size.
///
/// - A leading UTF-8 BOM and a trailing `\r` on each line are stripped.
/// - An unterminated last line (a live session mid-write) is not delivered; `unterminatedTail`
///   says it was seen, and `consumedBytes` stops before it.
/// - A line longer than `maxLineBytes` is skipped without being held in memory and counted in
///   `oversizedLines`.
public struct LineReader {
    public struct Stats: Sendable, Equatable {
        /// Complete lines delivered (blank lines are not delivered and not counted).
        public var lines = 0
        /// Bytes up to and including the last complete line: the offset a later read may resume from.
        public var consumedBytes: Int64 = 0
        public var unterminatedTail = false
        public var oversizedLines = 0
    }

    /// Default cap: 256 MiB (base64 images and big reads make lines of tens of MB).
    public static let defaultMaxLineBytes = 256 << 20

    public let path: String
    public var maxLineBytes: Int
    public var chunkSize: Int

    public init(path: String, maxLineBytes: Int = LineReader.defaultMaxLineBytes, chunkSize: Int = 1 << 20) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.chunkSize = chunkSize
    }

    /// Calls `body` for each complete, non-blank line with a buffer valid only during the call.
    /// `body` returns false to stop early. Throws only for I/O errors (open/read).
    @discardableResult
    public func forEachLine(
        startingAt offset: Int64 = 0,
        _ body: (UnsafeBufferPointer<UInt8>, _ lineNumber: Int) throws -> Bool
    ) throws -> Stats {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ContextSyncError.io("cannot open", path: path, errno: errno) }
        defer { close(fd) }
        if offset > 0 && lseek(fd, off_t(offset), SEEK_SET) < 0 {
            throw ContextSyncError.io("cannot seek in", path: path, errno: errno)
        }
        var stats = Stats()
        stats.consumedBytes = offset
        // Not zeroed (only bytes `read` filled are looked at): zeroing a 1 MiB buffer per file cost
        // more than reading a small transcript.
        var buffer = [UInt8](unsafeUninitializedCapacity: max(chunkSize, 4096)) { _, count in count = max(chunkSize, 4096) }
        var start = 0  // first byte of the current (incomplete) line in buffer
        var end = 0  // bytes valid in buffer
        var skipping = false  // inside an oversized line: discard until newline
        var lineNumber = 0
        var firstLine = offset == 0
        var fileOffsetOfBufferStart = offset
        var stop = false

        while !stop {
            // Make room: move the partial line to the front, or grow for long lines.
            if start > 0 {
                if end > start {
                    buffer.withUnsafeMutableBytes { raw in
                        _ = memmove(raw.baseAddress!, raw.baseAddress! + start, end - start)
                    }
                }
                end -= start
                fileOffsetOfBufferStart += Int64(start)
                start = 0
            }
            if end == buffer.count {
                if buffer.count >= maxLineBytes {
                    // The current line is too long: drop what we hold and skip to its end.
                    skipping = true
                    fileOffsetOfBufferStart += Int64(end)
                    end = 0
                } else {
                    buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, maxLineBytes - buffer.count + 1)))
                }
            }
            let n = buffer.withUnsafeMutableBytes { raw in
                read(fd, raw.baseAddress! + end, raw.count - end)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ContextSyncError.io("cannot read", path: path, errno: errno)
            }
            if n == 0 {
                if end > start || skipping { stats.unterminatedTail = true }
                break
            }
            let scanFrom = end
            end += n
            try buffer.withUnsafeBufferPointer { buf in
                var cursor = scanFrom
                while cursor < end {
                    guard let nl = memchr(buf.baseAddress! + cursor, 0x0A, end - cursor) else { break }
                    let nlIndex = buf.baseAddress!.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                    lineNumber += 1
                    if skipping {
                        skipping = false
                        stats.oversizedLines += 1
                    } else {
                        var ls = start
                        var le = nlIndex
                        if firstLine && le - ls >= 3 && buf[ls] == 0xEF && buf[ls + 1] == 0xBB && buf[ls + 2] == 0xBF {
                            ls += 3
                        }
                        if le > ls && buf[le - 1] == 0x0D { le -= 1 }
                        var blank = true
                        var i = ls
                        while i < le {
                            let c = buf[i]
                            if c != 0x20 && c != 0x09 { blank = false; break }
                            i += 1
                        }
                        if !blank {
                            stats.lines += 1
                            if try !body(UnsafeBufferPointer(rebasing: buf[ls..<le]), lineNumber) {
                                stop = true
                            }
                        }
                    }
                    firstLine = false
                    start = nlIndex + 1
                    cursor = start
                    stats.consumedBytes = fileOffsetOfBufferStart + Int64(start)
                    if stop { return }
                }
            }
            if skipping {
                // Nothing of the oversized line needs keeping.
                fileOffsetOfBufferStart += Int64(end)
                start = 0
                end = 0
            }
        }
        return stats
    }
}
