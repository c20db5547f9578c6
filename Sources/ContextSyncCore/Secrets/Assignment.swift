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

