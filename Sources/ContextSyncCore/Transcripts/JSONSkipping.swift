/// Checking a JSON value without building it: what `JSONParser.decodeRecord` does with the
/// fields of a transcript line that nothing reads. Exactly as strict as the full parser (same
/// errors, same depth limit), so a line is malformed for both or for neither.
extension JSONParser {
    /// Checks one value as `parseValue(depth:)` would and moves past it, building nothing.
    mutating func skipValue(depth: Int) throws(Malformed) {
        guard pos < bytes.count else { throw Malformed(offset: pos) }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            let inner = depth + 1
            try forEachMember(depth: inner) { (p, _) throws(Malformed) in try p.skipValue(depth: inner) }
        case UInt8(ascii: "["):
            let inner = depth + 1
            try forEachElement(depth: inner) { (p) throws(Malformed) in try p.skipValue(depth: inner) }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: _ = try parseNumber()
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
