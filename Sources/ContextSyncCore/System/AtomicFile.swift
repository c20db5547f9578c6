#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes files so that a killed process leaves either the old or the new content, never a mix:
/// a temporary file in the same directory, `fsync`, `rename`, then `fsync` of the directory.
public enum AtomicFile {
    /// Writes `data` to `path`, creating parent directories (mode 0700 for new ones) as needed.
    public static func write(_ data: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try makeDirectories(dir.isEmpty ? "." : dir)
        let base = (path as NSString).lastPathComponent
        var template = Array("\(dir.isEmpty ? "." : dir)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ContextSyncError.io("cannot create a temporary file next to", path: path, errno: errno) }
        let tmpPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = false
        defer {
            if !ok { unlink(tmpPath) }
        }
        do {
            defer { close(fd) }
            let failed = writeAll(fd, data)
            if failed != 0 { throw ContextSyncError.io("cannot write", path: tmpPath, errno: failed) }
            fchmod(fd, mode)
            if fsync(fd) != 0 { throw ContextSyncError.io("cannot fsync", path: tmpPath, errno: errno) }
        }
        if rename(tmpPath, path) != 0 { throw ContextSyncError.io("cannot replace", path: path, errno: errno) }
        ok = true
        syncDirectory(dir.isEmpty ? "." : dir)
    }

    public static func write(_ string: String, to path: String, mode: mode_t = 0o644) throws {
        try write(Array(string.utf8), to: path, mode: mode)
    }

    /// `mkdir -p` with mode 0700 for directories it creates.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { return }
            throw ContextSyncError("not a directory: \(path) (move the file away or choose another location)")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw ContextSyncError.io("cannot create directory", path: path, errno: errno)
        }
    }

    private static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}

/// Writes all of `bytes` to `fd`, retrying after EINTR and short writes. Returns 0, or the
/// errno of the failed write.
@discardableResult
public func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { raw in
            #if canImport(Glibc)
            Glibc.write(fd, raw.baseAddress! + offset, bytes.count - offset)
            #else
            Darwin.write(fd, raw.baseAddress! + offset, bytes.count - offset)
            #endif
        }
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        if n == 0 { return EIO }
        offset += n
    }
    return 0
}
