#if canImport(Glibc)
import Glibc
#endif
/// A secret candidate: byte range `[start, end)` of the input and the rule that matched it.
struct Candidate: Sendable, Equatable {
    var rule: RuleKind
    var start: Int
    var end: Int
}

/// One pass over a byte buffer: the prefilter loop plus the matchers it dispatches to.
///
/// The loop looks at each byte once (a two-byte table lookup); a matcher runs only where an
/// anchor matched, reads forward from there (bounded), and never re-reads what it already
/// consumed (`keywordUntil`). Nothing here allocates on the hot path.
struct ScanRun {
    let p: UnsafePointer<UInt8>
    let n: Int
    var candidates: [Candidate] = []
    /// The generic rule has examined names up to here: a second keyword inside the same name
    /// (`secret_access_key` holds `secret` and `key`) does not examine it again.
    var keywordUntil = 0
    /// The command-line matcher parsed a command's arguments up to here.
    var commandUntil = 0
    /// The authorization matcher read a header value up to here.
    var authorizationUntil = 0
    /// `Server=…;Password=…;` line cache: the line starting here has (or not) connection-string keys.
    var connectionLineStart = -1
    var classifiedStart = -1, classifiedLength = 0
    var classified: KeywordFamily? = nil
    var connectionLineEnd = -1
    var connectionLineHasKeys = false
    /// The URL matcher read an authority without `@` up to here: a later `://` inside it
    /// (`://://…`) has nothing new to find, so it is not read again.
    var urlUntil = 0

    init(_ p: UnsafePointer<UInt8>, count: Int) {
        self.p = p
        self.n = count
    }

    // MARK: - The prefilter loop

    mutating func run(_ table: AnchorTable = .shared) {
        guard n >= 2 else { return }
        run(from: 0, to: n - 1, table)
    }

    /// Runs the prefilter over positions `from..<to` only (`to <= n - 1`), keeping the `…Until`
    /// state: a streamed scan runs consecutive ranges of one stream through the same state
    /// (`SecretScanStream.swift`).
    mutating func run(from: Int, to: Int, _ table: AnchorTable = .shared) {
        guard from < to, to <= n - 1 else { return }
        table.bucketOfPair.withUnsafeBufferPointer { pairs in
            table.bucketStart.withUnsafeBufferPointer { bStart in
                table.bucketAnchors.withUnsafeBufferPointer { bAnchors in
                    table.anchorStart.withUnsafeBufferPointer { aStart in
                        table.anchorBytes.withUnsafeBufferPointer { aBytes in
                            table.anchorCaseInsensitive.withUnsafeBufferPointer { aCI in
                                var i = from
                                let last = to
                                var key = Int(Ascii.lower(p[from]))
                                while i < last {
                                    key = (key << 8 | Int(Ascii.lower(p[i + 1]))) & 0xFFFF
                                    let bucket = Int(pairs[key])
                                    if bucket != 0 {
                                        var k = Int(bStart[bucket - 1])
                                        let kEnd = Int(bStart[bucket])
                                        while k < kEnd {
                                            let a = Int(bAnchors[k])
                                            let s = Int(aStart[a]), e = Int(aStart[a + 1])
                                            let len = e - s
                                            if i + len <= n && matches(at: i, aBytes.baseAddress! + s, len, ci: aCI[a]) {
                                                dispatch(table.anchorAction[a], at: i, length: len)
                                            }
                                            k += 1
                                        }
                                    }
                                    i += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func matches(at i: Int, _ a: UnsafePointer<UInt8>, _ len: Int, ci: Bool) -> Bool {
        var j = 2  // the first two bytes matched the bucket (case-folded)
        if !ci {
            if p[i] != a[0] || p[i + 1] != a[1] { return false }
            while j < len {
                if p[i + j] != a[j] { return false }
                j += 1
            }
        } else {
            while j < len {
                if Ascii.lower(p[i + j]) != a[j] { return false }
                j += 1
            }
        }
        return true
    }

    private mutating func dispatch(_ action: AnchorAction, at i: Int, length: Int) {
        switch action {
        case .prefix(let index): prefixRule(PrefixRule.all[index], at: i, length: length)
        case .skDash: skDash(at: i)
        case .jwt: jwt(at: i)
        case .pem: pem(at: i)
        case .url: url(at: i)
        case .slackWebhook: slackWebhook(at: i)
        case .bearer: bearer(at: i)
        case .basic: basic(at: i)
        case .authorization: authorization(at: i)
        case .curlUser: curlUser(at: i)
        case .keyword: keyword(at: i, length: length)
        case .command: commandLine(at: i)
        case .identified: sqlIdentified(at: i)
        case .jwk: jwk(at: i)
        case .base64PEM: base64PEM(at: i)
        case .telegram: telegram(at: i)
        case .azureSecret: azureClientSecret(at: i)
        case .discordWebhook: discordWebhook(at: i, length: length)
        case .teamsWebhook: teamsWebhook(at: i, length: length)
        }
    }

    @inline(__always) func span(_ s: Int, _ e: Int) -> ByteSpan { ByteSpan(base: p, start: s, end: e) }

    mutating func add(_ rule: RuleKind, _ s: Int, _ e: Int) {
        candidates.append(Candidate(rule: rule, start: s, end: e))
    }

    // MARK: - Generic: key-shaped name = high-entropy value

    private mutating func keyword(at i: Int, length: Int) {
        if i < keywordUntil { return }
        var s = i
        while s > 0 && i - s < 64 && (Ascii.isNameChar(p[s - 1])) { s -= 1 }
        var e = i + length
        while e < n && e - i < 64 && Ascii.isNameChar(p[e]) { e += 1 }
        keywordUntil = e
        guard let assignment = Assignment.parse(p, n, nameStart: s, nameEnd: e) else {
            prose(nameStart: s, nameEnd: e)
            return
        }
        keywordUntil = max(keywordUntil, assignment.valueEnd)
        // Every rule needs six characters or more (connection strings; passwords eight): skip
        // short values before classifying the name, which allocates.
        guard assignment.valueEnd - assignment.valueStart >= 6 else { return }
        guard let family = classifyCached(assignment.nameStart, assignment.nameEnd) else { return }
        if family.bareKey && afterDescriptiveWord(s) { return }  // "public key: …", "primary key = …"
        if assignment.op == .call && !KeywordFamily.isSetterCall(span(assignment.nameStart, assignment.nameEnd)) { return }
        let value = span(assignment.valueStart, assignment.valueEnd)
        let connection = family.kind == .password && assignment.op == .equals && !assignment.quoted
            && assignment.terminator == UInt8(ascii: ";") && connectionKeysOnLine(around: assignment.nameStart)
        guard let rule = GenericRule.evaluate(value, family: family, assignment: assignment, p: p, n: n, connectionString: connection) else { return }
        add(rule, assignment.valueStart, assignment.valueEnd)
    }

    /// `KeywordFamily.classify`, remembering the last name: minified code and logs repeat the same
    /// name thousands of times on a line.
    mutating func classifyCached(_ s: Int, _ e: Int) -> KeywordFamily? {
        let len = e - s
        if len == classifiedLength && classifiedStart >= 0 && memcmp(p + s, p + classifiedStart, len) == 0 { return classified }
        classified = KeywordFamily.classify(span(s, e))
        classifiedStart = s
        classifiedLength = len
        return classified
    }

    /// `public key`, `host key`, `primary key`…: the word before a bare `key` says what it is.
    func afterDescriptiveWord(_ s: Int) -> Bool {
        var e = s
        while e > 0 && s - e < 4 && (p[e - 1] == 0x20 || p[e - 1] == UInt8(ascii: "-") || p[e - 1] == UInt8(ascii: "_")) { e -= 1 }
        guard e < s else { return false }
        var b = e
        while b > 0 && e - b < 12 && Ascii.isLetter(p[b - 1]) { b -= 1 }
        let w = span(b, e)
        for word in ["public", "pub", "host", "primary", "foreign", "sort", "partition", "cache", "map", "dictionary", "hash", "row", "object", "s3"] as [StaticString]
        where w.equalsLowercased(word) {
            return true
        }
        return false
    }

    /// Whether the line holding `i` has `Server=`/`User Id=`/… keys; computed once per line, so a
    /// line of thousands of `password=…;` pairs is read twice, not thousands of times.
    private mutating func connectionKeysOnLine(around i: Int) -> Bool {
        if connectionLineStart >= 0 && i >= connectionLineStart && i < connectionLineEnd { return connectionLineHasKeys }
        var s = i, e = i
        while s > 0 && p[s - 1] != UInt8(ascii: "\n") { s -= 1 }
        while e < n && p[e] != UInt8(ascii: "\n") { e += 1 }
        connectionLineStart = s
        connectionLineEnd = e
        connectionLineHasKeys = GenericRule.lineHasConnectionStringKeys(span(s, e))
        return connectionLineHasKeys
    }
}

/// Tunable numbers, each with the reason it has this value.
enum Thresholds {
    /// Authorization headers say "this is a credential" themselves, so the token only has to be
    /// clearly non-textual: expected random entropy minus 1 bit (English words in a 16+ character
    /// token sit 1.5 bits or more below).
    static let headerEntropyMargin = 1.0
}

/// Small base64 / base64url decoder (padding optional). Nil for characters outside the alphabet.
enum Base64Lite {
    static func decode(_ s: ByteSpan, url: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for i in 0..<s.count {
            let c = s[i]
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - 97 + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - 48 + 52)
            case UInt8(ascii: "+") where !url, UInt8(ascii: "-") where url: v = 62
            case UInt8(ascii: "/") where !url, UInt8(ascii: "_") where url: v = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}
