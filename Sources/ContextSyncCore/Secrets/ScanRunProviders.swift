/// Provider formats with a fixed shape (prefixed tokens, `sk-…`, JWTs, PEM keys, URL passwords,
/// Slack webhooks): matchers of `ScanRun`.
extension ScanRun {
    // MARK: - Provider formats

    mutating func prefixRule(_ rule: PrefixRule, at i: Int, length: Int) {
        if !tokenBoundaryBefore(i) { return }
        let bs = i + length
        var e = bs
        let limit = min(n, bs + rule.maxLength + 1)
        while e < limit && rule.charset.contains(p[e]) { e += 1 }
        var be = e
        if rule.charset.trimsTrailingPunctuation {
            // A sentence may end right after a token: drop trailing dots; drop trailing dashes
            // only when the token is too long with them.
            while be > bs && p[be - 1] == UInt8(ascii: ".") { be -= 1 }
            var dashTrimmed = be
            while dashTrimmed > bs && p[dashTrimmed - 1] == UInt8(ascii: "-") { dashTrimmed -= 1 }
            if be - bs > rule.maxLength || (be - bs < rule.minLength) { be = dashTrimmed }
            while be > bs && p[be - 1] == UInt8(ascii: ".") { be -= 1 }
        }
        let len = be - bs
        guard len >= rule.minLength && len <= rule.maxLength else { return }
        if be == e && e < n && Ascii.isAlnum(p[e]) { return }
        if isTruncationMark(at: be) { return }  // ghp_abc…, sk_live_123... : shortened for display
        let body = span(bs, be)
        switch rule.check {
        case .none: break
        case .requireDigit:
            var digit = false
            for k in 0..<body.count where Ascii.isDigit(body[k]) { digit = true; break }
            if !digit { return }
        case .sendgridDot:
            if body[22] != UInt8(ascii: ".") { return }
        case .postmanDash:
            if body[24] != UInt8(ascii: "-") { return }
        case .separatorAt(let offset, let separator):
            if body[offset] != separator { return }
        }
        guard ValueHeuristics.isRandomEnough(body), !ValueHeuristics.isDocumentedExample(span(i, be)) else { return }
        add(rule.rule, rule.includePrefix ? i : bs, be)
        if rule.rule == .awsAccessKeyID { awsSecretNear(be) }
    }

    /// `sk-ant-…` (Anthropic), `sk-proj-…`/`sk-svcacct-…`/`sk-admin-…` and legacy `sk-` + 32 or
    /// more alphanumerics (OpenAI and OpenAI-compatible providers).
    mutating func skDash(at i: Int) {
        if i > 0 {
            let b = p[i - 1]
            if b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || (Ascii.isAlnum(b) && !tokenBoundaryBefore(i)) { return }
        }
        let j = i + 3
        let rest = span(j, min(n, j + 16))
        var rule = RuleKind.openAIKey
        var bodyStart = j
        var dashed = false
        if rest.hasPrefix("ant-") {
            rule = .anthropicKey
            bodyStart = j + 4
            dashed = true
        } else if rest.hasPrefix("or-v1-") {
            var e = j + 6
            while e < n && e - j < 80 && Ascii.isLowerHex(p[e]) { e += 1 }
            guard e - j - 6 == 64, e >= n || !Ascii.isAlnum(p[e]), ValueHeuristics.isRandomEnough(span(j + 6, e)) else { return }
            add(.openRouterKey, i, e)
            return
        } else {
            for project in ["proj-", "svcacct-", "admin-", "None-"] as [StaticString] where rest.hasPrefix(project) {
                bodyStart = j + project.utf8CodeUnitCount
                dashed = true
                break
            }
        }
        var e = bodyStart
        let limit = min(n, bodyStart + 400)
        if dashed {
            while e < limit && Ascii.isBase64URL(p[e]) { e += 1 }
        } else {
            while e < limit && Ascii.isAlnum(p[e]) { e += 1 }
            if e < n && Ascii.isBase64URL(p[e]) { return }
        }
        let len = e - bodyStart
        guard len >= 32 && len < 400, !isTruncationMark(at: e) else { return }
        guard ValueHeuristics.isRandomEnough(span(bodyStart, e)) else { return }
        add(rule, i, e)
    }

    /// `eyJ<header>.<payload>.<signature>` whose header decodes to a JSON object naming `alg` or `typ`.
    mutating func jwt(at i: Int) {
        if i > 0 && Ascii.isBase64URL(p[i - 1]) && !ansiEndsAt(i) { return }
        let limit = min(n, i + 16384)
        var e1 = i
        while e1 < limit && Ascii.isBase64URL(p[e1]) { e1 += 1 }
        guard e1 - i >= 10, e1 < limit, p[e1] == UInt8(ascii: ".") else { return }
        var e2 = e1 + 1
        while e2 < limit && Ascii.isBase64URL(p[e2]) { e2 += 1 }
        guard e2 - e1 - 1 >= 10, e2 < limit, p[e2] == UInt8(ascii: ".") else { return }
        var e3 = e2 + 1
        while e3 < limit && Ascii.isBase64URL(p[e3]) { e3 += 1 }
        guard let header = Base64Lite.decode(span(i, e1), url: true), header.first == UInt8(ascii: "{") else { return }
        let h = header.withUnsafeBufferPointer { ByteSpan(base: $0.baseAddress!, start: 0, end: $0.count) }
        guard h.containsLowercased("\"alg\"") || h.containsLowercased("\"typ\"") else { return }
        // The payload of a JWT is a JSON object too; a header followed by anything else is not one.
        guard let payload = Base64Lite.decode(span(e1 + 1, min(e2, e1 + 9)), url: true), payload.first == UInt8(ascii: "{") else { return }
        add(.jwt, i, e3)
    }

    /// `-----BEGIN … PRIVATE KEY-----` followed by at least 64 base64 characters (real bodies
    /// are hundreds; constants holding only the header line, and `...` placeholders, are not
    /// keys). Newlines may be real or escaped (`\n` in JSON). The secret runs to the end of the
    /// `-----END …-----` line, or of the body when that line is missing.
    mutating func pem(at i: Int) {
        var j = i + 10
        guard j < n, p[j] == 0x20 else { return }
        j += 1
        let labelStart = j
        while j < n && j - labelStart < 48 && (Ascii.isUpper(p[j]) || p[j] == 0x20 || Ascii.isDigit(p[j])) { j += 1 }
        guard span(j, min(n, j + 5)).hasPrefix("-----"), span(labelStart, j).containsLowercased("private key") else { return }
        var k = j + 5
        var base64 = 0
        var end = -1
        let limit = min(n, k + (1 << 20))
        while k < limit {
            let b = p[k]
            if Ascii.isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") {
                base64 += 1
                k += 1
            } else if Ascii.isSpace(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
                || b == UInt8(ascii: "`")
            {
                k += 1  // quotes: a block split over string literals joined with `+` in code
            } else if b == UInt8(ascii: "\\") {
                // `\n` in JSON, `\\n` when that JSON was itself escaped into a string
                var m = k
                while m < n && m - k < 8 && p[m] == UInt8(ascii: "\\") { m += 1 }
                guard m < n, p[m] == UInt8(ascii: "n") || p[m] == UInt8(ascii: "r") else { break }
                k = m + 1
            } else if b == UInt8(ascii: "-") && span(k, min(n, k + 8)).hasPrefix("-----END") {
                var m = k + 8
                while m < n && m - k < 80 && p[m] != UInt8(ascii: "\n") {
                    if span(m, min(n, m + 5)).hasPrefix("-----") && m > k + 8 {
                        end = m + 5
                        break
                    }
                    m += 1
                }
                if end < 0 { end = k + 8 }
                break
            } else if b == UInt8(ascii: "-") {
                if span(k, min(n, k + 5)).hasPrefix("-----") { break }  // another BEGIN: this body ended
                k += 1  // Proc-Type / DEK-Info header lines
            } else {
                break
            }
        }
        guard base64 >= 64 else { return }
        if end < 0 {
            end = k
            while end > i {
                let b = p[end - 1]
                if Ascii.isSpace(b) { end -= 1; continue }
                if b == UInt8(ascii: "n") || b == UInt8(ascii: "r"), end >= 2, p[end - 2] == UInt8(ascii: "\\") { end -= 2; continue }
                break
            }
        }
        // A service-account JSON file names the field just before the key on the same line.
        var ls = i
        while ls > 0 && i - ls < 40 && p[ls - 1] != UInt8(ascii: "\n") { ls -= 1 }
        add(span(ls, i).containsLowercased("private_key") ? .gcpServiceAccountKey : .privateKey, i, end)
    }

    /// `scheme://user:password@host`: the password part.
    mutating func url(at i: Int) {
        if i < urlUntil { return }
        var s = i
        while s > 0 && i - s < 32 {
            let b = p[s - 1]
            if Ascii.isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") { s -= 1 } else { break }
        }
        while s < i && !Ascii.isLetter(p[s]) { s += 1 }
        guard s < i else { return }
        let a = i + 3
        var k = a
        var at = -1
        let limit = min(n, a + 512)
        scan: while k < limit {
            switch p[k] {
            case UInt8(ascii: "@"): at = k
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "("),
                UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
                UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ";"):
                break scan
            default:
                if Ascii.isSpace(p[k]) || p[k] < 0x20 { break scan }
            }
            k += 1
        }
        guard at > a else {
            urlUntil = k
            return
        }
        var colon = -1
        for m in a..<at where p[m] == UInt8(ascii: ":") { colon = m; break }
        guard colon >= 0, colon + 1 < at else { return }
        let user = span(a, colon), pw = span(colon + 1, at)
        guard !ValueHeuristics.isURLPlaceholder(pw), !ValueHeuristics.isURLPlaceholder(user) || user.isEmpty else { return }
        // cvs://:pserver:anon@host is a protocol, not a password; user:user is a documented default.
        for m in 0..<pw.count where pw[m] == UInt8(ascii: ":") { return }
        if pw.count < 4 || (pw.count == user.count && pw.string.lowercased() == user.string.lowercased()) { return }
        var allDigits = true
        for m in 0..<pw.count where !Ascii.isDigit(pw[m]) { allDigits = false; break }
        if allDigits && (user.isEmpty || user.containsLowercased(".") || user.equalsLowercased("localhost")) { return }  // host:port@
        let scheme = span(s, i)
        var isDatabase = false
        for db in ValueHeuristics.databaseSchemes where scheme.equalsLowercased(db) { isDatabase = true; break }
        add(isDatabase ? .databaseConnectionString : .urlCredentials, colon + 1, at)
    }

    /// `hooks.slack.com/services/T…/B…/<secret>` (and `/workflows/`, `/triggers/`).
    mutating func slackWebhook(at i: Int) {
        var k = i + 16
        let kind = span(k, min(n, k + 10))
        if kind.hasPrefix("services/") {
            k += 9
        } else if kind.hasPrefix("workflows/") {
            k += 10
        } else if kind.hasPrefix("triggers/") {
            k += 9
        } else {
            return
        }
        let bodyStart = k
        var slashes = 0
        let limit = min(n, k + 200)
        while k < limit && (Ascii.isAlnum(p[k]) || p[k] == UInt8(ascii: "/")) {
            if p[k] == UInt8(ascii: "/") { slashes += 1 }
            k += 1
        }
        guard slashes >= 2, k - bodyStart >= 40 else { return }
        guard ValueHeuristics.isRandomEnough(span(bodyStart, k)) else { return }
        add(.slackWebhookURL, i, k)
    }
}
