/// Value shapes added for issue 15: numbers, coordinates, documented examples, chosen passwords,
/// dates, and the first-byte index of the placeholder words.
extension ValueHeuristics {
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

        /// Calls `match(start, length)` for every placeholder word in `v` (case-insensitive),
        /// left to right; stops when it returns false.
        @inline(__always)
        func forEachMatch(_ v: ByteSpan, _ match: (Int, Int) -> Bool) {
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
                    if j == m && !match(i, m) { return }
                }
            }
        }

        /// How many bytes of `v` lie inside some placeholder word.
        func coverage(_ v: ByteSpan) -> Int {
            var covered = [Bool](repeating: false, count: v.count)
            forEachMatch(v) { i, m in
                for k in i..<(i + m) { covered[k] = true }
                return true
            }
            return covered.reduce(0) { $0 + ($1 ? 1 : 0) }
        }

        func containsAny(_ v: ByteSpan) -> Bool {
            var found = false
            forEachMatch(v) { _, _ in
                found = true
                return false
            }
            return found
        }
    }

    /// `0x1f2e…`: a number or an address (Ethereum addresses are 40 hex digits), not a secret,
    /// unless it is 64 hex digits (the size of a private key).
    static func isHexNumber(_ v: ByteSpan) -> Bool {
        guard v.count > 2, v[0] == UInt8(ascii: "0"), v[1] == UInt8(ascii: "x") || v[1] == UInt8(ascii: "X") else { return false }
        for i in 2..<v.count where !isHexDigit(v[i]) { return false }
        return v.count - 2 != 64
    }

    @inline(__always) static func isHexDigit(_ b: UInt8) -> Bool { Ascii.isHex(b) }

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

}
