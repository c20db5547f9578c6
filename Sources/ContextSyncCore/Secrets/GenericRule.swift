/// `name <op> value` as written in code, config files and command lines.
struct Assignment {
    enum Operator {
        /// `:` (YAML, JSON, Python dicts, type-less key: value)
        case colon
        /// `=` (.env, shell, TOML, INI, most languages)
        case equals
        /// `=>` (PHP, Ruby), `:=` (Go)
        case arrow
        /// `==`, `===`, `!=`, `!==`: a literal compared with a secret-named variable.
        case comparison
        /// `--password value`
        case flag
        /// `<password>value</password>`
        case xml
        /// `setPassword("value")`, `password("value")`: a literal passed to a secret-named call.
        case call
    }

    var nameStart: Int
    var nameEnd: Int
    var op: Operator
    var valueStart: Int
    var valueEnd: Int
    var quoted: Bool
    /// The byte right after the value (after the closing quote for quoted ones), 0 at the end.
    var terminator: UInt8

    /// Parses an assignment whose name occupies `[nameStart, nameEnd)` (name characters
    /// `[A-Za-z0-9_.-]`, possibly with leading dashes for a command-line flag).
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, nameStart s: Int, nameEnd e: Int) -> Assignment? {
        var ns = s
        var dashes = 0
        while ns < e && p[ns] == UInt8(ascii: "-") { ns += 1; dashes += 1 }
        var ne = e
        while ne > ns && (p[ne - 1] == UInt8(ascii: ".") || p[ne - 1] == UInt8(ascii: "-")) { ne -= 1 }
        guard ne > ns, ne == e else { return nil }  // "the password." ends a sentence
        // aws:secretsmanager:…, AWS::Route53::KeySigningKey: a path of names, not an assignment
        // (a Ruby symbol `:password =>` has a space or bracket before its colon).
        // alias/aws/secretsmanager: a path component.
        if s >= 1 && p[s - 1] == UInt8(ascii: "/") { return nil }
        if s >= 2 && p[s - 1] == UInt8(ascii: ":") {
            switch p[s - 2] {
            case 0x20, 0x09, 0x0A, UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: ","): break
            default: return nil
            }
        }
        var j = e
        if j + 1 < n && p[j] == UInt8(ascii: "(") && dashes == 0
            && (p[j + 1] == UInt8(ascii: "\"") || p[j + 1] == UInt8(ascii: "'") || (p[j + 1] == UInt8(ascii: "\\") && j + 2 < n && p[j + 2] == UInt8(ascii: "\"")))
        {
            return parseValue(p, n, nameStart: ns, nameEnd: ne, op: .call, at: j + 1)
        }
        if j < n && (p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") || p[j] == UInt8(ascii: "`")) {
            j += 1
        } else if j + 1 < n && p[j] == UInt8(ascii: "\\") && p[j + 1] == UInt8(ascii: "\"") {
            j += 2
        }
        if j < n && p[j] == UInt8(ascii: "[") {  // char password[64] = "…"
            var m = j + 1
            while m < n && m - j < 8 && p[m] != UInt8(ascii: "]") { m += 1 }
            guard m < n && p[m] == UInt8(ascii: "]") else { return nil }
            j = m + 1
        }
        var k = j
        while k < n && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
        let hadSpace = k > j
        guard k < n else { return nil }
        let next: UInt8 = k + 1 < n ? p[k + 1] : 0
        var op: Operator
        switch p[k] {
        case UInt8(ascii: ":"):
            if next == UInt8(ascii: "=") {
                op = .arrow
                k += 2
            } else if next == UInt8(ascii: ":") {
                return nil  // Type::member
            } else {
                op = .colon
                k += 1
                // `val password: String = "…"`, `let pw: &str = "…"`, `password: string = "…"`
                if let after = typeAnnotationEnd(p, n, from: k) {
                    op = .equals
                    k = after
                }
            }
        case UInt8(ascii: "="):
            if next == UInt8(ascii: ">") {
                op = .arrow
                k += 2
            } else if next == UInt8(ascii: "=") {
                op = .comparison
                k += 2
                if k < n && p[k] == UInt8(ascii: "=") { k += 1 }
            } else {
                op = .equals
                k += 1
            }
        case UInt8(ascii: "!") where next == UInt8(ascii: "="):
            op = .comparison
            k += 2
            if k < n && p[k] == UInt8(ascii: "=") { k += 1 }
        case UInt8(ascii: ">") where !hadSpace && s > 0 && p[s - 1] == UInt8(ascii: "<"):
            op = .xml
            k += 1
        default:
            guard dashes >= 2, hadSpace, ns == s + dashes else { return nil }
            op = .flag
        }
        return parseValue(p, n, nameStart: ns, nameEnd: ne, op: op, at: k)
    }

    /// `: Type =` after a name: the end of the `=`, or nil when this is not a typed declaration.
    static func typeAnnotationEnd(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int? {
        var k = start
        while k < n && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
        guard k < n else { return nil }
        if p[k] == UInt8(ascii: "&") || p[k] == UInt8(ascii: "*") { k += 1 }
        guard k < n, Ascii.isLetter(p[k]) || p[k] == UInt8(ascii: "_") else { return nil }
        let ts = k
        var depth = 0
        while k < n && k - ts < 48 {
            let b = p[k]
            if Ascii.isAlnum(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "?") || b == UInt8(ascii: "!") {
                k += 1
            } else if b == UInt8(ascii: "<") || b == UInt8(ascii: "[") {
                depth += 1
                k += 1
            } else if (b == UInt8(ascii: ">") || b == UInt8(ascii: "]")) && depth > 0 {
                depth -= 1
                k += 1
            } else if (b == UInt8(ascii: ",") || b == 0x20) && depth > 0 {
                k += 1
            } else {
                break
            }
        }
        guard depth == 0 else { return nil }
        while k < n && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
        guard k + 1 < n, p[k] == UInt8(ascii: "="), p[k + 1] != UInt8(ascii: "="), p[k + 1] != UInt8(ascii: ">") else { return nil }
        return k + 1
    }

    /// The value part of an assignment whose operator ends right before `start`.
    static func parseValue(_ p: UnsafePointer<UInt8>, _ n: Int, nameStart ns: Int, nameEnd ne: Int, op: Operator, at start: Int) -> Assignment? {
        var k = start
        while k < n && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
        guard k < n else { return nil }
        // String prefixes: @"…" (Objective-C), b'…' r"…" u"…" f"…" (Python).
        if k + 1 < n && (p[k + 1] == UInt8(ascii: "\"") || p[k + 1] == UInt8(ascii: "'")) {
            switch p[k] {
            case UInt8(ascii: "@"), UInt8(ascii: "b"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "f"): k += 1
            default: break
            }
        }
        let q = p[k]
        var vs = k, ve = k, quoted = false, after = k
        if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") || q == UInt8(ascii: "`") {
            vs = k + 1
            var m = vs
            while m < n && m - vs < 1024 && p[m] != q && p[m] != UInt8(ascii: "\n") {
                m += p[m] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard m < n && p[m] == q else { return nil }
            ve = m
            after = m + 1
            quoted = true
            if op == .call {  // setPassword("x") / auth("x", …): the literal is the whole argument
                guard after < n, p[after] == UInt8(ascii: ")") || p[after] == UInt8(ascii: ",") else { return nil }
            }
        } else if q == UInt8(ascii: "\\") && k + 1 < n && p[k + 1] == UInt8(ascii: "\"") {
            // A JSON-escaped string inside a JSON string: \"value\"
            vs = k + 2
            var m = vs
            while m + 1 < n && m - vs < 1024 && !(p[m] == UInt8(ascii: "\\") && p[m + 1] == UInt8(ascii: "\"")) && p[m] != UInt8(ascii: "\n") {
                m += 1
            }
            guard m + 1 < n && p[m] == UInt8(ascii: "\\") && p[m + 1] == UInt8(ascii: "\"") else { return nil }
            ve = m
            after = m + 2
            quoted = true
            if op == .call {
                guard after < n, p[after] == UInt8(ascii: ")") || p[after] == UInt8(ascii: ",") else { return nil }
            }
        } else if op == .call {
            return nil
        } else if op == .xml {
            var m = vs
            while m < n && m - vs < 1024 && p[m] != UInt8(ascii: "<") && p[m] != UInt8(ascii: "\n") { m += 1 }
            guard m < n && p[m] == UInt8(ascii: "<") else { return nil }
            ve = m
            while ve > vs && Ascii.isSpace(p[ve - 1]) { ve -= 1 }
            after = m
        } else {
            // Unquoted. A YAML scalar runs to the end of the line (any punctuation is part of
            // it); in code and shell the usual delimiters end it.
            let first = p[vs]
            if first == UInt8(ascii: "(") || first == UInt8(ascii: "[") || first == UInt8(ascii: "{") { return nil }  // tuple, list, object
            var m = vs
            if op == .colon {
                while m < n && m - vs < 1024 && !Ascii.isSpace(p[m]) && p[m] != UInt8(ascii: "\"") && p[m] != UInt8(ascii: "'")
                    && p[m] != UInt8(ascii: "\\") && p[m] >= 0x20
                {
                    m += 1
                }
            } else {
                // `&` inside a word (`Xk9m&Q2`) is part of a password, except in a URL query
                // (`?user=a&password=b&next=c`) or as a shell operator (`a && b`, `a &`).
                let inQuery = ns > 0 && (p[ns - 1] == UInt8(ascii: "&") || p[ns - 1] == UInt8(ascii: "?"))
                while m < n && m - vs < 1024 && !Ascii.isSpace(p[m]) {
                    if ValueHeuristics.isValueTerminator(p[m]) {
                        guard p[m] == UInt8(ascii: "&"), !inQuery, m > vs, m + 1 < n, Ascii.isPrintable(p[m + 1]), p[m + 1] != UInt8(ascii: "&"),
                            !ValueHeuristics.isValueTerminator(p[m + 1])
                        else { break }
                    }
                    m += 1
                }
                if m < n && p[m] == UInt8(ascii: "(") { return nil }  // a function call
            }
            ve = m
            after = m
            // `sk-proj-AbC...`, `ghp_x…`: shortened for display, not the secret.
            if m - vs >= 3 && p[m - 1] == UInt8(ascii: ".") && p[m - 2] == UInt8(ascii: ".") && p[m - 3] == UInt8(ascii: ".") { return nil }
            if m + 2 < n && p[m] == 0xE2 && p[m + 1] == 0x80 && p[m + 2] == 0xA6 { return nil }
            // Flow collections and statement ends: `{token: x},` `[a, b];`
            while ve > vs && (p[ve - 1] == UInt8(ascii: ".") || p[ve - 1] == UInt8(ascii: ",") || p[ve - 1] == UInt8(ascii: ";")
                || p[ve - 1] == UInt8(ascii: "}") || p[ve - 1] == UInt8(ascii: "]") || p[ve - 1] == UInt8(ascii: ")"))
            {
                ve -= 1
            }
            if isMemberPath(p, vs, ve) { return nil }  // self.password, x25519.X25519PrivateKey
            if isSubscriptOrCall(p, vs, ve) { return nil }  // list[str], tokens[0], get_key(), t.Callable[[str]
            if op == .colon {
                // "token: the one from the dashboard" is prose.
                var r = m
                while r < n && (p[r] == 0x20 || p[r] == 0x09) { r += 1 }
                if r > m && r < n && (Ascii.isAlnum(p[r])) { return nil }
            }
        }
        guard ve > vs else { return nil }
        return Assignment(
            nameStart: ns, nameEnd: ne, op: op, valueStart: vs, valueEnd: ve, quoted: quoted,
            terminator: after < n ? p[after] : 0)
    }
}

/// `a.b`, `self.token`, `settings.SECRET_KEY`: identifiers joined by dots, as code reads a
/// value from somewhere else (an unquoted literal with dots is rare outside JWTs and prefixed
/// tokens, which have their own rules).
func isMemberPath(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
    var dots = 0
    var atPartStart = true
    for i in s..<e {
        let b = p[i]
        if b == UInt8(ascii: ".") {
            if atPartStart { return false }
            dots += 1
            atPartStart = true
        } else if atPartStart {
            guard Ascii.isLetter(b) || b == UInt8(ascii: "_") else { return false }
            atPartStart = false
        } else if !(Ascii.isAlnum(b) || b == UInt8(ascii: "_")) {
            return false
        }
    }
    return dots > 0 && !atPartStart
}

/// `list[str]`, `tokens[0]`, `get_key()`, `t.Callable[[str]`: an identifier path followed by `[`
/// or `(`.
func isSubscriptOrCall(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
    var i = s
    guard i < e, Ascii.isLetter(p[i]) || p[i] == UInt8(ascii: "_") else { return false }
    while i < e && (Ascii.isAlnum(p[i]) || p[i] == UInt8(ascii: "_") || p[i] == UInt8(ascii: ".")) { i += 1 }
    return i < e && (p[i] == UInt8(ascii: "[") || p[i] == UInt8(ascii: "("))
}

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
