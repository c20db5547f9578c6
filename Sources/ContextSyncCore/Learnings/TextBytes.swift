import Foundation

/// Byte-level versions of the digest's character loops (collapsing text to one line, splitting
/// sentences), exact with respect to Swift's `Character` semantics.
///
/// The character loops look for ASCII characters (space, tab, CR, LF, `.`, `!`, `?`, `:`). An
/// ASCII byte is a `Character` of its own unless a grapheme rule joins it to a neighbour: CR LF
/// (GB3), a Prepend scalar before it (GB9b), an Extend, ZWJ or SpacingMark scalar after it (GB9,
/// GB9a). Those rules look at the adjacent scalars only, so where a neighbour is not ASCII,
/// Swift's own grapheme breaking of the window (previous scalar, the byte, next scalar) decides.
/// The reference character loops are in the tests, which compare both on every fixture text.
enum TextBytes {
    /// True when the ASCII byte `b[i]` (not CR or LF) is a `Character` by itself.
    @inline(__always)
    static func standsAlone(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let n = b.count
        let prevASCII = i == 0 || b[i - 1] < 0x80
        let nextASCII = i + 1 >= n || b[i + 1] < 0x80
        if prevASCII && nextASCII { return true }
        return standsAloneInWindow(b, i, prevASCII: prevASCII, nextASCII: nextASCII)
    }

    static func standsAloneInWindow(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, prevASCII: Bool, nextASCII: Bool) -> Bool {
        let n = b.count
        var start = i
        if !prevASCII {
            start = i - 1
            while start > 0 && b[start] & 0xC0 == 0x80 { start -= 1 }
        }
        var end = i + 1
        if !nextASCII {
            end = i + 2
            while end < n && b[end] & 0xC0 == 0x80 { end += 1 }
        }
        let window = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        let target = i - start
        var offset = 0
        for ch in window {
            let length = ch.utf8.count
            if offset == target { return length == 1 }
            if offset > target { return false }
            offset += length
        }
        return false
    }

    /// `s` with every run of spaces, tabs, CRs and LFs (as characters) replaced by one space.
    /// Not trimmed.
    static func collapseWhitespace(_ s: String) -> String {
        var s = s
        return s.withUTF8 { b -> String in
            let n = b.count
            // Nothing to change: no tab, CR, LF or double space.
            var clean = true
            var previous: UInt8 = 0
            for i in 0..<n {
                let c = b[i]
                if c == 0x0A || c == 0x0D || c == 0x09 || (c == 0x20 && previous == 0x20) { clean = false; break }
                previous = c
            }
            if clean { return String(decoding: b, as: UTF8.self) }
            return String(unsafeUninitializedCapacity: n, initializingUTF8With: { out in
                var k = 0
                var lastSpace = false
                for i in 0..<n {
                    let c = b[i]
                    if c == 0x0A || c == 0x0D || c == 0x09 || (c == 0x20 && standsAlone(b, i)) {
                        if !lastSpace { out[k] = 0x20; k += 1 }
                        lastSpace = true
                    } else {
                        out[k] = c
                        k += 1
                        lastSpace = false
                    }
                }
                return k
            })
        }
    }

    /// The sentences of `s`: split after `.`, `!`, `?` or `:` followed by a space (or at the
    /// end), each trimmed, empty ones left out; at most `limit` of them.
    static func sentences(_ s: String, limit: Int = Int.max) -> [String] {
        var s = s
        return s.withUTF8 { b -> [String] in
            var out: [String] = []
            let n = b.count
            var start = 0
            func add(_ end: Int) {
                let t = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self).trimmingWhitespace()
                if !t.isEmpty { out.append(t) }
            }
            var i = 0
            while i < n && out.count < limit {
                let c = b[i]
                if c == 0x2E || c == 0x21 || c == 0x3F || c == 0x3A {
                    let splits = i + 1 >= n ? standsAlone(b, i) : b[i + 1] == 0x20 && standsAlone(b, i) && standsAlone(b, i + 1)
                    if splits {
                        add(i + 1)
                        start = i + 1
                    }
                }
                i += 1
            }
            if start < n && out.count < limit { add(n) }
            return out
        }
    }

    /// True when `s` has more than `n` characters, counting at most n + 1 of them.
    @inline(__always)
    static func hasMoreCharacters(_ s: String, than n: Int) -> Bool {
        if s.utf8.count <= n { return false }
        return prefixLength(s, n).more
    }

    /// The number of UTF-8 bytes of the first `n` characters of `s` (all of it when it has
    /// fewer), and whether characters follow them. Two adjacent ASCII bytes other than CR LF are
    /// always a character boundary (the grapheme rules that join scalars need a non-ASCII one),
    /// so such bytes are counted one by one; a run holding other bytes, between two such
    /// boundaries, is stepped through with `String.index(after:)` from a boundary, which is the
    /// character loop's answer. Nothing before or after the run decides its breaks.
    static func prefixLength(_ s: String, _ n: Int) -> (bytes: Int, more: Bool) {
        // No more characters than bytes.
        if s.utf8.count <= n { return (s.utf8.count, false) }
        let counted: (bytes: Int, more: Bool)? = s.utf8.withContiguousStorageIfAvailable { b in
            let count = b.count
            var i = 0, chars = 0
            while i < count {
                if chars >= n { return (i, true) }
                let c = b[i]
                if c < 0x80 && (i + 1 == count || (b[i + 1] < 0x80 && !(c == 0x0D && b[i + 1] == 0x0A))) {
                    i += 1
                    chars += 1
                    continue
                }
                var j = i + 1
                while j < count && !(b[j - 1] < 0x80 && b[j] < 0x80 && !(b[j - 1] == 0x0D && b[j] == 0x0A)) { j += 1 }
                let utf8 = s.utf8
                var index = utf8.index(utf8.startIndex, offsetBy: i)
                while i < j {
                    if chars >= n { return (i, true) }
                    index = s.index(after: index)
                    i = utf8.distance(from: utf8.startIndex, to: index)
                    chars += 1
                }
            }
            return (count, false)
        }
        if let counted { return counted }
        guard let end = s.index(s.startIndex, offsetBy: n, limitedBy: s.endIndex) else { return (s.utf8.count, false) }
        return (s.utf8.distance(from: s.startIndex, to: end), end < s.endIndex)
    }

    /// `String(s.prefix(n))`, counted by `prefixLength`.
    static func prefix(_ s: String, _ n: Int) -> String {
        guard n > 0 else { return "" }
        let (k, more) = prefixLength(s, n)
        guard more else { return s }
        let utf8 = s.utf8
        return String(s[..<utf8.index(utf8.startIndex, offsetBy: k)])
    }

    /// `s.split(separator: "\n", omittingEmptySubsequences: false)`, at most `limit` pieces: the
    /// character "\n" is an LF byte not preceded by CR (CR LF is one character).
    static func lines(_ s: String, limit: Int) -> [String] {
        splitAtLF(s, pieces: limit, restAsLast: false)
    }

    /// `s.split(separator: "\n", maxSplits: maxSplits, omittingEmptySubsequences: false)` by
    /// bytes, as `lines`: the last piece holds the rest.
    static func split(_ s: String, maxSplits: Int) -> [String] {
        splitAtLF(s, pieces: maxSplits, restAsLast: true)
    }

    /// At most `pieces` lines; then the rest as one more piece (`restAsLast`), or nothing when
    /// `pieces` were found.
    private static func splitAtLF(_ s: String, pieces: Int, restAsLast: Bool) -> [String] {
        var s = s
        return s.withUTF8 { b -> [String] in
            var out: [String] = []
            var start = 0
            var i = 0
            while i < b.count && out.count < pieces {
                if b[i] == 0x0A && (i == 0 || b[i - 1] != 0x0D) {
                    out.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
                    start = i + 1
                }
                i += 1
            }
            if restAsLast || out.count < pieces { out.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<b.count]), as: UTF8.self)) }
            return out
        }
    }

    /// `s.lowercased()`, from the bytes when every byte is ASCII (the same result).
    static func lowercased(_ s: String) -> String {
        s.utf8.allSatisfy({ $0 < 0x80 }) ? lowercasedForMatching(s) : s.lowercased()
    }

    /// `s` with its ASCII letters lower-cased and every other byte kept: for ASCII needles
    /// (`contains`, `hasPrefix`) the same answers as `s.lowercased()`, which maps non-ASCII
    /// letters to non-ASCII letters, except U+0130 and U+212A (to `i` + U+0307 and `k`): a text
    /// holding either is lower-cased by Unicode. Not for display.
    static func lowercasedForMatching(_ s: String) -> String {
        asciiLowercased(s) ?? s.lowercased()
    }

    /// `lowercasedForMatching` for ASCII needles that do not end in "i" (and for `hasPrefix` with
    /// ASCII prefixes): U+0130 is kept as it is, as no such match can use the "i" its Unicode
    /// lower case ("i" + U+0307) starts with, and a prefix never equals that character. Turkish
    /// text needs no Unicode lower-casing then; U+212A (lower case "k") still takes it.
    static func lowercasedForPhrases(_ s: String) -> String {
        asciiLowercased(s, keepingDottedI: true) ?? s.lowercased()
    }

    /// `s` with its ASCII letters lower-cased, byte for byte (so a piece of `s` lowers to the same
    /// piece of the result); nil when `s` holds U+0130 (unless `keepingDottedI`) or U+212A, whose
    /// lower case is ASCII.
    static func asciiLowercased(_ s: String, keepingDottedI: Bool = false) -> String? {
        var text = s
        // nil: U+0130 or U+212A; .some(nil): nothing to lower (the text itself, not a copy).
        let lowered: String?? = text.withUTF8 { b -> String?? in
            var upper = false
            for i in 0..<b.count {
                let c = b[i]
                if Ascii.isUpper(c) { upper = true }
                // U+0130 is C4 B0, U+212A is E2 84 AA.
                if !keepingDottedI && c == 0xC4 && i + 1 < b.count && b[i + 1] == 0xB0 { return nil }
                if c == 0xE2 && i + 2 < b.count && b[i + 1] == 0x84 && b[i + 2] == 0xAA { return nil }
            }
            if !upper { return .some(nil) }
            return String(unsafeUninitializedCapacity: b.count, initializingUTF8With: { out in
                for i in 0..<b.count { out[i] = Ascii.lower(b[i]) }
                return b.count
            })
        }
        guard let lowered else { return nil }
        return lowered ?? text
    }

    /// Every byte below 0x80 (CR allowed), eight bytes at a time.
    static func isASCII(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in
            guard let base = b.baseAddress else { return true }
            var i = 0
            var any: UInt64 = 0
            while i + 8 <= b.count {
                any |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                i += 8
            }
            while i < b.count { any |= UInt64(b[i]); i += 1 }
            return any & 0x8080_8080_8080_8080 == 0
        }
    }

    /// ASCII without CR: every byte is a character of its own (CR LF is the only grapheme of
    /// two ASCII scalars), so character and byte algorithms give the same answers.
    static func isPlainASCII(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in
            for c in b where c >= 0x80 || c == 0x0D { return false }
            return true
        }
    }

    /// The three characters canonically equivalent to ASCII (U+212A KELVIN SIGN, U+037E GREEK
    /// QUESTION MARK, U+1FEF GREEK VARIA: `K`, `;`, `` ` ``), which Foundation's searches match
    /// as those; byte-level answers give way to Foundation where a text holds one.
    static let asciiEquivalents: [Unicode.Scalar] = ["\u{212A}", "\u{037E}", "\u{1FEF}"]

    /// Whether the UTF-8 bytes `b` hold one of `asciiEquivalents` (E2 84 AA, CD BE, E1 BF AF).
    static func holdsASCIIEquivalent(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<b.count where b[i] == 0xE2 || b[i] == 0xCD || b[i] == 0xE1 {
            if b[i] == 0xE2 && i + 2 < b.count && b[i + 1] == 0x84 && b[i + 2] == 0xAA { return true }
            if b[i] == 0xCD && i + 1 < b.count && b[i + 1] == 0xBE { return true }
            if b[i] == 0xE1 && i + 2 < b.count && b[i + 1] == 0xBF && b[i + 2] == 0xAF { return true }
        }
        return false
    }

    /// `s.contains(needle)` (Foundation's) for an ASCII `needle`, by bytes where that is its
    /// answer: in plain-ASCII text always; in other text (needle without CR or LF, none of the
    /// three characters canonically equivalent to ASCII in the text) no byte match is no match,
    /// and a first byte match standing on character boundaries is one. Anything else, and any
    /// other needle, goes to Foundation.
    static func contains(_ s: String, _ needle: String) -> Bool {
        guard let found = firstMatch(of: needle, in: s) else { return s.contains(needle) }
        return found != nil
    }

    /// `s.range(of: needle)` (Foundation's first match) for an ASCII needle, by bytes where that
    /// is its answer, as `contains` decides.
    static func range(of needle: String, in s: String) -> Range<String.Index>? {
        guard let found = firstMatch(of: needle, in: s) else { return s.range(of: needle) }
        guard let m = found else { return nil }
        let lower = s.utf8.index(s.utf8.startIndex, offsetBy: m)
        return lower..<s.utf8.index(lower, offsetBy: needle.utf8.count)
    }

    /// The byte offset of Foundation's first match of `needle` in `s` (`.some(nil)`: none), or
    /// nil when only Foundation can say (see `contains`).
    private static func firstMatch(of needle: String, in s: String) -> Int?? {
        var text = s, n = needle
        return n.withUTF8 { nb -> Int?? in
            guard let np = nb.baseAddress, nb.count > 0 else { return nil }
            for c in nb where c >= 0x80 || c == 0x0D { return nil }
            return text.withUTF8 { b -> Int?? in
                // Each of the three characters equivalent to ASCII takes more bytes than its ASCII
                // form: a text shorter than the needle cannot hold it in any form.
                guard let hp = b.baseAddress, b.count >= nb.count else { return .some(nil) }
                var plain = true
                for c in b where c >= 0x80 || c == 0x0D { plain = false; break }
                let first = ByteSearch.firstOffset(UnsafeRawPointer(hp), b.count, UnsafeRawPointer(np), nb.count)
                if plain { return .some(first) }
                if nb.contains(0x0A) || holdsASCIIEquivalent(b) { return nil }
                guard let m = first else { return .some(nil) }
                return standsAlone(b, m) && standsAlone(b, m + nb.count - 1) ? .some(m) : nil
            }
        }
    }

    /// `s.replacingOccurrences(of: needle, with: replacement)` for an ASCII `needle`, by bytes
    /// where that gives Foundation's answer: in plain-ASCII text (see `isPlainASCII`) always; in
    /// other text when the needle holds no CR (and LF at most as its last byte), every byte match
    /// stands on character boundaries (no combining mark after it, no Prepend before it:
    /// `standsAlone` at both ends; a match ending in LF needs an ASCII byte or the end after it,
    /// as Foundation does not match an LF that a combining mark follows), and the text holds none
    /// of the three characters canonically equivalent to ASCII (U+212A, U+037E, U+1FEF), which
    /// Foundation would match. Anything else goes to Foundation.
    static func replacing(_ s: String, _ needle: String, with replacement: String) -> String {
        let n = Array(needle.utf8)
        guard !n.isEmpty, n.allSatisfy({ $0 < 0x80 }), !n.contains(0x0D) else { return s.replacingOccurrences(of: needle, with: replacement) }
        let plain = isPlainASCII(s)
        let endsInLF = n.last == 0x0A
        guard plain || !n.dropLast().contains(0x0A) else { return s.replacingOccurrences(of: needle, with: replacement) }
        var text = s
        let r = Array(replacement.utf8)
        let result: String? = text.withUTF8 { b -> String? in
            if !plain && holdsASCIIEquivalent(b) { return nil }
            let matches = ByteSearch.offsets(of: n, in: b)
            if matches.isEmpty { return s }
            if !plain {
                for m in matches {
                    let end = m + n.count
                    if n.count > 1 || !endsInLF, !standsAlone(b, m) { return nil }
                    if endsInLF ? end < b.count && b[end] >= 0x80 : !standsAlone(b, end - 1) { return nil }
                }
            }
            var out: [UInt8] = []
            out.reserveCapacity(b.count + matches.count * max(r.count - n.count, 0))
            var from = 0
            for m in matches {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[from..<m]))
                out.append(contentsOf: r)
                from = m + n.count
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[from...]))
            return String(decoding: out, as: UTF8.self)
        }
        return result ?? s.replacingOccurrences(of: needle, with: replacement)
    }

    /// `s.components(separatedBy: String(separator))` for an ASCII separator other than CR and
    /// LF, by bytes: a separator byte splits where it is a character by itself (a combining mark
    /// after it or a Prepend before it joins it, and Foundation does not split there); a text
    /// holding one of the three characters canonically equivalent to ASCII goes to Foundation.
    static func components(_ s: String, separatedBy separator: Unicode.Scalar) -> [String] {
        let sep = UInt8(ascii: separator)
        let pieces: [String]? = s.utf8.withContiguousStorageIfAvailable { b -> [String]? in
            if holdsASCIIEquivalent(b) { return nil }
            var out: [String] = []
            var start = 0
            for i in 0..<b.count {
                if b[i] == sep && standsAlone(b, i) {
                    out.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
                    start = i + 1
                }
            }
            out.append(String(decoding: UnsafeBufferPointer(rebasing: b[start...]), as: UTF8.self))
            return out
        } ?? nil
        return pieces ?? s.components(separatedBy: String(separator))
    }

    /// `s.contains { $0.isLetter || $0.isNumber }`, answered from the bytes when an ASCII letter
    /// or digit stands alone as a character.
    static func hasLetterOrNumber(_ s: String) -> Bool {
        var t = s
        let alone: Bool = t.withUTF8 { b in
            for i in 0..<b.count {
                let c = b[i]
                if (c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 26) && standsAlone(b, i) { return true }
            }
            return false
        }
        return alone || s.contains { $0.isLetter || $0.isNumber }
    }
}
