/// Authorization headers and `curl -u`: matchers of `ScanRun`.
extension ScanRun {
    // MARK: - Authorization headers

    mutating func bearer(at i: Int) {
        if i > 0 && Ascii.isAlnum(p[i - 1]) { return }
        var k = i + 6
        let spaces = k
        while k < n && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
        guard k > spaces else { return }
        let ts = k
        let limit = min(n, k + 4096)
        while k < limit {
            let b = p[k]
            if Ascii.isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~") || b == UInt8(ascii: "+")
                || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") || b == UInt8(ascii: "-")
            {
                k += 1
            } else {
                break
            }
        }
        var te = k
        while te > ts && (p[te - 1] == UInt8(ascii: ".") || p[te - 1] == UInt8(ascii: "-")) { te -= 1 }
        if k < n && !(Ascii.isSpace(p[k]) || ValueHeuristics.isValueTerminator(p[k])) { return }
        let token = span(ts, te)
        guard token.count >= 16 else { return }
        guard !ValueHeuristics.isPlaceholder(token), !ValueHeuristics.looksLikeWords(token), ValueHeuristics.classCount(token) >= 2 else { return }
        let bar = ValueHeuristics.expectedRandomEntropy(length: token.count, alphabetSize: ValueHeuristics.alphabet(of: token).size)
            - Thresholds.headerEntropyMargin
        guard ValueHeuristics.entropy(token) >= bar else { return }
        add(.authorizationBearer, ts, te)
    }

    /// `Authorization: token <t>`, `Authorization: Bot <t>`, `"authorization": "<t>"`: a header
    /// value that is not Bearer/Basic (those have their own matchers).
    mutating func authorization(at i: Int) {
        if i < authorizationUntil { return }
        if i > 0 && Ascii.isAlnum(p[i - 1]) { return }
        var k = i + 13
        if k < n && (p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'")) { k += 1 }
        while k < n && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
        guard k < n, p[k] == UInt8(ascii: ":") || p[k] == UInt8(ascii: "=") else { return }
        k += 1
        while k < n && (p[k] == 0x20 || p[k] == 0x09 || p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'")) { k += 1 }
        // Optional scheme word.
        var w = k
        while w < n && w - k < 16 && Ascii.isLetter(p[w]) { w += 1 }
        let scheme = span(k, w)
        if scheme.equalsLowercased("bearer") || scheme.equalsLowercased("basic") { return }
        if w < n && p[w] == 0x20 && (scheme.equalsLowercased("token") || scheme.equalsLowercased("bot")
            || scheme.equalsLowercased("apikey") || scheme.equalsLowercased("key") || scheme.equalsLowercased("sso"))
        {
            k = w
            while k < n && p[k] == 0x20 { k += 1 }
        }
        let ts = k
        let limit = min(n, k + 4096)
        while k < limit && (Ascii.isBase64ish(p[k]) || p[k] == UInt8(ascii: "~") || p[k] == UInt8(ascii: ":")) { k += 1 }
        authorizationUntil = k  // a later `authorization` inside this value has nothing new to find
        var te = k
        while te > ts && (p[te - 1] == UInt8(ascii: ".") || p[te - 1] == UInt8(ascii: "-")) { te -= 1 }
        if k < n && !(Ascii.isSpace(p[k]) || ValueHeuristics.isValueTerminator(p[k])) { return }
        let token = span(ts, te)
        guard token.count >= 16 else { return }
        guard !ValueHeuristics.isPlaceholder(token), !ValueHeuristics.looksLikeWords(token), !ValueHeuristics.looksLikePath(token),
            ValueHeuristics.classCount(token) >= 2
        else { return }
        let bar = ValueHeuristics.expectedRandomEntropy(length: token.count, alphabetSize: ValueHeuristics.alphabet(of: token).size)
            - Thresholds.headerEntropyMargin
        guard ValueHeuristics.entropy(token) >= bar else { return }
        add(.authorizationBearer, ts, te)
    }

    /// `curl -u user:password …` / `--user user:password` (the line must mention curl).
    mutating func curlUser(at i: Int) {
        if i > 0 && !Ascii.isSpace(p[i - 1]) { return }
        var k = i + 2
        while k < n && p[k] != 0x20 { k += 1 }
        while k < n && p[k] == 0x20 { k += 1 }
        var quote: UInt8 = 0
        if k < n && (p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'")) {
            quote = p[k]
            k += 1
        }
        let us = k
        var colon = -1
        let limit = min(n, k + 256)
        while k < limit && !Ascii.isSpace(p[k]) && p[k] != quote && !(quote == 0 && (p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'"))) {
            if p[k] == UInt8(ascii: ":") && colon < 0 { colon = k }
            k += 1
        }
        guard colon > us, k - colon - 1 >= 4 else { return }
        let user = span(us, colon), pw = span(colon + 1, k)
        guard !ValueHeuristics.isURLPlaceholder(pw), !ValueHeuristics.isURLPlaceholder(user) else { return }
        if pw.count == user.count && pw.string.lowercased() == user.string.lowercased() { return }
        var ls = i
        while ls > 0 && i - ls < 512 && p[ls - 1] != UInt8(ascii: "\n") { ls -= 1 }
        guard span(ls, i).containsLowercased("curl") else { return }
        add(.genericPassword, colon + 1, k)
    }

    mutating func basic(at i: Int) {
        if i > 0 && Ascii.isAlnum(p[i - 1]) { return }
        var k = i + 5
        let spaces = k
        while k < n && (p[k] == 0x20 || p[k] == 0x09) { k += 1 }
        guard k > spaces else { return }
        let ts = k
        let limit = min(n, k + 1024)
        while k < limit && (Ascii.isAlnum(p[k]) || p[k] == UInt8(ascii: "+") || p[k] == UInt8(ascii: "/")) { k += 1 }
        while k < limit && p[k] == UInt8(ascii: "=") { k += 1 }
        if k < n && (Ascii.isAlnum(p[k]) || p[k] == UInt8(ascii: "_") || p[k] == UInt8(ascii: "-") || p[k] == UInt8(ascii: ".")) { return }
        let token = span(ts, k)
        guard token.count >= 8, token.count % 4 != 1 else { return }
        guard let decoded = Base64Lite.decode(token, url: false), decoded.count >= 3 else { return }
        var colon = -1
        for (m, b) in decoded.enumerated() {
            guard b >= 0x20 && b < 0x7F else { return }
            if b == UInt8(ascii: ":") && colon < 0 { colon = m }
        }
        guard colon > 0, colon < decoded.count - 1 else { return }
        let isPlaceholder = decoded.withUnsafeBufferPointer { buf in
            ValueHeuristics.isURLPlaceholder(ByteSpan(base: buf.baseAddress!, start: colon + 1, end: buf.count))
        }
        guard !isPlaceholder else { return }
        add(.authorizationBasic, ts, k)
    }

}
