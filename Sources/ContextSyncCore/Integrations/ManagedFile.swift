#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reading, classifying, writing and removing the files an installer owns.
enum ManagedFile {
    /// How a file on disk compares with the one an installer wants there.
    enum State: Equatable {
        /// Nothing there.
        case absent
        /// Exactly the wanted bytes.
        case same
        /// Written by context-sync (it carries the marker), with other content.
        case ours
        /// Somebody else's file.
        case foreign
    }

    /// The file's bytes, or nil when there is no file. A directory or an unreadable file is an error.
    static func read(_ path: String) throws -> [UInt8]? {
        var st = stat()
        if lstat(path, &st) != 0 {
            if errno == ENOENT { return nil }
            throw ContextSyncError.io("cannot inspect", path: path, errno: errno)
        }
        if Paths.isDirectory(path) {
            throw ContextSyncError("\(path) is a directory, not a file (move it away and run again)")
        }
        if (st.st_mode & S_IFMT) == S_IFLNK && !Paths.exists(path) { return nil }
        guard let fh = FileHandle(forReadingAtPath: path) else {
            throw ContextSyncError("cannot read \(path) (check its permissions)")
        }
        defer { try? fh.close() }
        do {
            return Array(try fh.readToEnd() ?? Data())
        } catch {
            throw ContextSyncError("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// True when `bytes` contain `IntegrationNames.installedMarker`.
    /// Nothing at `path` (not even a dangling symlink).
    static func absent(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) != 0
    }

    static func hasMarker(_ bytes: [UInt8]) -> Bool {
        contains(bytes, Array(IntegrationNames.installedMarker.utf8))
    }

    static func state(of path: String, wanted: [UInt8]) throws -> State {
        guard let existing = try read(path) else { return .absent }
        if existing == wanted { return .same }
        return hasMarker(existing) ? .ours : .foreign
    }

    /// Writes atomically. A symbolic link (a dotfiles manager's) is kept: its target is replaced.
    /// An existing file keeps its permission bits; a new one gets `defaultMode`.
    static func write(_ bytes: [UInt8], to path: String, defaultMode: mode_t = 0o644) throws {
        var target = path
        var st = stat()
        if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK && Paths.exists(path) {
            target = Paths.resolve(path)
        }
        var mode = defaultMode
        if stat(target, &st) == 0 { mode = st.st_mode & 0o7777 }
        try AtomicFile.write(bytes, to: target, mode: mode)
    }

    /// Uninstalls one file of ours: says so when it is absent, refuses when it is someone
    /// else's, else removes it. Returns whether it was removed (the caller then removes the
    /// folders it made, once they are empty).
    static func uninstall(_ path: String, wanted: [UInt8], into report: inout InstallReport) throws -> Bool {
        switch try state(of: path, wanted: wanted) {
        case .absent:
            report.did("not installed: \(path)")
            return false
        case .foreign:
            throw ContextSyncError.foreignFile(path, what: "remove")
        case .same, .ours:
            try remove(path)
            report.did("removed \(path)")
            return true
        }
    }

    static func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw ContextSyncError.io("cannot remove", path: path, errno: errno)
        }
    }

    /// Removes `dir` when it is empty; leaves it otherwise. Returns true when it was removed.
    @discardableResult
    static func removeDirectoryIfEmpty(_ dir: String) -> Bool {
        rmdir(dir) == 0
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && Array(haystack[i..<(i + needle.count)]) == needle { return true }
            i += 1
        }
        return false
    }
}

/// Quoting for the places a path ends up in.
public enum Quoting {
    /// A word for `sh`: as is when it holds only safe characters, else in single quotes.
    public static func shell(_ s: String) -> String {
        if !s.isEmpty && s.unicodeScalars.allSatisfy({ safeShell($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// A word for a crontab command: shell-quoted, and `%` (a newline to cron) escaped.
    public static func crontab(_ s: String) -> String {
        shell(s).replacingOccurrences(of: "%", with: #"\%"#)
    }

    /// A word for a systemd `ExecStart=` line: `%` specifiers and `$` expansions escaped, and
    /// double quotes when it contains spaces, quotes or backslashes.
    public static func systemd(_ s: String) -> String {
        var t = s.replacingOccurrences(of: "%", with: "%%").replacingOccurrences(of: "$", with: "$$")
        let needsQuotes = t.unicodeScalars.contains { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == ";" }
        if needsQuotes {
            t = "\"" + t.replacingOccurrences(of: "\\", with: #"\\"#).replacingOccurrences(of: "\"", with: #"\""#) + "\""
        }
        return t
    }

    /// Text for an XML element.
    public static func xml(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    private static func safeShell(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "a"..."z", "A"..."Z", "0"..."9", "/", ".", "_", "-", "+", ",", ":", "@": return true
        default: return false
        }
    }
}

extension String {
    /// Replaces each `{{NAME}}` placeholder with its value in one pass (a value is never
    /// scanned again); unknown placeholders stay as they are.
    func filling(_ values: [String: String]) -> String {
        var out = ""
        var rest = self[...]
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}"), let value = values[String(after[..<close.lowerBound])] else {
                out += "{{"
                rest = after
                continue
            }
            out += value
            rest = after[close.upperBound...]
        }
        return out + rest
    }
}
