#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed JSON value. Objects keep their keys in file order; lookups are linear, which is the
/// fastest choice for the small objects of a transcript line.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public subscript(_ key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var number: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var object: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// A JSON object as parallel arrays of keys and values, in file order.
public struct JSONObject: Sendable, Equatable {
    public var keys: [String]
    public var values: [JSONValue]

    public init(keys: [String] = [], values: [JSONValue] = []) {
        self.keys = keys
        self.values = values
    }

    /// The value of the first occurrence of `key`.
    public subscript(_ key: String) -> JSONValue? {
        for i in keys.indices where keys[i] == key { return values[i] }
        return nil
    }

    public var count: Int { keys.count }

    /// Sets `key` (its first occurrence) to `value`, appending it when absent: a key given twice
    /// keeps its last value.
    mutating func setLast(_ key: String, _ value: JSONValue) {
        if let i = keys.firstIndex(of: key) {
            values[i] = value
        } else {
            keys.append(key)
            values.append(value)
        }
    }
}

/// A strict-enough, lenient-where-it-matters JSON parser over raw bytes.
///
/// Lenient: invalid UTF-8 and lone surrogate escapes become U+FFFD, raw control characters inside
/// strings are accepted. Strict: anything that is not one complete JSON value (plus whitespace)
/// is rejected, so a truncated or garbage line is reported as malformed rather than half-read.
public struct JSONParser {
    public struct Malformed: Error, Sendable {
        public var offset: Int
    }

    /// Nesting deeper than this is treated as malformed instead of risking the stack.
    static let maxDepth = 256

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Malformed) -> JSONValue {
        var p = JSONParser(bytes: bytes)
        p.skipWhitespace()
        let v = try p.parseValue(depth: 0)
        p.skipWhitespace()
        if p.pos != bytes.count { throw Malformed(offset: p.pos) }
        return v
    }

    public static func parse(_ bytes: [UInt8]) throws(Malformed) -> JSONValue {
        let r: Result<JSONValue, Malformed> = bytes.withUnsafeBufferPointer { buf in
            do throws(Malformed) { return .success(try parse(buf)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    public static func parse(_ string: String) throws(Malformed) -> JSONValue {
        try parse(Array(string.utf8))
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The position of the first `"` or `\\` at or after `from` (or the end): eight bytes at a
    /// time (a word has such a byte when its XOR with the byte repeated has a zero byte; the
    /// lowest flagged byte is exact, borrows only flag bytes above it).
    @inline(__always)
    func quoteOrBackslash(from: Int) -> Int {
        var i = from
        let n = bytes.count
        guard let base = bytes.baseAddress else { return n }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = ones &* 0x22, backslashes = ones &* 0x5C
        while i + 8 <= n {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let x = w ^ quotes, y = w ^ backslashes
            let flags = ((x &- ones) & ~x & highs) | ((y &- ones) & ~y & highs)
            if flags != 0 { return i + flags.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n {
            let c = base[i]
            if c == 0x22 || c == 0x5C { return i }
            i += 1
        }
        return n
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { return }
        }
    }

    mutating func parseValue(depth: Int) throws(Malformed) -> JSONValue {
        guard pos < bytes.count else { throw Malformed(offset: pos) }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default: return .number(try parseNumber())
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(Malformed) {
        let n = literal.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw Malformed(offset: pos) }
        let lit = literal.utf8Start
        for i in 0..<n where bytes[pos + i] != lit[i] { throw Malformed(offset: pos) }
        pos += n
    }

    mutating func parseObject(depth: Int) throws(Malformed) -> JSONObject {
        var obj = JSONObject()
        try forEachMember(depth: depth) { (p, key) throws(Malformed) in
            obj.keys.append(String(decoding: key, as: UTF8.self))
            obj.values.append(try p.parseValue(depth: depth))
        }
        return obj
    }

    mutating func parseArray(depth: Int) throws(Malformed) -> [JSONValue] {
        var arr: [JSONValue] = []
        try forEachElement(depth: depth) { (p) throws(Malformed) in arr.append(try p.parseValue(depth: depth)) }
        return arr
    }

    /// Reads an object key (positioned on its opening quote) and the colon after it; returns the
    /// key's bytes (start, count), or for a key written with escapes its decoded bytes in `escaped`.
    mutating func readKey(escaped: inout [UInt8]) throws(Malformed) -> (start: Int, count: Int, isEscaped: Bool) {
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw Malformed(offset: pos) }
        let start = pos + 1
        let end = quoteOrBackslash(from: start)
        let result: (Int, Int, Bool)
        if end < bytes.count && bytes[end] == UInt8(ascii: "\"") {
            pos = end + 1
            result = (start, end - start, false)
        } else {
            escaped = Array(try parseString().utf8)
            result = (0, escaped.count, true)
        }
        skipWhitespace()
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw Malformed(offset: pos) }
        pos += 1
        skipWhitespace()
        return result
    }

    /// Walks an object's members (positioned on `{`): `member` is called positioned on each value
    /// with the key's bytes and must consume the value.
    mutating func forEachMember(depth: Int,
                                _ member: (inout JSONParser, _ key: UnsafeBufferPointer<UInt8>) throws(Malformed) -> Void) throws(Malformed) {
        if depth > Self.maxDepth { throw Malformed(offset: pos) }
        pos += 1
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") { pos += 1; return }
        var escaped: [UInt8] = []
        while true {
            skipWhitespace()
            let k = try readKey(escaped: &escaped)
            if k.isEscaped {
                let copy = escaped
                try copy.withUnsafeBufferPointer { (key) throws(Malformed) in try member(&self, key) }
            } else {
                try member(&self, UnsafeBufferPointer(rebasing: bytes[k.start..<(k.start + k.count)]))
            }
            skipWhitespace()
            guard pos < bytes.count else { throw Malformed(offset: pos) }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return }
            throw Malformed(offset: pos)
        }
    }

    /// Walks an array's elements (positioned on `[`); `element` must consume each value.
    mutating func forEachElement(depth: Int, _ element: (inout JSONParser) throws(Malformed) -> Void) throws(Malformed) {
        if depth > Self.maxDepth { throw Malformed(offset: pos) }
        pos += 1
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") { pos += 1; return }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard pos < bytes.count else { throw Malformed(offset: pos) }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return }
            throw Malformed(offset: pos)
        }
    }

    mutating func parseNumber() throws(Malformed) -> Double {
        let start = pos
        var negative = false
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "-") { negative = true; pos += 1 }
        var intValue: Int64 = 0
        var digits = 0
        while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 {
            if digits < 18 { intValue = intValue * 10 + Int64(bytes[pos] - 0x30) }
            digits += 1
            pos += 1
        }
        if digits == 0 { throw Malformed(offset: start) }
        var isInteger = true
        if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            let fracStart = pos
            while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
            if pos == fracStart { throw Malformed(offset: pos) }
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            isInteger = false
            pos += 1
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
            let expStart = pos
            while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
            if pos == expStart { throw Malformed(offset: pos) }
        }
        if isInteger && digits <= 18 { return Double(negative ? -intValue : intValue) }
        // Rare path: hand the exact text to strtod.
        var tmp = [CChar](repeating: 0, count: pos - start + 1)
        for i in start..<pos { tmp[i - start] = CChar(bitPattern: bytes[i]) }
        return strtod(tmp, nil)
    }

    mutating func parseString() throws(Malformed) -> String {
        pos += 1  // opening quote
        let start = pos
        // Fast path: no escapes.
        pos = quoteOrBackslash(from: pos)
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "\"") {
            let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
            pos += 1
            return s
        }
        guard pos < bytes.count else { throw Malformed(offset: pos) }
        var out = [UInt8]()
        out.reserveCapacity(pos - start + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < bytes.count {
            // Copy the run up to the next quote or backslash in one go.
            let runStart = pos
            pos = quoteOrBackslash(from: pos)
            if pos > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<pos])) }
            guard pos < bytes.count else { break }
            if bytes[pos] == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            pos += 1
            guard pos < bytes.count else { throw Malformed(offset: pos) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if pos + 1 < bytes.count && bytes[pos] == UInt8(ascii: "\\") && bytes[pos + 1] == UInt8(ascii: "u") {
                        let save = pos
                        pos += 2
                        let low = try parseHex4()
                        if low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            pos = save
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar, to: &out)
            default:
                throw Malformed(offset: pos - 1)
            }
        }
        throw Malformed(offset: pos)
    }

    mutating func parseHex4() throws(Malformed) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw Malformed(offset: pos) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw Malformed(offset: pos)
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    @inline(__always)
    func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
