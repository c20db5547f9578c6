#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a small file context-sync owns or is configured by (config.toml, a state file), telling
/// "not there" (nil) apart from "there but unusable" (a one-line error naming the file): a
/// directory in its place, no permission, a read error. Never silently an empty file.
public enum UserFile {
    /// The file's bytes; nil when nothing exists at `path` (a dangling symlink counts as nothing).
    /// `what` names the file in errors ("config file", "state file"), `remedy` says what to do.
    public static func readIfPresent(_ path: String, what: String, remedy: String) throws -> [UInt8]? {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) } while fd < 0 && errno == EINTR
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            let fix = code == EACCES || code == EPERM ? "make it readable, or " + remedy : remedy
            throw ContextSyncError("cannot read \(what) \(path): \(String(cString: strerror(code))) (\(fix))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw ContextSyncError("cannot read \(what) \(path): \(String(cString: strerror(errno))) (\(remedy))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw ContextSyncError("\(what) \(path) is a directory, not a file (\(remedy))")
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            throw ContextSyncError("\(what) \(path) is not a regular file (\(remedy))")
        }
        var out: [UInt8] = []
        out.reserveCapacity(Int(st.st_size))
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ContextSyncError("cannot read \(what) \(path): \(String(cString: strerror(errno))) (\(remedy))")
            }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    /// The 1-based line of the first NUL byte, nil when there is none.
    public static func lineOfFirstNUL(_ bytes: [UInt8]) -> Int? {
        guard let i = bytes.firstIndex(of: 0) else { return nil }
        return bytes[..<i].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }
}
