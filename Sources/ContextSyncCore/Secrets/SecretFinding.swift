/// One secret found by `SecretScanner`.
///
/// A finding never holds the secret itself: `excerpt` keeps at most its first four characters
/// followed by `…`, so a finding can be printed, logged or serialised safely.
public struct SecretFinding: Sendable, Equatable, CustomStringConvertible {
    /// Stable rule id, e.g. `github-token`, `generic-secret` (see `SecretRule.all`).
    public var rule: String
    /// 1-based line of the first character of the secret.
    public var line: Int
    /// 1-based column of the first character of the secret, counted in characters (extended
    /// grapheme clusters, as Swift's `String.count`) from the start of its line. Bytes that are not
    /// valid UTF-8 count as one character each.
    public var column: Int
    /// The masked secret: its first four characters (fewer for secrets shorter than eight
    /// characters: half of them) followed by `…`.
    public var excerpt: String
    /// The file the text came from, if the caller said.
    public var file: String?

    public init(rule: String, line: Int, column: Int, excerpt: String, file: String? = nil) {
        self.rule = rule
        self.line = line
        self.column = column
        self.excerpt = excerpt
        self.file = file
    }

    /// `file:line:column: rule excerpt` (no file part when `file` is nil).
    public var description: String {
        let location = file.map { "\($0):\(line):\(column)" } ?? "\(line):\(column)"
        return "\(location): \(rule) \(excerpt)"
    }

    /// Masks `secret`: its first four characters then `…` (for a secret shorter than eight
    /// characters, only half of it is shown, so a short password is never mostly revealed).
    public static func mask(_ secret: Substring) -> String {
        let count = secret.count
        let shown = count >= 8 ? 4 : count / 2
        return String(secret.prefix(shown)) + "…"
    }
}
