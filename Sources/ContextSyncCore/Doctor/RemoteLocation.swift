import Foundation

/// What `doctor` needs to know about a remote URL: the transport, user, host and port, and a form
/// safe to print.
public struct RemoteLocation: Equatable, Sendable {
    public enum Transport: String, Sendable {
        case ssh, https, http, git, local
    }

    public var transport: Transport
    public var user: String?
    public var host: String?
    public var port: Int?
    /// The URL carries a password (`https://user:password@host/...`).
    public var hasPassword: Bool

    /// Parses `ssh://[user@]host[:port]/path`, scp-like `[user@]host:path`, `http(s)://`,
    /// `git://`, `file://` and plain paths.
    public static func parse(_ raw: String) -> RemoteLocation {
        let url = raw.trimmingWhitespace()
        if let r = url.range(of: "://") {
            let scheme = url[..<r.lowerBound].lowercased()
            let transport: Transport
            switch scheme {
            case "ssh", "git+ssh", "ssh+git": transport = .ssh
            case "https": transport = .https
            case "http": transport = .http
            case "git": transport = .git
            default: transport = .local  // file:// and anything libgit2 treats as a path
            }
            if transport == .local { return RemoteLocation(transport: .local, hasPassword: false) }
            let rest = url[r.upperBound...]
            let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            var hostPort = Substring(authority)
            var user: String?
            var hasPassword = false
            if let at = authority.lastIndex(of: "@") {
                let info = authority[..<at]
                hostPort = authority[authority.index(after: at)...]
                if let colon = info.firstIndex(of: ":") {
                    user = String(info[..<colon])
                    hasPassword = true
                } else {
                    user = String(info)
                }
            }
            let (host, port) = splitHostPort(hostPort)
            return RemoteLocation(transport: transport, user: user.map(percentDecoded), host: host, port: port,
                                  hasPassword: hasPassword)
        }
        if RemoteURL.isScpLike(url), let colon = url.firstIndex(of: ":") {
            let before = url[..<colon]
            var user: String?
            var host = before
            if let at = before.lastIndex(of: "@") {
                user = String(before[..<at])
                host = before[before.index(after: at)...]
            }
            var h = String(host)
            if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
            return RemoteLocation(transport: .ssh, user: user, host: h, port: nil, hasPassword: false)
        }
        return RemoteLocation(transport: .local, hasPassword: false)
    }

    static func splitHostPort(_ s: Substring) -> (String, Int?) {
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            let host = String(s[s.index(after: s.startIndex)..<close])
            let after = s[s.index(after: close)...]
            return (host, after.hasPrefix(":") ? Int(after.dropFirst()) : nil)
        }
        if let colon = s.lastIndex(of: ":") {
            return (String(s[..<colon]), Int(s[s.index(after: colon)...]))
        }
        return (String(s), nil)
    }

    static func percentDecoded(_ s: String) -> String { s.removingPercentEncoding ?? s }

    /// `url` without its password (`https://user:secret@host/x` -> `https://user@host/x`); a user
    /// name that is itself a token (`https://ghp_...@github.com/x`) is replaced by `***`.
    public static func displayURL(_ url: String) -> String {
        guard let r = url.range(of: "://") else { return url }
        let rest = url[r.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        var user = String(authority[..<at])
        if let colon = user.firstIndex(of: ":") { user = String(user[..<colon]) }
        if looksLikeToken(user) { user = "***" }
        return String(url[..<r.upperBound]) + user + String(rest[at...])
    }

    static func looksLikeToken(_ user: String) -> Bool {
        if !SecretScanner().scan(user).isEmpty { return true }
        return user.count >= 30 && user.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }
}
