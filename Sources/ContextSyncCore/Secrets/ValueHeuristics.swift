#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
