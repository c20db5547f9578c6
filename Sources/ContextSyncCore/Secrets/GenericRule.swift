/// Which secret a name announces.
struct KeywordFamily {
    enum Kind { case password, secret }
    var kind: Kind
    /// `aws_secret_access_key`, `AWS_SECRET`, `SecretAccessKey`…
    var aws: Bool
    /// Only the word "token" made it a secret name (no secret/key/password/credential word).
    var tokenOnly = false
    /// The name is just `key`.
    var bareKey = false

    /// Splits a name into lower-cased words at `_ - . $ @`, camelCase and acronym boundaries:
    /// `AWS_SECRET_ACCESS_KEY` → aws secret access key, `clientSecret` → client secret,
    /// `XMLApiKey` → xml api key.
    static func words(_ name: ByteSpan) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        let n = name.count
        for i in 0..<n {
            let b = name[i]
            if Ascii.isAlnum(b) {
                if Ascii.isUpper(b) && i > 0 {
                    let prev = name[i - 1]
                    if Ascii.isLower(prev) || Ascii.isDigit(prev) || (Ascii.isUpper(prev) && i + 1 < n && Ascii.isLower(name[i + 1])) {
                        flush()
                    }
                }
                current.append(Ascii.lower(b))
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    static func classify(_ name: ByteSpan) -> KeywordFamily? {
        let words = words(name)
        var password = false, secret = false, token = false, other = false
        for (index, w) in words.enumerated() {
            if excludedWords.contains(w) { return nil }
            if has(w, "password") || has(w, "passwd") || has(w, "passphrase") || w == "pass" || w == "pwd"
                || w == "passwort" || w == "pword" || w == "pw" || has(w, "pswd") || w == "pwd1" || w == "pw1"
            {
                password = true
            } else if w.hasSuffix("pass"), passOwners.contains(String(w.dropLast(4))) {
                password = true
            } else if w.hasSuffix("pwd") && w.count <= 8 {
                password = true
            } else if w.hasSuffix("pw"), passOwners.contains(String(w.dropLast(2))) {
                password = true  // dbpw, rootpw (kickstart), adminpw
            }
            if has(w, "secret") && !w.hasPrefix("secretar") { secret = true; other = true }
            if w == "token" || (w.hasSuffix("token") && w.count > 5) { secret = true; token = true }
            if w == "auth" || w == "authkey" || w == "authsecret" { secret = true; other = true }
            if w.hasPrefix("credential") || w == "creds" || w == "cred" { secret = true; other = true }
            if compoundKeys.contains(w) { secret = true; other = true }
            if (w == "key" || w == "keys") && index > 0 && keyQualifiers.contains(words[index - 1]) { secret = true; other = true }
        }
        // `access_key_id`, `client_id`: identifiers of a secret, not the secret (`id_token` is one).
        if let last = words.last, last == "id" || last == "ids" { return nil }
        if password { return KeywordFamily(kind: .password, aws: false) }
        // A bare `key` (`"key": "…"`, `KEY=…`) is mostly a dictionary or cache key: kept, with a
        // stricter bar (see `GenericRule.evaluate`).
        if !secret && words.count == 1 && (words[0] == "key" || words[0] == "keys") {
            return KeywordFamily(kind: .secret, aws: false, bareKey: true)
        }
        guard secret else { return nil }
        let aws = (words.contains("aws") && words.contains("secret")) || words.contains("secretaccesskey")
            || (words.contains("secret") && words.contains("access") && words.contains("key"))
        return KeywordFamily(kind: .secret, aws: aws, tokenOnly: token && !other)
    }

    /// Substring test on a lower-case ASCII word, on its bytes (`String.contains(String)` goes
    /// through Foundation and dominated profiles).
    @inline(__always) static func has(_ w: String, _ needle: StaticString) -> Bool {
        var w = w
        return w.withUTF8 { buf in
            guard let base = buf.baseAddress else { return false }
            return ByteSpan(base: base, start: 0, end: buf.count).containsLowercased(needle)
        }
    }

    /// `dbpass`, `rootpass`… but not `bypass`, `compass`.
    static let passOwners: Set<String> = ["db", "user", "admin", "root", "mysql", "pg", "redis", "smtp", "mail", "ftp", "ssh", "sudo", "login", "my", "app"]
    static let compoundKeys: Set<String> = [
        "apikey", "apikeys", "accesskey", "privatekey", "secretkey", "masterkey", "signingkey", "encryptionkey",
        "clientkey", "appkey", "sessionkey", "sharedkey", "accountkey", "storagekey", "licensekey", "subscriptionkey",
        "hmackey", "jwtkey", "adminkey", "servicekey", "webhookkey",
    ]
    /// `api key`, `access key`, `private key`… but not `cache key`, `primary key`, `sort key`.
    static let keyQualifiers: Set<String> = [
        "api", "access", "private", "priv", "secret", "master", "signing", "sign", "encryption", "enc", "client", "app",
        "auth", "account", "storage", "shared", "session", "license", "service", "consumer", "sas", "hmac", "jwt",
        "subscription", "admin", "webhook", "openai", "anthropic", "stripe", "sendgrid", "twilio", "mailgun", "github",
        "gitlab", "slack", "aws", "gcp", "google", "azure", "deploy", "ssh",
    ]
    /// Names that describe a secret without holding one: `token_type`, `secret_name`,
    /// `password_hash`, `max_tokens`, `public_key`, `token_url`, `password_min_length`…
    static let excludedWords: Set<String> = [
        "public", "pub", "type", "types", "name", "names", "url", "uri", "urls", "endpoint", "path", "file",
        "filename", "dir", "count", "len", "length", "size", "limit", "limits", "max", "min", "ttl", "expiry", "expires",
        "expiration", "expire", "expired", "timeout", "format", "prefix", "suffix", "header", "headers", "field", "env",
        "var", "variable", "regex", "regexp", "pattern", "enabled", "required", "mode", "kind", "provider", "label",
        "description", "desc", "help", "hint", "placeholder", "policy", "version", "usage", "hash", "hashed", "salt",
        "store", "ref", "arn", "location", "source", "index", "position", "offset", "cache", "budget", "rotation",
        "manager", "reset", "forgot", "strength", "rule", "rules", "validator", "validation", "input", "prompt", "title",
        "message", "msg", "error", "text", "button", "created", "updated", "date", "time", "lifetime", "duration",
        "is", "has", "should", "use", "uses", "enable", "disable", "show", "allow", "needs", "request", "method",
        "scheme", "schema", "kind", "class", "len", "bits", "algorithm", "alg", "fingerprint", "estimate", "estimated",
        "counter", "used", "remaining", "encoding", "encoded", "parser", "lexer", "stream", "range", "ranges", "start",
        "end", "location", "span", "column", "line", "test", "tests", "spec", "mock", "next", "continuation", "page",
        "pagination", "cursor", "marker", "idempotency", "csrf", "xsrf", "lock", "sync", "resume", "cancellation",
        "nonce", "func", "fn", "callback", "handler", "fds", "sha", "sha1", "sha256", "sha384", "sha512", "md5", "digest",
        "checksum", "crc", "fingerprints", "sig",
    ]

    /// `setPassword("…")`, `withToken("…")`, `password("…")`, `secret("…")` pass a literal;
    /// `getPassword("name")`, `readSecret("name")`, `hashPassword("…")` take a name or compute.
    static func isSetterCall(_ name: ByteSpan) -> Bool {
        var last = name.start  // client.setPassword: the method name
        for i in 0..<name.count where name[i] == UInt8(ascii: ".") { last = name.start + i + 1 }
        let words = words(ByteSpan(base: name.base, start: last, end: name.end))
        guard let first = words.first else { return false }
        if words.count == 1 { return true }
        return ["set", "with", "use", "login", "auth", "authenticate", "connect", "sign", "basic", "bearer", "put", "add", "new", "create", "update", "change"].contains(first)
    }
}

/// The generic rules' decision about a parsed assignment.
enum GenericRule {
    /// Minimum lengths and entropy margins, by alphabet. Every entropy bar is "the expected
    /// Shannon entropy of a uniformly random string of the same length from the same alphabet,
    /// minus a margin" (`ValueHeuristics.expectedRandomEntropy`), because a short string cannot
    /// show its alphabet's full entropy. The margins were set from simulation: they let 99% of
    /// random strings of each length through while words, identifiers, dates and repeated
    /// patterns fall below.
    enum Bar {
        /// Hex: at least 16 digits (64 bits; shorter hex runs are ids, colours, short SHAs).
        /// Random 16-digit hex averages 3.2 bits/char with 1st percentile 2.7: margin 0.6.
        static let hexMinLength = 16
        static let hexMargin = 0.6
        /// base64/alphanumeric: at least 16 characters (shortest common API keys), two character
        /// classes. Random 16-char base64 averages 3.75 bits, 1st percentile 3.38: margin 0.55.
        static let base64MinLength = 16
        static let base64Margin = 0.55
        /// Mixed printable ASCII: at least 12 characters (symbols carry more entropy per
        /// character, so 12 already means ~75 bits). Random 12-char: 3.42 average, 3.08 1st
        /// percentile: margin 0.6.
        static let mixedMinLength = 12
        static let mixedMargin = 0.6
        /// Passwords are chosen by people: 8 characters (the usual minimum), two character
        /// classes unless 12 or longer, and an entropy margin of 1.2 bits, which keeps `P@ssw0rd!2024`
        /// and `admin123` but drops `aaaaaaa1`.
        static let passwordMinLength = 8
        static let passwordMargin = 1.2
        /// A bare `key` name: 20 characters (cache and dictionary keys are shorter or hex).
        static let bareKeyMinLength = 20
        /// `Server=…;Password=…;` connection strings: the context is explicit, 6 characters suffice.
        static let connectionStringMinLength = 6
    }

    /// `connectionString`: the assignment sits on a `Server=…;User Id=…;` line (the caller knows,
    /// and caches it per line).
    static func evaluate(_ v: ByteSpan, family: KeywordFamily, assignment: Assignment, p: UnsafePointer<UInt8>, n: Int,
                         connectionString: Bool = false) -> RuleKind? {
        let len = v.count
        guard len >= 4 && len <= 512 else { return nil }
        // Shortest values any branch below accepts: connection strings 6, passwords 8, secrets 12.
        if len < (connectionString ? Bar.connectionStringMinLength : family.kind == .password ? Bar.passwordMinLength : Bar.mixedMinLength) { return nil }
        var hasLetter = false
        for i in 0..<len {
            let b = v[i]
            guard Ascii.isPrintable(b) else { return nil }  // spaces, control characters, non-ASCII
            if Ascii.isLetter(b) { hasLetter = true }
        }
        guard hasLetter else { return nil }  // numbers, dates, versions, addresses
        if len == 66 && v[0] == UInt8(ascii: "0") && (v[1] == UInt8(ascii: "x") || v[1] == UInt8(ascii: "X")) && family.kind == .secret {
            // `0x` + 64 hex digits under a key name: a private key written as a number; judge the digits.
            let digits = ByteSpan(base: v.base, start: v.start + 2, end: v.end)
            guard ValueHeuristics.alphabet(of: digits) == .hex,
                ValueHeuristics.entropy(digits) >= ValueHeuristics.expectedRandomEntropy(length: 64, alphabetSize: 16) - Bar.hexMargin
            else { return nil }
            return .genericSecret
        }
        if ValueHeuristics.isLiteralKeyword(v) || ValueHeuristics.isPlaceholder(v) || ValueHeuristics.looksLikePath(v) { return nil }
        if ValueHeuristics.isHexNumber(v) || ValueHeuristics.isMavenCoordinate(v) || ValueHeuristics.isDocumentedExample(v) || ValueHeuristics.startsWithDate(v) { return nil }
        if !assignment.quoted && assignment.op != .colon {
            for i in 0..<len where v[i] == UInt8(ascii: "(") { return nil }  // code, not a literal
        }
        if connectionString {
            guard len >= Bar.connectionStringMinLength, !ValueHeuristics.looksLikeWords(v) else { return nil }
            return .databaseConnectionString
        }
        // Words strung with a lot of varied punctuation (`m{{h}o)p${e]nob(ody[…`) are a
        // password, not an identifier: the words test applies to mostly-alphanumeric values.
        // Words with digits and symbols under a password name (`Winter2024!`,
        // `correct-horse-battery-9`) are what people choose as passwords.
        let chosenPassword = family.kind == .password && ValueHeuristics.isRealLookingPassword(v)
        // Identifiers never hold `! @ # % ^ & * + = ? ~`: under a password name such a value is
        // a password even when its letters happen to read like syllables (`CYQKTcx+Bma`).
        let symbolPassword = family.kind == .password && ValueHeuristics.hasPasswordSymbol(v)
        if !chosenPassword && !symbolPassword && !isPunctuationHeavy(v) && (ValueHeuristics.looksLikeWords(v) || ValueHeuristics.looksLikeIdentifierChain(v)) { return nil }
        let name = ByteSpan(base: p, start: assignment.nameStart, end: assignment.nameEnd)
        if name.count == v.count && name.string.lowercased() == v.string.lowercased() { return nil }  // FOO_TOKEN = "FOO_TOKEN"
        // UUIDs under a "token" name are request/idempotency ids (ClientToken, ChangeToken…);
        // under a key or secret name they can be keys (Heroku), so those stay reported.
        if family.tokenOnly && ValueHeuristics.isUUID(v) { return nil }
        let alphabet = ValueHeuristics.alphabet(of: v)
        var effectiveLength = len
        if alphabet == .hex {
            effectiveLength = 0
            for i in 0..<len where v[i] != UInt8(ascii: "-") { effectiveLength += 1 }
        }
        let h = ValueHeuristics.entropy(v, skippingDashes: alphabet == .hex)
        let expected = ValueHeuristics.expectedRandomEntropy(length: effectiveLength, alphabetSize: alphabet.size)
        let classes = ValueHeuristics.classCount(v)
        switch family.kind {
        case .password:
            guard len >= Bar.passwordMinLength, classes >= 2 || len >= 12, chosenPassword || h >= expected - Bar.passwordMargin else { return nil }
            return .genericPassword
        case .secret:
            switch alphabet {
            case .hex:
                guard effectiveLength >= Bar.hexMinLength, h >= expected - Bar.hexMargin else { return nil }
            case .base64:
                guard len >= Bar.base64MinLength, classes >= 2, h >= expected - Bar.base64Margin else { return nil }
            case .mixed:
                guard len >= Bar.mixedMinLength, classes >= 2, h >= expected - Bar.mixedMargin else { return nil }
            }
            // A bare `key` needs a long, three-class, non-hex value: hex under `key` is a hash.
            if family.bareKey && (alphabet == .hex || len < Bar.bareKeyMinLength || classes < 3) { return nil }
            if family.bareKey {  // object-store keys and file names: dcp/17_12_22.tar
                for i in 0..<len where v[i] == UInt8(ascii: "/") || v[i] == UInt8(ascii: "\\") || v[i] == UInt8(ascii: ".") { return nil }
            }
            if family.aws && len == 40 && alphabet == .base64 { return .awsSecretAccessKey }
            return .genericSecret
        }
    }

    /// At least 30% of the characters are punctuation, of at least four different kinds.
    static func isPunctuationHeavy(_ v: ByteSpan) -> Bool {
        var symbols = 0
        var kinds = Set<UInt8>()
        for i in 0..<v.count where !Ascii.isAlnum(v[i]) {
            symbols += 1
            kinds.insert(v[i])
        }
        return symbols * 10 >= v.count * 3 && kinds.count >= 4
    }

    /// `Server=…;Database=…;User Id=…;Password=…;` (ADO.NET, ODBC, JDBC-style key=value lists):
    /// one pass over `line`, looking at the name before each `=`.
    static func lineHasConnectionStringKeys(_ line: ByteSpan) -> Bool {
        for i in 0..<line.count where line[i] == UInt8(ascii: "=") {
            var s = i
            while s > 0 && i - s < 16 && (Ascii.isLetter(line[s - 1]) || line[s - 1] == 0x20) { s -= 1 }
            while s < i && line[s] == 0x20 { s += 1 }
            let name = ByteSpan(base: line.base, start: line.start + s, end: line.start + i)
            for key in connectionKeys where name.equalsLowercased(key) { return true }
        }
        return false
    }

    static let connectionKeys: [StaticString] = ["server", "data source", "host", "user id", "uid", "username", "user", "database", "initial catalog"]
}
