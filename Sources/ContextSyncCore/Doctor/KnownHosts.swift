import Foundation

/// Reads an OpenSSH `known_hosts` file to tell whether a host has a key there, as libgit2 (through
/// libssh2) will look for it: plain names, comma-separated lists, `[host]:port` for ports other
/// than 22, `*`/`?` wildcards, `!` negations, and hashed names `|1|<base64 salt>|<base64 HMAC-SHA1>`.
public struct KnownHosts: Sendable {
    public struct Entry: Sendable, Equatable {
        /// 1-based line in the file.
        public var line: Int
        /// `@cert-authority` or `@revoked`, when the line has one.
        public var marker: String?
        /// The host field as written (hashed or plain).
        public var hosts: String
        /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ...
        public var keyType: String

        public var isHashed: Bool { hosts.hasPrefix("|1|") }
    }

    public var entries: [Entry]

    /// Parses the text of a known_hosts file; comments, blank and malformed lines are skipped.
    public init(parsing text: String) {
        var entries: [Entry] = []
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var marker: String?
            if let first = fields.first, first.hasPrefix("@") {
                marker = first
                fields.removeFirst()
            }
            guard fields.count >= 3 else { continue }
            entries.append(Entry(line: i + 1, marker: marker, hosts: fields[0], keyType: fields[1]))
        }
        self.entries = entries
    }

    /// Reads `path`; nil when the file does not exist or cannot be read.
    public static func load(_ path: String) -> KnownHosts? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return KnownHosts(parsing: String(decoding: data, as: UTF8.self))
    }

    /// The name ssh looks up: `host` for port 22, `[host]:port` otherwise (lower-cased).
    public static func lookupName(host: String, port: Int?) -> String {
        let h = host.lowercased()
        if let port, port != 22 { return "[\(h)]:\(port)" }
        return h
    }

    /// The entries for `host` on `port` (nil: 22), in file order.
    public func entries(forHost host: String, port: Int? = nil) -> [Entry] {
        let name = Self.lookupName(host: host, port: port)
        return entries.filter { Self.hostField($0.hosts, matches: name) }
    }

    /// Whether a host field (one comma-separated list, or one hashed name) matches `name`.
    public static func hostField(_ field: String, matches name: String) -> Bool {
        if field.hasPrefix("|1|") { return hashedName(field, matches: name) }
        var positive = false
        for pattern in field.split(separator: ",") {
            if pattern.hasPrefix("!") {
                if wildcard(String(pattern.dropFirst()).lowercased(), matches: name) { return false }
            } else if wildcard(pattern.lowercased(), matches: name) {
                positive = true
            }
        }
        return positive
    }

    /// `|1|salt|hash`: HMAC-SHA1(key: salt, message: name) == hash.
    public static func hashedName(_ field: String, matches name: String) -> Bool {
        let parts = field.split(separator: "|", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0] == "1",
              let salt = Data(base64Encoded: String(parts[1])),
              let hash = Data(base64Encoded: String(parts[2])) else { return false }
        return SHA1.hmac(key: [UInt8](salt), message: Array(name.utf8)) == [UInt8](hash)
    }

    /// OpenSSH's pattern language: `*` any run, `?` one character; everything else literal.
    public static func wildcard(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
