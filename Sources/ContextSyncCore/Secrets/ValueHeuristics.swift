#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only view of bytes `[start, end)` of a larger buffer. No copies, no bounds checks in
/// release builds beyond what the callers guarantee.
struct ByteSpan {
    let base: UnsafePointer<UInt8>
    let start: Int
    let end: Int

    @inline(__always) var count: Int { end - start }
    @inline(__always) subscript(_ i: Int) -> UInt8 { base[start + i] }
    @inline(__always) var isEmpty: Bool { end <= start }

    var string: String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: max(0, count)), as: UTF8.self)
    }

    /// Case-insensitive (ASCII) substring test against a lower-case needle.
    func containsLowercased(_ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0, n <= count else { return false }
        let np = needle.utf8Start
        var i = 0
        while i <= count - n {
            var j = 0
            while j < n && Ascii.lower(self[i + j]) == np[j] { j += 1 }
            if j == n { return true }
            i += 1
        }
        return false
    }

    func equalsLowercased(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard n == count else { return false }
        let wp = word.utf8Start
        for j in 0..<n where Ascii.lower(self[j]) != wp[j] { return false }
        return true
    }

    func hasPrefix(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard n <= count else { return false }
        let wp = word.utf8Start
        for j in 0..<n where self[j] != wp[j] { return false }
        return true
    }
}

/// ASCII byte classes used by every matcher (table lookups, no Unicode work on the hot path).
enum Ascii {
    static let upper: UInt8 = 1, lowerBit: UInt8 = 2, digit: UInt8 = 4, base64Extra: UInt8 = 8
    static let identExtra: UInt8 = 16, space: UInt8 = 32, hexLetter: UInt8 = 64, printable: UInt8 = 128

    /// Bit set per byte: upper, lower, digit, `+/=_-.` (base64/base64url/dotted), identifier
    /// extras `_-.`, whitespace, hex letter, printable ASCII.
    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(b)] |= upper }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(b)] |= lowerBit }
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(b)] |= digit }
        for c in "+/=_-." { t[Int(c.asciiValue!)] |= base64Extra }
        for c in "_-." { t[Int(c.asciiValue!)] |= identExtra }
        for c in " \t\r\n\u{0B}\u{0C}" { t[Int(c.asciiValue!)] |= space }
        for c in "abcdefABCDEF" { t[Int(c.asciiValue!)] |= hexLetter }
        for b in 33...126 { t[b] |= printable }
        return t
    }()

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b &- 65 < 26 ? b | 0x20 : b }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { table[Int(b)] & (upper | lowerBit | digit) != 0 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { table[Int(b)] & (upper | lowerBit) != 0 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 65 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 97 < 26 }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { table[Int(b)] & (digit | hexLetter) != 0 }
    @inline(__always) static func isLowerHex(_ b: UInt8) -> Bool { isDigit(b) || b &- 97 < 6 }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { table[Int(b)] & space != 0 }
    @inline(__always) static func isPrintable(_ b: UInt8) -> Bool { table[Int(b)] & printable != 0 }
    /// `[A-Za-z0-9+/=_.-]`
    @inline(__always) static func isBase64ish(_ b: UInt8) -> Bool { table[Int(b)] & (upper | lowerBit | digit | base64Extra) != 0 }
    /// `[A-Za-z0-9_-]`
    @inline(__always) static func isBase64URL(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x5F || b == 0x2D }
    /// Identifier characters as names are written in code and config: `[A-Za-z0-9_.-]`.
    @inline(__always) static func isNameChar(_ b: UInt8) -> Bool { table[Int(b)] & (upper | lowerBit | digit | identExtra) != 0 }
}

/// The alphabet a value is drawn from, which sets its entropy bar.
enum ValueAlphabet {
    /// `[0-9a-f]` or `[0-9A-F]` (dashes ignored, as in UUIDs).
    case hex
    /// `[A-Za-z0-9+/=_.-]`: base64, base64url, alphanumerics.
    case base64
    /// Any other printable ASCII (passwords with punctuation).
    case mixed

    /// Alphabet size used for the expected entropy of a random value.
    var size: Int {
        switch self {
        case .hex: 16
        case .base64: 64
        case .mixed: 94
        }
    }
}

/// Entropy, placeholder and "is this a word" tests shared by the rules.
enum ValueHeuristics {
    /// Shannon entropy in bits per character of the bytes of `v` (dashes skipped for hex).
    static func entropy(_ v: ByteSpan, skippingDashes: Bool = false) -> Double {
        var counts = [Int32](repeating: 0, count: 256)
        var n = 0
        for i in 0..<v.count {
            let b = v[i]
            if skippingDashes && b == 0x2D { continue }
            counts[Int(b)] += 1
            n += 1
        }
        guard n > 0 else { return 0 }
        var h = 0.0
        let dn = Double(n)
        for c in counts where c > 0 {
            let p = Double(c) / dn
            h -= p * log2(p)
        }
        return h
    }

    static func alphabet(of v: ByteSpan) -> ValueAlphabet {
        var sawUpperHex = false, sawLowerHex = false, allHex = true, allBase64 = true
        for i in 0..<v.count {
            let b = v[i]
            if Ascii.isDigit(b) || b == 0x2D { continue }
            if b &- 97 < 6 { sawLowerHex = true; continue }
            if b &- 65 < 6 { sawUpperHex = true; continue }
            allHex = false
            if !Ascii.isBase64ish(b) { allBase64 = false; break }
        }
        if allHex && !(sawUpperHex && sawLowerHex) && allBase64 { return .hex }
        return allBase64 ? .base64 : .mixed
    }

    /// Expected Shannon entropy (bits per character) of a string of `length` characters drawn
    /// uniformly at random from `alphabetSize` symbols. Short strings cannot show their alphabet's
    /// full entropy (a 16-character string has at most 4 bits), so every bar is set relative to
    /// this value rather than as one fixed number.
    static func expectedRandomEntropy(length: Int, alphabetSize: Int) -> Double {
        let n = min(max(length, 1), expectedTableMaxLength)
        let row: Int
        switch alphabetSize {
        case 16: row = 0
        case 64: row = 1
        default: row = 2
        }
        return expectedTable[row * (expectedTableMaxLength + 1) + n]
    }

    static let expectedTableMaxLength = 256

    /// E[H] = log2(n) - (k/n) * sum_j P(Binomial(n, 1/k) = j) * j * log2(j), computed once.
    static let expectedTable: [Double] = {
        let maxN = expectedTableMaxLength
        var table = [Double](repeating: 0, count: 3 * (maxN + 1))
        for (row, k) in [16, 64, 94].enumerated() {
            let p = 1.0 / Double(k)
            for n in 1...maxN {
                // Binomial pmf by the recurrence, in logs to stay finite.
                var sum = 0.0
                var logPmf = Double(n) * log(1 - p)  // j = 0
                for j in 1...n {
                    logPmf += log(Double(n - j + 1)) - log(Double(j)) + log(p) - log(1 - p)
                    sum += exp(logPmf) * Double(j) * log2(Double(j))
                }
                table[row * (maxN + 1) + n] = log2(Double(n)) - Double(k) / Double(n) * sum
            }
        }
        return table
    }()

    /// Documentation values and templates: `EXAMPLE`, `xxxx`, `****`, `changeme`, `your-api-key`,
    /// `<token>`, `${VAR}`, `$VAR`, `{{ … }}`, `%VAR%`, `os.environ[…]`, `process.env.X`, `…`,
    /// `<REDACTED:…>`, values that repeat a handful of characters, or count up (`12345678`).
    static func isPlaceholder(_ v: ByteSpan) -> Bool {
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
        if PlaceholderIndex.shared.containsAny(v) { return true }
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

    /// The placeholder and code-reference words indexed by their first byte: one table lookup per
    /// byte of the value instead of one substring search per word (this ran once per finding).
    struct PlaceholderIndex {
        static let shared = PlaceholderIndex()
        let byFirst: [[StaticString]]

        init() {
            var t = [[StaticString]](repeating: [], count: 256)
            for w in ValueHeuristics.codeReferences + ValueHeuristics.placeholderWords {
                t[Int(w.utf8Start[0])].append(w)
            }
            byFirst = t
        }

        func containsAny(_ v: ByteSpan) -> Bool {
            let n = v.count
            for i in 0..<n {
                let list = byFirst[Int(Ascii.lower(v[i]))]
                if list.isEmpty { continue }
                for w in list {
                    let m = w.utf8CodeUnitCount
                    guard i + m <= n else { continue }
                    let wp = w.utf8Start
                    var j = 1
                    while j < m && Ascii.lower(v[i + j]) == wp[j] { j += 1 }
                    if j == m { return true }
                }
            }
            return false
        }
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

    /// True when the value reads as identifiers or words rather than random characters:
    /// `myDatabasePassword`, `HTTPServerConfig`, `k8s-cluster-prod`, `kubernetes.io/service-account-token`.
    /// At least 70% of its letters and digits sit in word-like runs (three or more letters, with
    /// a vowel, no more than four consonants in a row), after splitting on separators and
    /// camelCase boundaries.
    static func looksLikeWords(_ v: ByteSpan) -> Bool {
        var alnum = 0
        var wordy = 0
        var runStart = -1
        var digitRuns = 0
        var prevWasDigit = false
        func closeRun(_ s: Int, _ e: Int) {
            let len = e - s
            guard len >= 3 else { return }
            var vowel = false
            var consonants = 0
            var maxConsonants = 0
            for k in s..<e {
                let c = Ascii.lower(v[k])
                if c == 97 || c == 101 || c == 105 || c == 111 || c == 117 || c == 121 {
                    vowel = true
                    consonants = 0
                } else {
                    consonants += 1
                    maxConsonants = max(maxConsonants, consonants)
                }
            }
            if vowel && maxConsonants <= 4 { wordy += len }
        }
        let n = v.count
        for i in 0..<n {
            let b = v[i]
            if Ascii.isLetter(b) {
                alnum += 1
                prevWasDigit = false
                if runStart < 0 {
                    runStart = i
                } else if Ascii.isUpper(b) {
                    let prev = v[i - 1]
                    // camelCase boundary (aB), or the end of an acronym (HTTPServer: P|S).
                    if Ascii.isLower(prev) || (Ascii.isUpper(prev) && i + 1 < n && Ascii.isLower(v[i + 1])) {
                        closeRun(runStart, i)
                        runStart = i
                    }
                }
            } else {
                if runStart >= 0 { closeRun(runStart, i); runStart = -1 }
                if Ascii.isDigit(b) {
                    alnum += 1
                    if !prevWasDigit { digitRuns += 1 }
                    prevWasDigit = true
                } else {
                    prevWasDigit = false
                }
            }
        }
        if runStart >= 0 { closeRun(runStart, n) }
        guard alnum > 0 else { return false }
        return digitRuns <= 2 && Double(wordy) >= 0.7 * Double(alnum)
    }

    /// Names written as values: `pass_fds`, `ADMIN_NO_SRP_AUTH`, `my-app-secret`,
    /// `spring.datasource.password`: two or more parts joined by `_`, `-` or `.`, each part a word
    /// in one casing (`lower`, `UPPER`, `Capitalized`), digits allowed only at its end.
    static func looksLikeIdentifierChain(_ v: ByteSpan) -> Bool {
        var parts = 0
        var i = 0
        let n = v.count
        while i < n {
            let start = i
            while i < n && Ascii.isAlnum(v[i]) { i += 1 }
            let end = i
            guard end > start else { return false }
            // letters in one casing, then digits
            var k = start
            let firstUpper = Ascii.isUpper(v[k])
            guard Ascii.isLetter(v[k]) else { return false }
            k += 1
            var sawLower = false, sawUpperAfterFirst = false
            while k < end && Ascii.isLetter(v[k]) {
                if Ascii.isLower(v[k]) { sawLower = true } else { sawUpperAfterFirst = true }
                k += 1
            }
            if sawLower && sawUpperAfterFirst { return false }  // xKfQ: random casing
            if !firstUpper && sawUpperAfterFirst { return false }
            while k < end && Ascii.isDigit(v[k]) { k += 1 }
            guard k == end else { return false }
            parts += 1
            if i < n {
                let sep = v[i]
                guard sep == UInt8(ascii: "_") || sep == UInt8(ascii: "-") || sep == UInt8(ascii: ".") else { return false }
                i += 1
                guard i < n else { return false }
            }
        }
        return parts >= 2
    }

    /// `8-4-4-4-12` hex digits.
    static func isUUID(_ v: ByteSpan) -> Bool {
        guard v.count == 36 else { return false }
        for i in 0..<36 {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if v[i] != UInt8(ascii: "-") { return false }
            } else if !Ascii.isHex(v[i]) {
                return false
            }
        }
        return true
    }

    /// Paths and addresses: `/usr/lib/x`, `./a`, `~/b`, `C:\x`, `a/b/c.txt` made of words, e-mail addresses.
    static func looksLikePath(_ v: ByteSpan) -> Bool {
        let n = v.count
        guard n > 0 else { return false }
        let first = v[0]
        if first == UInt8(ascii: "/") || (first == UInt8(ascii: "~") && n > 1 && v[1] == UInt8(ascii: "/"))
            || (first == UInt8(ascii: ".") && n > 1 && (v[1] == UInt8(ascii: "/") || v[1] == UInt8(ascii: ".")))
        {
            return true
        }
        if n > 2 && Ascii.isLetter(first) && v[1] == UInt8(ascii: ":") && (v[2] == UInt8(ascii: "\\") || v[2] == UInt8(ascii: "/")) { return true }
        var slashes = 0, at = -1, dotAfterAt = false
        for i in 0..<n {
            let b = v[i]
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "\\") { slashes += 1 }
            if b == UInt8(ascii: "@") { at = i }
            if b == UInt8(ascii: ".") && at >= 0 && i > at + 1 { dotAfterAt = true }
        }
        if at > 0 && dotAfterAt && slashes == 0 {
            // user@example.com: an address, not a secret.
            var ok = true
            for i in 0..<n where !(Ascii.isNameChar(v[i]) || v[i] == UInt8(ascii: "@") || v[i] == UInt8(ascii: "+")) { ok = false; break }
            if ok { return true }
        }
        if slashes > 0 && looksLikeWords(v) { return true }
        // dir/c7d2069e-….jsonl: a path ending in a file name with an extension.
        if slashes > 0 {
            var dot = -1
            for i in stride(from: n - 1, through: max(0, n - 7), by: -1) where v[i] == UInt8(ascii: ".") { dot = i; break }
            if dot > 0 && dot < n - 1 {
                var ext = true
                for i in (dot + 1)..<n where !Ascii.isLower(v[i]) { ext = false; break }
                if ext { return true }
            }
        }
        // http(s)://host/path without credentials (the URL rule handles credentials).
        if v.containsLowercased("://") { return true }
        return false
    }

    /// Character classes present: lower, upper, digit, other printable.
    static func classCount(_ v: ByteSpan) -> Int {
        var l = false, u = false, d = false, o = false
        for i in 0..<v.count {
            let b = v[i]
            if Ascii.isLower(b) { l = true } else if Ascii.isUpper(b) { u = true } else if Ascii.isDigit(b) { d = true } else { o = true }
        }
        return (l ? 1 : 0) + (u ? 1 : 0) + (d ? 1 : 0) + (o ? 1 : 0)
    }

    /// `0x1f2e…`: a number or an address (Ethereum addresses are 40 hex digits), not a secret,
    /// unless it is 64 hex digits (the size of a private key).
    static func isHexNumber(_ v: ByteSpan) -> Bool {
        guard v.count > 2, v[0] == UInt8(ascii: "0"), v[1] == UInt8(ascii: "x") || v[1] == UInt8(ascii: "X") else { return false }
        for i in 2..<v.count where !isHexDigit(v[i]) { return false }
        return v.count - 2 != 64
    }

    @inline(__always) private static func isHexDigit(_ b: UInt8) -> Bool { Ascii.isHex(b) }

    /// `group:artifact:version` (Maven/Gradle coordinates): `com.google.auth:google-auth-library-oauth2-http:1.19.0`.
    static func isMavenCoordinate(_ v: ByteSpan) -> Bool {
        var parts: [(Int, Int)] = []
        var s = 0
        for i in 0...v.count where i == v.count || v[i] == UInt8(ascii: ":") {
            parts.append((s, i))
            s = i + 1
        }
        guard parts.count >= 3 && parts.count <= 5 else { return false }
        for (a, b) in parts.dropLast() {
            guard b > a, Ascii.isLetter(v[a]) else { return false }
            for i in a..<b where !(Ascii.isLower(v[i]) || Ascii.isDigit(v[i]) || v[i] == UInt8(ascii: ".") || v[i] == UInt8(ascii: "-") || v[i] == UInt8(ascii: "_")) {
                return false
            }
        }
        let (a, b) = parts.last!
        guard b > a, Ascii.isDigit(v[a]) else { return false }
        for i in a..<b where !(Ascii.isAlnum(v[i]) || v[i] == UInt8(ascii: ".") || v[i] == UInt8(ascii: "-")) { return false }
        return true
    }

    /// Keys published in providers' documentation as examples (they appear in countless READMEs
    /// and tests): Stripe's documented test keys; AWS's `…EXAMPLE` family is caught as a placeholder.
    static func isDocumentedExample(_ v: ByteSpan) -> Bool {
        // Only in test mode (`sk_test_4eC3…`): the same body behind `sk_live_` is not the example.
        for body in documentedExampleKeys where v.count >= body.utf8CodeUnitCount + 6 {
            let tail = ByteSpan(base: v.base, start: v.end - body.utf8CodeUnitCount, end: v.end)
            let mode = ByteSpan(base: v.base, start: tail.start - 6, end: tail.start)
            if tail.hasPrefix(body) && mode.hasPrefix("_test_") { return true }
        }
        return false
    }

    static let documentedExampleKeys: [StaticString] = [
        "4eC39HqLyjWDarjtT1zdp7dc", "BQokikJOvBiI2HlWgH4olfQ2", "26PHem9AhJZvU623DfE1x4sd", "TYooMQauvdEDq54NiTphI7jx",
    ]

    /// A password as people choose them: letters (words are fine) with digits and at least one
    /// symbol (`Winter2024!`, `P@ssw0rd!2024`), or three or more words joined by `-`/`_`/`.`
    /// with a digit (`correct-horse-battery-9`). Not a name written as a value
    /// (`pass_fds`, `my-app-secret`, `db_password_2`) and not a path or a call.
    static func isRealLookingPassword(_ v: ByteSpan) -> Bool {
        let n = v.count
        guard n >= 8 && n <= 64 else { return false }
        var letters = 0, digits = 0, symbols = 0, separators = 0, uppers = 0
        for i in 0..<n {
            let b = v[i]
            if Ascii.isLetter(b) {
                letters += 1
                if Ascii.isUpper(b) { uppers += 1 }
            } else if Ascii.isDigit(b) {
                digits += 1
            } else if b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") {
                separators += 1
            } else if b == UInt8(ascii: "/") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "$") {
                return false  // paths, calls, variables
            } else {
                symbols += 1
            }
        }
        guard letters >= 4, digits >= 1 else { return false }
        if symbols >= 1 { return symbols <= 3 }
        // word-word-word-9: three or more parts, all lower case (identifiers in code are rarely
        // three words plus a lone digit part).
        guard separators >= 3 && uppers == 0 else { return false }
        var parts = 0, digitOnlyParts = 0, s = 0
        for i in 0...n where i == n || v[i] == UInt8(ascii: "-") || v[i] == UInt8(ascii: "_") || v[i] == UInt8(ascii: ".") {
            if i > s {
                parts += 1
                var allDigits = true
                for k in s..<i where !Ascii.isDigit(v[k]) { allDigits = false; break }
                if allDigits { digitOnlyParts += 1 }
            }
            s = i + 1
        }
        return parts >= 4 && digitOnlyParts >= 1
    }

    /// `2026-08-09T11:58Z`, `2024-05-01 10:00`: a date or timestamp.
    static func startsWithDate(_ v: ByteSpan) -> Bool {
        guard v.count >= 10 else { return false }
        for i in [0, 1, 2, 3, 5, 6, 8, 9] where !Ascii.isDigit(v[i]) { return false }
        return (v[4] == UInt8(ascii: "-") && v[7] == UInt8(ascii: "-")) || (v[4] == UInt8(ascii: "/") && v[7] == UInt8(ascii: "/"))
    }

    /// Holds one of `! @ # % ^ & * + = ? ~`, which identifiers and words never do.
    static func hasPasswordSymbol(_ v: ByteSpan) -> Bool {
        for i in 0..<v.count {
            switch v[i] {
            case UInt8(ascii: "!"), UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "&"), UInt8(ascii: "*"),
                UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "~"):
                return true
            default: continue
            }
        }
        return false
    }

    /// Looks like a randomly generated token body (used by the provider rules, whose prefix
    /// already says "token"): not a placeholder, at least 6 distinct characters (or a third of
    /// the length, for long ones), and not made of words.
    static func isRandomEnough(_ v: ByteSpan) -> Bool {
        if isPlaceholder(v) { return false }
        var seen = [Bool](repeating: false, count: 256)
        var distinct = 0
        for i in 0..<v.count where !seen[Int(v[i])] {
            seen[Int(v[i])] = true
            distinct += 1
        }
        if distinct < min(10, max(6, v.count / 3)) { return false }
        // Words only read as words in lower or mixed case; upper-case bodies (AWS key ids)
        // are random letter runs that often happen to hold vowels.
        var lower = 0, upper = 0
        for i in 0..<v.count {
            if Ascii.isLower(v[i]) { lower += 1 } else if Ascii.isUpper(v[i]) { upper += 1 }
        }
        // Mixed case where neither case is rare is random, not camelCase words (a camelCase
        // identifier has one capital per word): Hugging Face bodies were judged words ~3% of the time.
        let randomCasing = v.count >= 16 && upper * 5 >= lower && lower * 5 >= upper && min(lower, upper) >= 3
        if lower > 0 && !randomCasing && looksLikeWords(v) { return false }
        return true
    }
}
