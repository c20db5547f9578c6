/// Normalises git remote URLs so the same repository gives the same key on every machine.
///
/// Rules (DESIGN.md §2): scheme, user and password dropped; `.git` suffix and trailing slashes
/// dropped; host lower-cased; scp-style `git@host:o/r` = `ssh://git@host/o/r` = `https://host/o/r`
/// = `host/o/r`; a non-default port is kept (`host:2222/o/r`). Path case is kept (paths are
/// case-sensitive on most servers), except that hosts known to be case-insensitive
/// (github.com, gitlab.com, bitbucket.org) have their path lower-cased too.
public enum RemoteURL {
    static let defaultPorts: [String: String] = ["ssh": "22", "git": "9418", "http": "80", "https": "443"]
    static let caseInsensitiveHosts: Set<String> = ["github.com", "gitlab.com", "bitbucket.org"]

    public static func normalize(_ raw: String) -> String {
        var s = raw.trimmingWhitespace()
        var scheme: String?
        var hostPart: Substring
        var path: Substring

        if let r = s.range(of: "://") {
            scheme = s[..<r.lowerBound].lowercased()
            let rest = s[r.upperBound...]
            if scheme == "file" {
                return "file:" + trimPath(String(rest))
            }
            if let slash = rest.firstIndex(of: "/") {
                hostPart = rest[..<slash]
                path = rest[rest.index(after: slash)...]
            } else {
                hostPart = rest
                path = ""
            }
        } else if isScpLike(s), let colon = s.firstIndex(of: ":") {
            scheme = "ssh"
            hostPart = s[..<colon]
            path = s[s.index(after: colon)...]
        } else {
            // A local path.
            if s.hasPrefix("~") == false && !s.hasPrefix("/") && !s.hasPrefix(".") {
                // Bare "host/owner/repo" (already normalised): keep as is.
                s = trimPath(s)
                return s
            }
            return "file:" + trimPath(s)
        }

        // Drop userinfo (user[:password]@).
        if let at = hostPart.lastIndex(of: "@") { hostPart = hostPart[hostPart.index(after: at)...] }
        var host = String(hostPart).lowercased()
        // Port: keep unless it is the scheme's default.
        if let colon = host.lastIndex(of: ":"), !host.hasPrefix("[") || host[..<colon].hasSuffix("]") {
            let port = String(host[host.index(after: colon)...])
            let name = String(host[..<colon])
            if port.isEmpty || port == defaultPorts[scheme ?? ""] || (port.allSatisfy(\.isNumber) == false) {
                host = name
            } else {
                host = name + ":" + port
            }
        }
        var p = trimPath(String(path))
        // ssh://host/~user/repo and scp "host:~/repo" keep the tilde; strip leading slashes.
        while p.hasPrefix("/") { p.removeFirst() }
        if caseInsensitiveHosts.contains(host) { p = p.lowercased() }
        return p.isEmpty ? host : host + "/" + p
    }

    /// scp-like syntax: `[user@]host:path` where the part before the first colon has no slash.
    static func isScpLike(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":") else { return false }
        let before = s[..<colon]
        if before.isEmpty || before.contains("/") { return false }
        // "C:\..." / "C:/..." Windows drive letters are local paths.
        if before.count == 1 { return false }
        return true
    }

    static func trimPath(_ p: String) -> String {
        var p = p
        while p.hasSuffix("/") { p.removeLast() }
        if p.hasSuffix(".git") { p.removeLast(4) }
        while p.hasSuffix("/") { p.removeLast() }
        return p
    }
}

extension String {
    func trimmingWhitespace() -> String {
        // Nothing to trim when the first and last bytes are ASCII and not whitespace: a
        // Character is whitespace when its first scalar is, the first character then starts with
        // that byte, and the last one with that byte or a Prepend scalar (never whitespace).
        if let f = utf8.first, let l = utf8.last, Self.isASCIINonSpace(f), Self.isASCIINonSpace(l) { return self }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    @inline(__always)
    private static func isASCIINonSpace(_ b: UInt8) -> Bool { b > 0x20 && b < 0x80 }
}
