/// Matchers for shapes that are not `prefix + body`: token boundaries (ANSI colour codes),
/// AWS secret keys next to their key id, JWK private members, base64-wrapped PEM keys, Telegram
/// bot tokens, Azure AD client secrets, Discord and Teams webhooks.
extension ScanRun {
    // MARK: - Boundaries

    /// A token may start at `i`: nothing alphanumeric glued before it, or only the end of an ANSI
    /// escape sequence (`\e[32m`, also written `\u001b[32m` or `\x1b[0;1m` in JSON and logs).
    func tokenBoundaryBefore(_ i: Int) -> Bool {
        guard i > 0 else { return true }
        return !Ascii.isAlnum(p[i - 1]) || ansiEndsAt(i)
    }

    /// An ANSI CSI sequence ends right before `i`.
    func ansiEndsAt(_ i: Int) -> Bool {
        guard i >= 3, Ascii.isLetter(p[i - 1]) else { return false }
        var k = i - 2
        while k > 0 && i - k < 20 && (Ascii.isDigit(p[k]) || p[k] == UInt8(ascii: ";")) { k -= 1 }
        guard p[k] == UInt8(ascii: "[") else { return false }
        if k >= 1 && p[k - 1] == 0x1B { return true }
        let before = span(max(0, k - 6), k)
        return before.containsLowercased("\\u001b") || before.containsLowercased("\\x1b") || before.containsLowercased("\\033")
            || before.containsLowercased("\\e")
    }

    /// `...` or `…` right after a token: it was shortened for display, the rest is not there.
    func isTruncationMark(at e: Int) -> Bool {
        if e + 2 < n && p[e] == UInt8(ascii: ".") && p[e + 1] == UInt8(ascii: ".") && p[e + 2] == UInt8(ascii: ".") { return true }
        return e + 2 < n && p[e] == 0xE2 && p[e + 1] == 0x80 && p[e + 2] == 0xA6
    }

    // MARK: - AWS secret access key next to its key id

    /// After an access key id, the 40-character secret usually follows within a few words
    /// (`AKIA… / wJalr…`, CSV exports, prose): a standalone run of exactly 40 base64 characters
    /// with upper, lower and digits, not hex (a git SHA), random-looking.
    mutating func awsSecretNear(_ from: Int) {
        let limit = min(n, from + 240)
        var k = from
        var newlines = 0
        while k < limit {
            let b = p[k]
            if b == 0x0A {
                newlines += 1
                if newlines > 2 { return }
            }
            guard isAWSSecretChar(b) else { k += 1; continue }
            let s = k
            while k < n && k - s <= 41 && isAWSSecretChar(p[k]) { k += 1 }
            if k - s == 40 && !(k < n && (isAWSSecretChar(p[k]) || p[k] == UInt8(ascii: "="))) && !(s > 0 && p[s - 1] == UInt8(ascii: "="))
                && Self.looksLikeAWSSecret(span(s, k))
            {
                add(.awsSecretAccessKey, s, k)
                return
            }
            while k < n && isAWSSecretChar(p[k]) { k += 1 }
        }
    }

    @inline(__always) private func isAWSSecretChar(_ b: UInt8) -> Bool {
        Ascii.isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/")
    }

    static func looksLikeAWSSecret(_ v: ByteSpan) -> Bool {
        guard v.count == 40, ValueHeuristics.alphabet(of: v) == .base64, ValueHeuristics.classCount(v) >= 3 else { return false }
        var upper = 0, lower = 0, digit = 0
        for i in 0..<v.count {
            if Ascii.isUpper(v[i]) { upper += 1 } else if Ascii.isLower(v[i]) { lower += 1 } else if Ascii.isDigit(v[i]) { digit += 1 }
        }
        guard upper >= 4 && lower >= 4 && digit >= 1 else { return false }
        return ValueHeuristics.isRandomEnough(v)
            && ValueHeuristics.entropy(v) >= ValueHeuristics.expectedRandomEntropy(length: 40, alphabetSize: 64) - GenericRule.Bar.base64Margin
    }

    // MARK: - JSON Web Keys

    /// `{"kty": "RSA", …, "d": "…", "p": "…", …}`: the private members of a JWK (RSA `d p q dp dq qi`,
    /// EC/OKP `d`, symmetric `k`). The anchor is `kty`; the members may come before or after it.
    mutating func jwk(at i: Int) {
        guard i >= 1, i + 4 < n, p[i - 1] == UInt8(ascii: "\"") || p[i - 1] == UInt8(ascii: "'") else { return }
        var s = i
        while s > 0 && i - s < 4096 && p[s] != UInt8(ascii: "{") { s -= 1 }
        guard p[s] == UInt8(ascii: "{") else { return }
        var e = i
        let limit = min(n, i + 16384)
        while e < limit && p[e] != UInt8(ascii: "}") { e += 1 }
        guard e < limit else { return }
        var k = s
        while k + 3 < e {
            // "d": "…"  /  \"d\":\"…\"
            guard p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'") else { k += 1; continue }
            var m = k + 1
            while m < e && m - k <= 3 && Ascii.isLower(p[m]) { m += 1 }
            let member = span(k + 1, m)
            let isPrivate = member.equalsExactly("d") || member.equalsExactly("p") || member.equalsExactly("q") || member.equalsExactly("dp")
                || member.equalsExactly("dq") || member.equalsExactly("qi") || member.equalsExactly("k")
            guard isPrivate, m < e, p[m] == p[k] || (p[m] == UInt8(ascii: "\\") && m + 1 < e && p[m + 1] == UInt8(ascii: "\"")) else { k += 1; continue }
            var v = m + (p[m] == UInt8(ascii: "\\") ? 2 : 1)
            while v < e && (p[v] == 0x20 || p[v] == UInt8(ascii: ":") || p[v] == UInt8(ascii: "\\") || p[v] == UInt8(ascii: "\"") || p[v] == UInt8(ascii: "'")) { v += 1 }
            var ve = v
            while ve < e && Ascii.isBase64URL(p[ve]) { ve += 1 }
            if ve - v >= 16 && ValueHeuristics.isRandomEnough(span(v, ve)) { add(.jwkPrivateKey, v, ve) }
            k = max(ve, k + 1)
        }
    }

    // MARK: - base64-wrapped PEM (kubeconfig client-key-data, secrets manifests)

    /// `LS0tLS1CRUdJTi…` is `-----BEGIN ` in base64: decode the start, and when it announces a
    /// private key, the whole base64 run (line breaks and `\n` escapes allowed) is the secret.
    mutating func base64PEM(at i: Int) {
        if i > 0 && (Ascii.isAlnum(p[i - 1]) || p[i - 1] == UInt8(ascii: "+") || p[i - 1] == UInt8(ascii: "/")) { return }
        var k = i
        var chars = 0
        var end = i
        var lineRun = 0  // base64 characters since the last line break inside the value
        let limit = min(n, i + (1 << 20))
        while k < limit {
            let b = p[k]
            if Ascii.isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") {
                chars += 1
                lineRun += 1
                k += 1
                end = k
            } else if (b == 0x0A || b == 0x0D) && (lineRun == 64 || lineRun == 76) {
                // `base64` / `openssl base64` wrap at 76 / 64 columns: the value goes on.
                k += 1
                if k < limit && b == 0x0D && p[k] == 0x0A { k += 1 }
                lineRun = 0
            } else if b == UInt8(ascii: "\\") && k + 1 < limit && p[k + 1] == UInt8(ascii: "n") && (lineRun == 64 || lineRun == 76) {
                k += 2
                lineRun = 0
            } else {
                break
            }
        }
        guard chars >= 200 else { return }
        guard let head = Base64Lite.decode(span(i, min(end, i + 64)), url: false) else { return }
        let text = head.withUnsafeBufferPointer { ByteSpan(base: $0.baseAddress!, start: 0, end: $0.count) }
        guard text.containsLowercased("private key") else { return }
        add(.privateKey, i, end)
    }

    // MARK: - Chat and identity platforms

    /// Telegram bot token `123456789:AA…` (5–16 digit bot id, `:`, `A` + 34 base64url characters).
    mutating func telegram(at i: Int) {
        var s = i
        while s > 0 && i - s <= 16 && Ascii.isDigit(p[s - 1]) { s -= 1 }
        // …/bot<id>:<token> is how the Bot API is called.
        let afterBot = s >= 3 && span(s - 3, s).equalsExactly("bot")
        guard i - s >= 5 && i - s <= 16, s == 0 || !Ascii.isAlnum(p[s - 1]) || ansiEndsAt(s) || afterBot else { return }
        let bs = i + 1
        var e = bs
        while e < n && e - bs <= 36 && Ascii.isBase64URL(p[e]) { e += 1 }
        guard e - bs == 35, e >= n || !Ascii.isBase64URL(p[e]), ValueHeuristics.isRandomEnough(span(bs + 1, e)) else { return }
        add(.telegramBotToken, s, e)
    }

    /// Azure AD / Entra ID client secret: 3 characters, a digit, `Q~`, 31–34 characters of
    /// `[A-Za-z0-9_~.-]`.
    mutating func azureClientSecret(at i: Int) {
        guard i >= 4, Ascii.isDigit(p[i - 1]) else { return }
        let s = i - 4
        for k in s..<(i - 1) where !TokenCharset.azureSecret.contains(p[k]) || p[k] == UInt8(ascii: "-") { return }
        if s > 0 && TokenCharset.azureSecret.contains(p[s - 1]) { return }
        var e = i + 2
        while e < n && e - i <= 37 && TokenCharset.azureSecret.contains(p[e]) { e += 1 }
        let len = e - i - 2
        guard len >= 31 && len <= 34, e >= n || !TokenCharset.azureSecret.contains(p[e]) else { return }
        guard ValueHeuristics.isRandomEnough(span(i + 2, e)) else { return }
        add(.azureADClientSecret, s, e)
    }

    /// `discord.com/api/webhooks/<17–20 digit id>/<60–68 base64url token>`.
    mutating func discordWebhook(at i: Int, length: Int) {
        var k = i + length
        let idStart = k
        while k < n && k - idStart <= 20 && Ascii.isDigit(p[k]) { k += 1 }
        guard k - idStart >= 17 && k - idStart <= 20, k < n, p[k] == UInt8(ascii: "/") else { return }
        let ts = k + 1
        var e = ts
        while e < n && e - ts <= 68 && Ascii.isBase64URL(p[e]) { e += 1 }
        guard e - ts >= 60 && e - ts <= 68, ValueHeuristics.isRandomEnough(span(ts, e)) else { return }
        add(.discordWebhook, i, e)
    }

    /// `….webhook.office.com/webhookb2/<uuid>@<uuid>/IncomingWebhook/<32 hex>/<uuid>`.
    mutating func teamsWebhook(at i: Int, length: Int) {
        let bs = i + length
        var e = bs
        while e < n && e - bs < 300 && (Ascii.isAlnum(p[e]) || p[e] == UInt8(ascii: "-") || p[e] == UInt8(ascii: "@") || p[e] == UInt8(ascii: "/")) { e += 1 }
        let body = span(bs, e)
        guard body.count >= 100, body.containsLowercased("/incomingwebhook/"), ValueHeuristics.isRandomEnough(body) else { return }
        add(.teamsWebhook, bs, e)
    }
}
