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
            s = s.replacingOccurrences(of: #"(?<![A-Za-z0-9_])[A-Za-z]:[\\/]Users[\\/][A-Za-z0-9_.\-]+(?=[\\/])"#,
                                       with: "~", options: .regularExpression)
        }
        if Self.hasDriveLetterBeforeUsers(s) {
            s = s.replacingOccurrences(of: #"(?<![A-Za-z0-9_.~/\-])/[a-z]/Users/[A-Za-z0-9_.\-]+(?=/)"#, with: "~",
                                       options: .regularExpression)
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
