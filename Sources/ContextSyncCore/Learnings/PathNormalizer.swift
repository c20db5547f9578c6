import Foundation

/// Makes text portable across machines: paths under the repository become repo-relative, the
/// home directory becomes `~`, and what remains machine-specific can be detected.
public struct PathNormalizer: Sendable {
    /// Absolute roots that mean "the repository" (local work trees and the launch directories
    /// sessions recorded on other machines), longest first.
    public var repoRoots: [String]
    public var homes: [String]

    public init(repoRoots: [String], home: String) {
        var roots = Set<String>()
        for r in repoRoots where r.count > 1 {
            let n = Paths.normalize(r)
            roots.insert(n)
            // A Windows root as text spells it: `C:\Users\me\app`, `C:/Users/me/app`, `c:\…`.
            if Paths.isWindows(n) {
                let back = n.replacingOccurrences(of: "/", with: "\\")
                for v in [n, back] { roots.insert(v); roots.insert(v.prefix(1).lowercased() + v.dropFirst()) }
                // Git Bash and MSYS spell it /c/Users/me/app.
                roots.insert("/" + n.prefix(1).lowercased() + n.dropFirst(2))
            }
        }
        self.repoRoots = roots.sorted { $0.count > $1.count }
        self.homes = home.count > 1 ? [Paths.normalize(home)] : []
    }

    /// Rewrites every occurrence of a repository root (`<root>/x` → `x`, `<root>` → `.`) and of
    /// the home directory (`<home>/x` → `~/x`).
    public func normalize(_ text: String) -> String {
        var s = text
        for root in repoRoots where ByteSearch.contains(s, root) {
            s = TextBytes.replacing(s, root + "/", with: "")
            if Paths.isWindows(root) { s = TextBytes.replacing(s, root + "\\", with: "") }
            s = Self.replaceWhole(root, with: ".", in: s)
        }
        for home in homes where ByteSearch.contains(s, home) {
            s = TextBytes.replacing(s, home + "/", with: "~/")
            s = Self.replaceWhole(home, with: "~", in: s)
        }
        // Windows home directories (`C:\Users\<user>\`, `C:/Users/<user>/`, Git Bash `/c/Users/<user>/`)
        // become `~`, before the POSIX ones below would take `/Users/<user>` out of them.
        if ByteSearch.contains(s, ":\\Users\\") || ByteSearch.contains(s, ":/Users/") {
            s = Self.replaceWindowsHomes(s, gitBash: false)
        }
        if Self.hasDriveLetterBeforeUsers(s) {
            s = Self.replaceWindowsHomes(s, gitBash: true)
        }
        // Other machines' home directories (`/home/<user>/`, `/Users/<user>/`) become `~/` too.
        for prefix in ["/home/", "/Users/"] where ByteSearch.contains(s, prefix) {
            s = Self.replaceForeignHomes(prefix, in: s)
        }
        return s
    }

    /// Whether `/x/Users/` (one lower-case letter, Git Bash's drive) occurs: what the pattern
    /// above needs before it can match.
    static func hasDriveLetterBeforeUsers(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in
            ByteSearch.offsets(of: Array("/Users/".utf8), in: b).contains { at in
                at >= 2 && b[at - 2] == UInt8(ascii: "/") && b[at - 1] >= UInt8(ascii: "a") && b[at - 1] <= UInt8(ascii: "z")
            }
        }
    }

    /// Windows home directories replaced by `~`, by bytes: `C:\Users\<user>` or `C:/Users/<user>`
    /// (a drive letter not after a word character; then `\` or `/`, `Users`, `\` or `/`, a
    /// user name of `[A-Za-z0-9_.-]`, and a separator after it, which stays), or with `gitBash`,
    /// `/c/Users/<user>` (a lower-case drive, not after `[A-Za-z0-9_.~/-]`, `/` separators).
    /// Every byte it looks at is ASCII, so this is Foundation's regular-expression replacement
    /// of the same pattern (`windowsHomePattern`, compared in PathNormalizerTests).
    static func replaceWindowsHomes(_ text: String, gitBash: Bool) -> String {
        var s = text
        return s.withUTF8 { b -> String in
            func isWord(_ c: UInt8) -> Bool {
                c &- 0x41 < 26 || c &- 0x61 < 26 || c &- 0x30 < 10 || c == 0x5F
            }
            func isUserByte(_ c: UInt8) -> Bool { isWord(c) || c == 0x2E || c == 0x2D }
            func isSeparator(_ c: UInt8) -> Bool { c == 0x2F || (!gitBash && c == 0x5C) }
            var out: [UInt8] = []
            var copied = 0
            for at in ByteSearch.offsets(of: Array("Users".utf8), in: b) {
                // at-3: the drive letter; at-2: `:` (or `/` for Git Bash); at-1: a separator.
                guard at >= 3, at - 3 >= copied, isSeparator(b[at - 1]) else { continue }
                let drive = b[at - 3], colon = b[at - 2]
                if gitBash {
                    guard b[at - 1] == 0x2F, drive == 0x2F, colon &- 0x61 < 26 else { continue }
                    if at >= 4, isUserByte(b[at - 4]) || b[at - 4] == 0x7E || b[at - 4] == 0x2F { continue }
                } else {
                    guard colon == 0x3A, drive &- 0x41 < 26 || drive &- 0x61 < 26 else { continue }
                    if at >= 4, isWord(b[at - 4]) { continue }
                }
                var end = at + 5
                guard end < b.count, isSeparator(b[end]) else { continue }
                end += 1
                let user = end
                while end < b.count && isUserByte(b[end]) { end += 1 }
                guard end > user, end < b.count, isSeparator(b[end]) else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<(at - 3)]))
                out.append(0x7E)
                copied = end
            }
            if copied == 0 && out.isEmpty { return text }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied...]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func replaceForeignHomes(_ prefix: String, in s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let r = ByteSearch.range(of: prefix, in: rest) {
            let before = out.last ?? (r.lowerBound == rest.startIndex ? " " : rest[rest.index(before: r.lowerBound)])
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            let user = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
            let isPathStart = before == " " || before == "`" || before == "(" || before == "'" || before == "\"" || before == "="
                || before == ":" || before == "\n"
            if isPathStart, !user.isEmpty, after.dropFirst(user.count).first == "/" {
                out += "~"
                rest = after.dropFirst(user.count)
            } else {
                out += prefix
                rest = after
            }
        }
        return out + rest
    }

    /// Replaces `needle` where it is not followed by a path character.
    static func replaceWhole(_ needle: String, with replacement: String, in s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let r = ByteSearch.range(of: needle, in: rest) {
            out += rest[..<r.lowerBound]
            let next = rest[r.upperBound...].first
            if let next, next.isLetter || next.isNumber || next == "-" || next == "_" || next == "." || next == "/" {
                out += needle
            } else {
                out += replacement
            }
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    /// Prefixes of paths that only make sense on one machine.
    static let machinePrefixes = ["/home/", "/Users/", "/tmp/", "/private/", "/var/folders/", "/var/tmp/", "/root/",
                                  "/mnt/", "/media/", "/opt/homebrew/", "C:\\", "/Volumes/", "/workspace/", "/path/to/"]

    /// True when `text` still contains an absolute machine-specific path.
    public static func containsMachinePath(_ text: String) -> Bool {
        for p in machinePrefixes where ByteSearch.contains(text, p) {
            // A prefix inside a URL (https://host/home/...) is not a local path.
            guard let r = ByteSearch.range(of: p, in: text) else { continue }
            let before = text[..<r.lowerBound].suffix(1)
            if before.isEmpty || before == " " || before == "`" || before == "(" || before == "'" || before == "\"" || before == "=" || before == ":" {
                return true
            }
        }
        return false
    }
}
