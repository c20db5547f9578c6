#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads and writes context-sync's own files inside a work tree, and nothing else: every path
/// component is opened relative to the previous one with `O_NOFOLLOW`, so a symlinked `.claude`
/// directory or a symlinked `learnings.md` is refused instead of followed out of the repository,
/// and only regular files are read or replaced. Writes are atomic (temporary file in the same
/// directory, `fsync`, `renameat`, `fsync` of the directory).
///
/// A refusal is a `ContextSyncError` (exit status 2) naming the path and what to do.
public struct WorkTreeFile: Sendable {
    /// The work tree's top level (as libgit2 reports it; the top level itself may be reached
    /// through a symlink — that is the user's checkout path, not repository content).
    public let workdir: String

    public init(workdir: String) {
        self.workdir = workdir
    }

    /// The prefix of temporary files `write` creates (`.<name>.tmp-XXXXXX`).
    static func temporaryPrefix(for name: String) -> String { "." + name + ".tmp-" }

    /// The bytes of the regular file at `relativePath`, or nil when it does not exist.
    public func read(_ relativePath: String) throws -> [UInt8]? {
        let (dirs, name) = try Self.split(relativePath)
        guard let dir = try openDirectories(dirs, create: false, for: relativePath) else { return nil }
        defer { close(dir) }
        let fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let e = errno
            if e == ENOENT { return nil }
            if e == ELOOP { throw Self.symlinkRefusal(relativePath, workdir: workdir) }
            throw ContextSyncError.io("cannot open", path: full(relativePath), errno: e)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ContextSyncError.io("cannot stat", path: full(relativePath), errno: errno) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw Self.notRegularRefusal(relativePath, workdir: workdir) }
        var out: [UInt8] = []
        out.reserveCapacity(Int(st.st_size))
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ContextSyncError.io("cannot read", path: full(relativePath), errno: errno)
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    /// `read` as UTF-8 text; throws for content that is not UTF-8 (rewriting it would change
    /// bytes the user wrote).
    public func readText(_ relativePath: String) throws -> String? {
        guard let bytes = try read(relativePath) else { return nil }
        guard let s = String(bytes: bytes, encoding: .utf8) else {
            throw ContextSyncError("\(full(relativePath)) is not UTF-8 text; context-sync will not rewrite it (convert it to UTF-8)")
        }
        return s
    }

    /// What is at `relativePath`: nothing, a regular file, or something context-sync refuses.
    /// Never follows a symlink.
    public func check(_ relativePath: String) throws -> Bool {
        let (dirs, name) = try Self.split(relativePath)
        guard let dir = try openDirectories(dirs, create: false, for: relativePath) else { return false }
        defer { close(dir) }
        var st = stat()
        if fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
            if errno == ENOENT { return false }
            throw ContextSyncError.io("cannot stat", path: full(relativePath), errno: errno)
        }
        if (st.st_mode & S_IFMT) == S_IFLNK { throw Self.symlinkRefusal(relativePath, workdir: workdir) }
        if (st.st_mode & S_IFMT) != S_IFREG { throw Self.notRegularRefusal(relativePath, workdir: workdir) }
        return true
    }

    /// Replaces (or creates) the regular file at `relativePath` with `bytes`, atomically. New
    /// directories get mode 0755; a new file gets `mode`, an existing one keeps its mode.
    public func write(_ bytes: [UInt8], to relativePath: String, mode: mode_t = 0o644) throws {
        let (dirs, name) = try Self.split(relativePath)
        guard let dir = try openDirectories(dirs, create: true, for: relativePath) else {
            throw ContextSyncError("cannot create the directory of \(full(relativePath))")
        }
        defer { close(dir) }
        var keepMode = mode
        var st = stat()
        if fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 {
            if (st.st_mode & S_IFMT) == S_IFLNK { throw Self.symlinkRefusal(relativePath, workdir: workdir) }
            if (st.st_mode & S_IFMT) != S_IFREG { throw Self.notRegularRefusal(relativePath, workdir: workdir) }
            keepMode = st.st_mode & 0o7777
        }
        var tmpName = ""
        var fd: Int32 = -1
        for _ in 0..<100 {
            tmpName = Self.temporaryPrefix(for: name) + Self.randomSuffix()
            fd = openat(dir, tmpName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw ContextSyncError.io("cannot create a temporary file next to", path: full(relativePath), errno: errno) }
        var done = false
        defer { if !done { unlinkat(dir, tmpName, 0) } }
        do {
            defer { close(fd) }
            let failed = writeAll(fd, bytes)
            if failed != 0 { throw ContextSyncError.io("cannot write", path: full(relativePath), errno: failed) }
            fchmod(fd, keepMode)
            if fsync(fd) != 0 { throw ContextSyncError.io("cannot fsync", path: full(relativePath), errno: errno) }
        }
        if renameat(dir, tmpName, dir, name) != 0 {
            throw ContextSyncError.io("cannot replace", path: full(relativePath), errno: errno)
        }
        done = true
        fsync(dir)
    }

    public func write(_ text: String, to relativePath: String) throws {
        try write(Array(text.utf8), to: relativePath)
    }

    /// Removes temporary files a killed run left next to `relativePath` (only regular files
    /// named like ours). Returns how many were removed.
    @discardableResult
    public func removeStaleTemporaries(of relativePath: String) -> Int {
        guard let (dirs, name) = try? Self.split(relativePath),
              let dir = try? openDirectories(dirs, create: false, for: relativePath) else { return 0 }
        defer { close(dir) }
        let prefix = Self.temporaryPrefix(for: name)
        let dup = Glibc_dup(dir)
        guard dup >= 0, let stream = fdopendir(dup) else { return 0 }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let n = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if n.hasPrefix(prefix) && n.count == prefix.count + 6 { names.append(n) }
        }
        var removed = 0
        for n in names {
            var st = stat()
            guard fstatat(dir, n, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlinkat(dir, n, 0) == 0 { removed += 1 }
        }
        return removed
    }

    // MARK: - Internals

    private func full(_ relativePath: String) -> String { workdir + "/" + relativePath }

    static func split(_ relativePath: String) throws -> (dirs: [String], name: String) {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.last, !name.isEmpty,
              !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw ContextSyncError("internal: not a plain repository-relative path: \(relativePath)")
        }
        return (Array(parts.dropLast()), name)
    }

    /// The directory holding the file, opened component by component without following a
    /// symlink; nil when a component is missing (and `create` is false).
    private func openDirectories(_ dirs: [String], create: Bool, for relativePath: String) throws -> Int32? {
        var fd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ContextSyncError.io("cannot open the work tree", path: workdir, errno: errno) }
        var walked = ""
        for d in dirs {
            walked += (walked.isEmpty ? "" : "/") + d
            var next = openat(fd, d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT && create {
                if mkdirat(fd, d, 0o755) != 0 && errno != EEXIST {
                    let e = errno
                    close(fd)
                    throw ContextSyncError.io("cannot create directory", path: full(walked), errno: e)
                }
                next = openat(fd, d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let e = errno
                var st = stat()
                let isLink = fstatat(fd, d, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
                close(fd)
                if e == ENOENT { return nil }
                if isLink || e == ELOOP { throw Self.symlinkRefusal(walked, workdir: workdir) }
                if e == ENOTDIR { throw Self.notRegularRefusal(walked, workdir: workdir, expected: "directory") }
                throw ContextSyncError.io("cannot open", path: full(walked), errno: e)
            }
            close(fd)
            fd = next
        }
        return fd
    }

    static func symlinkRefusal(_ relativePath: String, workdir: String) -> ContextSyncError {
        ContextSyncError("\(workdir)/\(relativePath) is a symbolic link; context-sync only reads and writes regular files inside the work tree (replace the link with a regular file or directory, then run again)")
    }

    static func notRegularRefusal(_ relativePath: String, workdir: String, expected: String = "file") -> ContextSyncError {
        ContextSyncError("\(workdir)/\(relativePath) is not a regular \(expected); context-sync only reads and writes regular files inside the work tree (move it away, then run again)")
    }

    private static func randomSuffix() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<6).map { _ in alphabet.randomElement()! })
    }
}

@inline(__always) private func Glibc_read(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, p, n)
    #else
    Darwin.read(fd, p, n)
    #endif
}

@inline(__always) private func Glibc_dup(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.dup(fd)
    #else
    Darwin.dup(fd)
    #endif
}
