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

    /// Looks like a randomly generated token body (used by the provider rules, whose prefix
    /// already says "token"): not a placeholder, at least 6 distinct characters (or a third of
    /// the length, for long ones), and not made of words.
    static func isRandomEnough(_ v: ByteSpan) -> Bool {
        if isPlaceholder(v, fixedFormat: true) { return false }
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
