#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Small path helpers that avoid Foundation's URL round trips on hot paths.
public enum Paths {
    /// Makes `path` absolute against the current directory and removes `.`/`..`/duplicate slashes.
    public static func absolute(_ path: String) -> String {
        let p = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return normalize(p)
    }

    /// Lexical normalisation: collapses `//`, `.` and `..`; keeps a leading `/`; no trailing `/`.
    public static func normalize(_ path: String) -> String {
        if isWindows(path) { return windowsCanonical(path) }
        guard path.hasPrefix("/") else { return path }
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(part)
        }
        return "/" + out.joined(separator: "/")
    }

    /// `C:\Users\me` or `c:/Users/me`: a path recorded on a Windows host.
    public static func isWindows(_ path: String) -> Bool {
        let u = Array(path.utf8.prefix(3))
        return u.count == 3 && ((u[0] >= 65 && u[0] <= 90) || (u[0] >= 97 && u[0] <= 122)) && u[1] == UInt8(ascii: ":")
            && (u[2] == UInt8(ascii: "\\") || u[2] == UInt8(ascii: "/"))
    }

    /// A Windows path in one spelling: upper-case drive letter, `/` separators, `.`/`..` resolved,
    /// no trailing separator (`c:\Users\me\src\` → `C:/Users/me/src`).
    public static func windowsCanonical(_ path: String) -> String {
        let drive = path.prefix(1).uppercased()
        var out: [Substring] = []
        for part in path.dropFirst(2).split(whereSeparator: { $0 == "/" || $0 == "\\" }) {
            if part == "." { continue }
            if part == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(part)
        }
        return drive + ":/" + out.joined(separator: "/")
    }

    /// `realpath(3)`, or the lexically normalised path when it does not exist.
    public static func resolve(_ path: String) -> String {
        guard let r = realpath(path, nil) else { return normalize(path) }
        defer { free(r) }
        return String(cString: r)
    }

    /// True when `path` equals `root` or lies below it.
    public static func isInside(_ path: String, root: String) -> Bool {
        if path == root { return true }
        if root == "/" { return path.hasPrefix("/") }
        return path.hasPrefix(root) && path.utf8.count > root.utf8.count
            && path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: root.utf8.count)] == UInt8(ascii: "/")
    }

    /// The part of `path` below `root` ("" when equal), or nil when outside.
    public static func relative(_ path: String, to root: String) -> String? {
        guard isInside(path, root: root) else { return nil }
        if path == root { return "" }
        let start = path.utf8.index(path.utf8.startIndex, offsetBy: root == "/" ? 1 : root.utf8.count + 1)
        return String(path[start...])
    }

    /// `path` with `home` shown as `~`, for display.
    public static func tilde(_ path: String, home: String) -> String {
        guard let rel = relative(path, to: home) else { return path }
        return rel.isEmpty ? "~" : "~/" + rel
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
