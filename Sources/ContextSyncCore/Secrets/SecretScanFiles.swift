#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// File-system side of `context-sync scan`: which files a path stands for, and reading them.
public enum SecretScanFiles {
    /// The files `paths` stand for, in order: a file stands for itself; a directory for every
    /// regular file below it (sorted, recursively), skipping `.git` directories and symbolic
    /// links (so a link cycle cannot loop and nothing outside the tree is read). Binary files
    /// are skipped later, when their content is read (`isBinary`).
    ///
    /// - Throws: `ContextSyncError` (usage) for a path that does not exist or cannot be listed.
    public static func expand(_ paths: [String]) throws -> [(path: String, explicit: Bool)] {
        var out: [(String, Bool)] = []
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else {
                throw ContextSyncError.io("cannot scan", path: path, errno: errno)
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try walk(path, into: &out)
            } else {
                out.append((path, true))
            }
        }
        return out
    }

    private static func walk(_ dir: String, into out: inout [(String, Bool)]) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        } catch {
            throw ContextSyncError("cannot list directory \(dir) (check its permissions)")
        }
        for name in names {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if name == ".git" { continue }
                try walk(path, into: &out)
            case S_IFREG:
                out.append((path, false))
            default:
                continue  // symbolic links, sockets, devices
            }
        }
    }

    /// Reads a whole file (or standard input for `-`).
    public static func read(_ path: String) throws -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ContextSyncError.io("cannot open", path: path, errno: errno) }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        var capacity = 1 << 16
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { capacity = max(capacity, Int(st.st_size) + 1) }
        var bytes = [UInt8](repeating: 0, count: capacity)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: bytes.count)) }
            let got = bytes.withUnsafeMutableBytes { raw in
                Glibc_read(fd, raw.baseAddress! + count, raw.count - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw ContextSyncError.io("cannot read", path: path, errno: errno)
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Binary content: a NUL byte in the first 8,000 bytes (git's own test).
    public static func isBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8000).contains(0)
    }

    @inline(__always)
    private static func Glibc_read(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.read(fd, buf, count)
        #else
        return Darwin.read(fd, buf, count)
        #endif
    }
}
