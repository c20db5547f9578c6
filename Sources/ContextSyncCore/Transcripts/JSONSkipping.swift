/// Parsing a transcript line without building what nothing reads.
///
/// Half the bytes of a real transcript are structured `toolUseResult` objects, progress `data`,
/// file-history `snapshot`s and `usage` counters that no consumer looks at. `parseTranscriptLine`
/// passes over them with a skip-only scanner: it checks them exactly as strictly as the full
/// parser (same errors, same depth limit), so a line is malformed for both or for neither, but
/// builds no strings, arrays or objects for them.
extension JSONParser {
    /// Which fields of an object to build.
    enum Fields: Equatable {
        /// Every field (plain `parse`).
        case all
        /// A transcript line: drops `data` and `snapshot`; `message` and `toolUseResult` filtered.
        case transcriptLine
        /// A line's `message`: drops `usage`.
        case transcriptMessage
        /// A structured `toolUseResult`: keeps `agentId` only.
        case toolUseResult
    }

    /// Parses one transcript line like `parse`, leaving out the unread fields listed in `Fields`.
    /// A `toolUseResult` that is neither an object nor a string is left out too.
    public static func parseTranscriptLine(_ bytes: UnsafeBufferPointer<UInt8>) throws(Malformed) -> JSONValue {
        var p = JSONParser(bytes: bytes)
        p.skipWhitespace()
        let v: JSONValue
        if p.pos < bytes.count && bytes[p.pos] == UInt8(ascii: "{") {
            v = .object(try p.parseObject(depth: 1, fields: .transcriptLine))
        } else {
            v = try p.parseValue(depth: 0)
        }
        p.skipWhitespace()
        if p.pos != bytes.count { throw Malformed(offset: p.pos) }
        return v
    }

    public static func parseTranscriptLine(_ bytes: [UInt8]) throws(Malformed) -> JSONValue {
        let r: Result<JSONValue, Malformed> = bytes.withUnsafeBufferPointer { buf in
            do throws(Malformed) { return .success(try parseTranscriptLine(buf)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// The value of `key` in an object filtered by `fields`, positioned on the value; nil (value
    /// skipped) when it is not kept.
    mutating func parseField(_ key: String, of fields: Fields, depth: Int) throws(Malformed) -> JSONValue? {
        switch fields {
        case .all:
            return try parseValue(depth: depth)
        case .transcriptLine:
            switch key {
            case "data", "snapshot":
                try skipValue(depth: depth)
                return nil
            case "message":
                if pos < bytes.count && bytes[pos] == UInt8(ascii: "{") {
                    return .object(try parseObject(depth: depth + 1, fields: .transcriptMessage))
                }
                return try parseValue(depth: depth)
            case "toolUseResult":
                guard pos < bytes.count else { throw Malformed(offset: pos) }
                if bytes[pos] == UInt8(ascii: "{") { return .object(try parseObject(depth: depth + 1, fields: .toolUseResult)) }
                if bytes[pos] == UInt8(ascii: "\"") { return .string(try parseString()) }
                try skipValue(depth: depth)
                return nil
            default:
                return try parseValue(depth: depth)
            }
        case .transcriptMessage:
            if key == "usage" {
                try skipValue(depth: depth)
                return nil
            }
            return try parseValue(depth: depth)
        case .toolUseResult:
            if key == "agentId" { return try parseValue(depth: depth) }
            try skipValue(depth: depth)
            return nil
        }
    }

    /// Checks one value as `parseValue(depth:)` would and moves past it, building nothing.
    mutating func skipValue(depth: Int) throws(Malformed) {
        guard pos < bytes.count else { throw Malformed(offset: pos) }
        switch bytes[pos] {
        case UInt8(ascii: "{"): try skipContainer(close: UInt8(ascii: "}"), keyed: true, depth: depth + 1)
        case UInt8(ascii: "["): try skipContainer(close: UInt8(ascii: "]"), keyed: false, depth: depth + 1)
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: _ = try parseNumber()
        }
    }

    /// An object (`keyed`) or an array, as `parseObject` / `parseArray` check them.
    mutating func skipContainer(close: UInt8, keyed: Bool, depth: Int) throws(Malformed) {
        if depth > Self.maxDepth { throw Malformed(offset: pos) }
        pos += 1
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == close { pos += 1; return }
        while true {
            skipWhitespace()
            if keyed {
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw Malformed(offset: pos) }
                try skipString()
                skipWhitespace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw Malformed(offset: pos) }
                pos += 1
                skipWhitespace()
            }
            try skipValue(depth: depth)
            skipWhitespace()
            guard pos < bytes.count else { throw Malformed(offset: pos) }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == close { pos += 1; return }
            throw Malformed(offset: pos)
        }
    }

    /// A string, with its escapes checked as `parseString` checks them.
    mutating func skipString() throws(Malformed) {
        pos += 1  // opening quote
        while pos < bytes.count {
            pos = quoteOrBackslash(from: pos)
            guard pos < bytes.count else { break }
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") { pos += 1; return }
            pos += 1
            guard pos < bytes.count else { throw Malformed(offset: pos) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                continue
            case UInt8(ascii: "u"):
                _ = try parseHex4()
            default:
                throw Malformed(offset: pos - 1)
            }
        }
        throw Malformed(offset: pos)
    }
}
