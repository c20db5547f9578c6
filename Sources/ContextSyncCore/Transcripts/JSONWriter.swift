/// Serialises `JSONValue` with keys in insertion order (stable output for golden files and scripts).
extension JSONValue {
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 9.0e15 { out += String(Int64(d)) } else if d.isFinite { out += "\(d)" } else { out += "null" }
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                v.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let o):
            if o.keys.isEmpty { out += "{}"; return }
            out += "{"
            for i in o.keys.indices {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                Self.writeString(o.keys[i], to: &out)
                out += pretty ? ": " : ":"
                o.values[i].write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}

/// Builds a `JSONObject` fluently, skipping nil values.
public struct JSONObjectBuilder {
    public var object = JSONObject()
    public init() {}

    public mutating func set(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        object.keys.append(key)
        object.values.append(value)
    }

    public mutating func set(_ key: String, _ value: String?) { set(key, value.map(JSONValue.string)) }
    public mutating func set(_ key: String, _ value: Int) { set(key, JSONValue.number(Double(value))) }
    public mutating func set(_ key: String, _ value: Int64) { set(key, JSONValue.number(Double(value))) }
    public mutating func set(_ key: String, _ value: Double) { set(key, JSONValue.number(value)) }
    public mutating func set(_ key: String, _ value: Bool) { set(key, JSONValue.bool(value)) }

    public var value: JSONValue { .object(object) }
}
