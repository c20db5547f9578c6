#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only view of bytes `[start, end)` of a larger buffer. No copies, no bounds checks in
/// release builds beyond what the callers guarantee.
struct ByteSpan {
    let base: UnsafePointer<UInt8>
    let start: Int
    let end: Int

    @inline(__always) var count: Int { end - start }
    @inline(__always) subscript(_ i: Int) -> UInt8 { base[start + i] }
    @inline(__always) var isEmpty: Bool { end <= start }

    var string: String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: max(0, count)), as: UTF8.self)
    }

    /// Case-insensitive (ASCII) substring test against a lower-case needle.
    func containsLowercased(_ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0, n <= count else { return false }
        let np = needle.utf8Start
        var i = 0
        while i <= count - n {
            var j = 0
            while j < n && Ascii.lower(self[i + j]) == np[j] { j += 1 }
            if j == n { return true }
            i += 1
        }
        return false
    }

    func equalsLowercased(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard n == count else { return false }
        let wp = word.utf8Start
        for j in 0..<n where Ascii.lower(self[j]) != wp[j] { return false }
        return true
    }

    func hasPrefix(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard n <= count else { return false }
        let wp = word.utf8Start
        for j in 0..<n where self[j] != wp[j] { return false }
        return true
    }
}

/// ASCII byte classes used by every matcher (table lookups, no Unicode work on the hot path).
enum Ascii {
    static let upper: UInt8 = 1, lowerBit: UInt8 = 2, digit: UInt8 = 4, base64Extra: UInt8 = 8
    static let identExtra: UInt8 = 16, space: UInt8 = 32, hexLetter: UInt8 = 64, printable: UInt8 = 128

    /// Bit set per byte: upper, lower, digit, `+/=_-.` (base64/base64url/dotted), identifier
    /// extras `_-.`, whitespace, hex letter, printable ASCII.
    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(b)] |= upper }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(b)] |= lowerBit }
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(b)] |= digit }
        for c in "+/=_-." { t[Int(c.asciiValue!)] |= base64Extra }
        for c in "_-." { t[Int(c.asciiValue!)] |= identExtra }
        for c in " \t\r\n\u{0B}\u{0C}" { t[Int(c.asciiValue!)] |= space }
        for c in "abcdefABCDEF" { t[Int(c.asciiValue!)] |= hexLetter }
        for b in 33...126 { t[b] |= printable }
        return t
    }()

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b &- 65 < 26 ? b | 0x20 : b }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { table[Int(b)] & (upper | lowerBit | digit) != 0 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { table[Int(b)] & (upper | lowerBit) != 0 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 65 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 97 < 26 }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { table[Int(b)] & (digit | hexLetter) != 0 }
    @inline(__always) static func isLowerHex(_ b: UInt8) -> Bool { isDigit(b) || b &- 97 < 6 }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { table[Int(b)] & space != 0 }
    @inline(__always) static func isPrintable(_ b: UInt8) -> Bool { table[Int(b)] & printable != 0 }
    /// `[A-Za-z0-9+/=_.-]`
    @inline(__always) static func isBase64ish(_ b: UInt8) -> Bool { table[Int(b)] & (upper | lowerBit | digit | base64Extra) != 0 }
    /// `[A-Za-z0-9_-]`
    @inline(__always) static func isBase64URL(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x5F || b == 0x2D }
    /// Identifier characters as names are written in code and config: `[A-Za-z0-9_.-]`.
    @inline(__always) static func isNameChar(_ b: UInt8) -> Bool { table[Int(b)] & (upper | lowerBit | digit | identExtra) != 0 }
}
