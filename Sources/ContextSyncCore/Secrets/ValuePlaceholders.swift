#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Placeholders, templates, code references and literal keywords: the values that look like
/// secrets in documentation and code but are not (`ValueHeuristics`).
extension ValueHeuristics {
    /// Documentation values and templates: `EXAMPLE`, `xxxx`, `****`, `changeme`, `your-api-key`,
    /// `<token>`, `${VAR}`, `$VAR`, `{{ … }}`, `%VAR%`, `os.environ[…]`, `process.env.X`, `…`,
    /// `<REDACTED:…>`, values that repeat a handful of characters, or count up (`12345678`).
    /// `fixedFormat`: the body of a provider token (its prefix already says "token"): a
    /// placeholder word found by chance inside a long random body (`1234` among 24 random
    /// digits, about 1 Slack token in 1,000) does not make it a placeholder; the words must cover
    /// a quarter of it (`your_key_here_12345678`, `ABCDEF0123456789…`).
    static func isPlaceholder(_ v: ByteSpan, fixedFormat: Bool = false) -> Bool {
        let n = v.count
        guard n > 0 else { return true }
        let first = v[0], last = v[n - 1]
        // $VAR, ${VAR}, $(cmd), %VAR%, <token>, {name}, [name]
        if first == UInt8(ascii: "$") && n > 1 && (Ascii.isLetter(v[1]) || v[1] == 0x5F || v[1] == 0x7B || v[1] == 0x28) { return true }
        if first == UInt8(ascii: "%") && last == UInt8(ascii: "%") && n > 2 { return true }
        if first == UInt8(ascii: "<") || last == UInt8(ascii: ">") { return true }
        if (first == UInt8(ascii: "{") && last == UInt8(ascii: "}")) || (first == UInt8(ascii: "[") && last == UInt8(ascii: "]")) {
            // {password}, [token]: format placeholders (not "{{h}o)p…}}"-style random punctuation).
            var inner = true
            for i in 1..<(n - 1) where !Ascii.isNameChar(v[i]) { inner = false; break }
            if inner { return true }
        }
        if containsTemplateReference(v) { return true }
        if fixedFormat ? PlaceholderIndex.shared.coverage(v) * 4 >= n : PlaceholderIndex.shared.containsAny(v) { return true }
        for word in documentationPasswords where v.equalsLowercased(word) { return true }
        // Few distinct characters: "aaaaaaaa", "abababab", "00000000".
        var seen = [Bool](repeating: false, count: 256)
        var distinct = 0
        for i in 0..<n where !seen[Int(v[i])] {
            seen[Int(v[i])] = true
            distinct += 1
        }
        if distinct <= 3 || (n >= 12 && distinct <= 5) { return true }
        return false
    }

    /// `{{ expr }}`, `${VAR}`, `${VAR:-x}`, `$(cmd)`, `#{expr}`, `\(expr)`, `<% … %>`, `{% … %}`:
    /// an opener followed by an expression made of name characters, spaces, pipes, quotes and
    /// `:`, then its closer. Random punctuation in a password (`p${e]…`) does not qualify.
    static func containsTemplateReference(_ v: ByteSpan) -> Bool {
        let n = v.count
        var i = 0
        while i + 1 < n {
            let a = v[i], b = v[i + 1]
            var close: UInt8 = 0
            var double = false
            if a == UInt8(ascii: "{") && b == UInt8(ascii: "{") { close = UInt8(ascii: "}"); double = true }
            else if (a == UInt8(ascii: "$") || a == UInt8(ascii: "#")) && b == UInt8(ascii: "{") { close = UInt8(ascii: "}") }
            else if (a == UInt8(ascii: "$") || a == UInt8(ascii: "\\")) && b == UInt8(ascii: "(") { close = UInt8(ascii: ")") }
            else if (a == UInt8(ascii: "<") && b == UInt8(ascii: "%")) || (a == UInt8(ascii: "{") && b == UInt8(ascii: "%")) { return true }
            if close != 0 {
                var j = i + 2
                while j < n {
                    let c = v[j]
                    if c == close {
                        if j > i + 2 && (!double || (j + 1 < n && v[j + 1] == close)) { return true }
                        break
                    }
                    if !(Ascii.isNameChar(c) || c == 0x20 || c == UInt8(ascii: "|") || c == 0x22 || c == 0x27 || c == UInt8(ascii: ":")
                        || c == UInt8(ascii: "$") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]")) { break }
                    j += 1
                }
            }
            i += 1
        }
        return false
    }

    /// Values that read a secret from somewhere else instead of holding it.
    static let codeReferences: [StaticString] = [
        "process.env", "os.environ", "getenv", "environ.get", "env[", "env.fetch", "secrets.", "<redacted", "vault:",
        "keychain", "ssm:", "arn:aws", "{}", "{0}", "{1}", "%(",
    ]

    /// Bytes that end an unquoted value.
    @inline(__always) static func isValueTerminator(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"),
            UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "|"),
            UInt8(ascii: "\\"), UInt8(ascii: "("):
            return true
        default:
            return b < 0x20
        }
    }

    /// The password part of `scheme://user:password@host` or of a Basic header is a credential
    /// even when weak (`user:pass`); only template syntax and documentation fillers are skipped.
    static func isURLPlaceholder(_ v: ByteSpan) -> Bool {
        let n = v.count
        guard n > 0 else { return true }
        let first = v[0]
        if first == UInt8(ascii: "$") || first == UInt8(ascii: "<") || first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: ":")
            || (first == UInt8(ascii: "%") && v[n - 1] == UInt8(ascii: "%"))  // %VAR%; %40… is percent-encoding
        {
            return true
        }
        var allSame = true
        for i in 1..<n where v[i] != first { allSame = false; break }
        if allSame { return true }  // ****, xxxx
        if containsTemplateReference(v) { return true }
        for word in urlPlaceholderWords where v.containsLowercased(word) { return true }
        for word in documentationPasswords where v.equalsLowercased(word) { return true }
        return false
    }

    /// Passwords that only appear in documentation and examples (`http://user:pass@host`,
    /// `https://abc:xyz@example.com`): short words and counting sequences. Checked whole, so a
    /// real password that merely contains one is still reported.
    static let documentationPasswords: [StaticString] = [
        "pass", "password", "passwd", "pwd", "pw", "secret", "xyz", "abc", "abc123", "123", "1234", "12345", "123456",
        "foo", "bar", "baz", "qux", "test", "testing", "demo", "sample", "mypassword", "mypass", "mysecret",
        "yourpassword", "p@ssword", "p@ssw0rd", "passw0rd", "secret123", "password123", "pa55word", "hunter2", "letmein",
        "s3cr3t", "topsecret", "supersecret",
    ]

    static let urlPlaceholderWords: [StaticString] = [
        "example", "xxx", "***", "changeme", "change_me", "your", "placeholder", "redacted", "...", "…", "<", ">",
        "dummy", "fake", "sample",
    ]

    /// Schemes whose URL credentials are reported as `database-connection-string`.
    static let databaseSchemes: [StaticString] = [
        "postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps",
        "mssql", "sqlserver", "oracle", "cockroachdb", "clickhouse", "couchdb", "neo4j", "neo4j+s", "bolt", "cassandra",
        "memcached", "db2", "snowflake", "mysqlx", "postgis", "timescaledb", "influxdb", "elasticsearch", "kafka",
    ]

    static let placeholderWords: [StaticString] = [
        "example", "xxxx", "****", "...", "…", "abcd", "1234", "a1b2c3", "changeme", "change_me", "change-me", "changeit", "your_", "your-",
        "yourapi", "yourtoken", "yoursecret", "yourpass", "yourkey", "placeholder", "redacted", "dummy", "sample",
        "fake", "replace", "insert", "todo", "notreal", "not_real", "not-a-real", "_here", "-here", "goeshere",
        "12345678", "abcdefgh", "qwerty", "password", "passwd", "secret", "token", "api_key", "apikey",
        "lorem", "ipsum", "foobar", "nothing", "invalid", "undefined", "********",
    ]

    /// Plain values that are never secrets: null-ish literals and types.
    static func isLiteralKeyword(_ v: ByteSpan) -> Bool {
        for w in literalKeywords where v.equalsLowercased(w) { return true }
        return false
    }

    static let literalKeywords: [StaticString] = [
        "null", "nil", "none", "true", "false", "yes", "no", "on", "off", "undefined", "empty", "string", "required",
        "optional", "n/a", "na", "tbd", "secret", "password", "token", "hidden", "masked", "unset", "default",
    ]
}
