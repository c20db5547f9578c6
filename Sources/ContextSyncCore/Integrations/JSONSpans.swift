/// Byte ranges in a JSON document, for edits that keep every byte they do not change (numbers,
/// escapes, spacing, key order). The document must already have been accepted by `JSONParser`:
/// the scanner trusts its structure and only finds where things are.
///
/// Every loop advances by at least one byte, so each scan is bounded by the document's size.
struct JSONSpans {
    var bytes: [UInt8]

    /// A member of an object (with `key`) or an element of an array: `start..<end` is the whole
    /// child (key included), `valueStart..<end` its value.
    struct Child {
        var start: Int
        var end: Int
        var key: String?
        var valueStart: Int
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    func skipSpace(_ i: Int) -> Int {
        var j = i
        while j < bytes.count, Self.isSpace(bytes[j]) { j += 1 }
        return j
    }

    /// Where the top-level value starts.
    var root: Int { skipSpace(0) }

    func isObject(at i: Int) -> Bool { i < bytes.count && bytes[i] == UInt8(ascii: "{") }
    func isArray(at i: Int) -> Bool { i < bytes.count && bytes[i] == UInt8(ascii: "[") }
    func isString(at i: Int) -> Bool { i < bytes.count && bytes[i] == UInt8(ascii: "\"") }

    /// The end (exclusive) of the string starting at `i` (its opening quote).
    func end(ofStringAt i: Int) -> Int {
        var j = i + 1
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
            if bytes[j] == UInt8(ascii: "\"") { return j + 1 }
            j += 1
        }
        return bytes.count
    }

    /// The end (exclusive) of the value starting at `i`.
    func end(ofValueAt i: Int) -> Int {
        guard i < bytes.count else { return bytes.count }
        let c = bytes[i]
        if c == UInt8(ascii: "\"") { return end(ofStringAt: i) }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            var depth = 0
            var j = i
            while j < bytes.count {
                let d = bytes[j]
                if d == UInt8(ascii: "\"") { j = end(ofStringAt: j); continue }
                if d == UInt8(ascii: "{") || d == UInt8(ascii: "[") { depth += 1 }
                if d == UInt8(ascii: "}") || d == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return j + 1 }
                }
                j += 1
            }
            return bytes.count
        }
        var j = i
        while j < bytes.count, !Self.isSpace(bytes[j]), bytes[j] != UInt8(ascii: ","),
              bytes[j] != UInt8(ascii: "}"), bytes[j] != UInt8(ascii: "]") { j += 1 }
        return j
    }

    /// The string value at `i`, decoded; nil when it is not a string.
    func string(at i: Int) -> String? {
        guard isString(at: i) else { return nil }
        return (try? JSONParser.parse(Array(bytes[i..<end(ofStringAt: i)])))?.string
    }

    /// The members of the object or the elements of the array that starts at `i`.
    func children(of i: Int) -> [Child] {
        let object = isObject(at: i)
        var out: [Child] = []
        var j = skipSpace(i + 1)
        guard j < bytes.count, bytes[j] != UInt8(ascii: "}"), bytes[j] != UInt8(ascii: "]") else { return out }
        while j < bytes.count {
            let start = j
            var key: String?
            if object {
                let keyEnd = end(ofStringAt: j)
                key = string(at: j)
                j = skipSpace(skipSpace(keyEnd) + 1)  // past the colon
            }
            let end = end(ofValueAt: j)
            out.append(Child(start: start, end: end, key: key, valueStart: j))
            j = skipSpace(end)
            guard j < bytes.count, bytes[j] == UInt8(ascii: ",") else { break }
            j = skipSpace(j + 1)
        }
        return out
    }

    /// The first member `key` of the object at `i`.
    func member(_ key: String, of i: Int) -> Child? {
        guard isObject(at: i) else { return nil }
        return children(of: i).first { $0.key == key }
    }

    /// The spaces and tabs that start the line holding byte `i`.
    func lineIndent(of i: Int) -> [UInt8] {
        var s = i
        while s > 0, bytes[s - 1] != 0x0A { s -= 1 }
        var e = s
        while e < bytes.count, bytes[e] == 0x20 || bytes[e] == 0x09 { e += 1 }
        return Array(bytes[s..<e])
    }

    /// The document's line ending: CRLF when it has one, else LF.
    var lineEnd: [UInt8] {
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A { return [0x0D, 0x0A] }
            i += 1
        }
        return [0x0A]
    }

    // MARK: Edits (each returns the new document)

    func replacing(_ range: Range<Int>, with new: [UInt8]) -> [UInt8] {
        var b = bytes
        b.replaceSubrange(range, with: new)
        return b
    }

    /// `value` (under `key` in an object) appended to the container at `i`, laid out like the
    /// container's last child: on its own line with the same indentation, or inline.
    func appending(_ value: JSONValue, key: String?, to i: Int) -> [UInt8] {
        let kids = children(of: i)
        let close = end(ofValueAt: i) - 1
        let keyText = key.map { JSONValue.string($0).serialized() } ?? ""
        guard let last = kids.last else {
            let top = root
            if !bytes[top..<end(ofValueAt: top)].contains(0x0A) {
                // A one-line document stays on one line, spaced as it is.
                let spaced = bytes.indices.dropLast().contains { bytes[$0] == UInt8(ascii: ":") && bytes[$0 + 1] == 0x20 }
                let text = Array(keyText.utf8) + (key == nil ? [] : Array((spaced ? ": " : ":").utf8)) + Array(Self.inline(value, spaced: spaced).utf8)
                return replacing((i + 1)..<close, with: text)
            }
            let outer = lineIndent(of: i)
            let unit = Array("  ".utf8)
            let inner = outer + unit
            let text = lineEnd + inner + Array(keyText.utf8) + (key == nil ? [] : Array(": ".utf8))
                + Self.pretty(value, base: inner, unit: unit, lineEnd: lineEnd) + lineEnd + outer
            return replacing((i + 1)..<close, with: text)
        }
        var ws = last.start
        while ws > i + 1, Self.isSpace(bytes[ws - 1]) { ws -= 1 }
        let prefix = Array(bytes[ws..<last.start])
        var separator = Array(": ".utf8)
        if key != nil, last.key != nil {
            separator = Array(bytes[(end(ofStringAt: last.start))..<last.valueStart])
        }
        let text: [UInt8]
        if let nl = prefix.lastIndex(of: 0x0A) {
            let indent = Array(prefix[(nl + 1)...])
            let outer = lineIndent(of: i)
            let unit = indent.starts(with: outer) && indent.count > outer.count ? Array(indent[outer.count...]) : Array("  ".utf8)
            text = Array(",".utf8) + prefix + Array(keyText.utf8) + (key == nil ? [] : separator)
                + Self.pretty(value, base: indent, unit: unit, lineEnd: lineEnd)
        } else {
            // Inline: spaced as the neighbours are (`"a": 1, "b"` or `"a":1,"b"`).
            let spaced = prefix.contains(0x20) || (last.key != nil && separator.contains(0x20))
            text = Array(",".utf8) + (prefix.isEmpty && spaced ? [0x20] : prefix) + Array(keyText.utf8)
                + (key == nil ? [] : separator) + Array(Self.inline(value, spaced: spaced).utf8)
        }
        return replacing(last.end..<last.end, with: text)
    }

    /// The container at `i` without its child number `k`, with the separator and spacing that
    /// `appending` would have added; the last child leaves `{}` or `[]`.
    func removing(child k: Int, of i: Int) -> [UInt8] {
        let kids = children(of: i)
        guard kids.indices.contains(k) else { return bytes }
        if kids.count == 1 { return replacing((i + 1)..<(end(ofValueAt: i) - 1), with: []) }
        if k > 0 { return replacing(kids[k - 1].end..<kids[k].end, with: []) }
        return replacing(kids[0].start..<kids[1].start, with: [])
    }

    /// `value` on one line, with `, ` and `: ` when `spaced`, else `,` and `:`.
    static func inline(_ value: JSONValue, spaced: Bool) -> String {
        let comma = spaced ? ", " : ",", colon = spaced ? ": " : ":"
        switch value {
        case .array(let a):
            return "[" + a.map { inline($0, spaced: spaced) }.joined(separator: comma) + "]"
        case .object(let o):
            return "{" + o.keys.indices.map { JSONValue.string(o.keys[$0]).serialized() + colon + inline(o.values[$0], spaced: spaced) }
                .joined(separator: comma) + "}"
        default:
            return value.serialized()
        }
    }

    /// `value` pretty-printed with `unit` per level, its lines after the first indented by `base`.
    static func pretty(_ value: JSONValue, base: [UInt8], unit: [UInt8], lineEnd: [UInt8] = [0x0A]) -> [UInt8] {
        var out: [UInt8] = []
        for (n, line) in value.serialized(pretty: true).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            var level = 0
            while rest.hasPrefix("  ") { rest = rest.dropFirst(2); level += 1 }
            if n > 0 { out += lineEnd; out += base }
            for _ in 0..<level { out += unit }
            out += Array(rest.utf8)
        }
        return out
    }
}
