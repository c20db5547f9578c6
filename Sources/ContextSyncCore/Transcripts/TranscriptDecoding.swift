#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoding a transcript line straight into a `TranscriptRecord`, building no tree.
///
/// Each line is checked exactly as strictly as `JSONParser.parse` checks it (same errors, same
/// depth limit: a line is malformed for both or for neither), but only the fields a record holds
/// become values: keys are matched as bytes, the top-level object, the message and its content
/// blocks are read into the record's fields as they pass, and everything else (structured
/// `toolUseResult`s, progress `data`, snapshots, `usage`, thinking text and signatures, image data, the
/// arguments of a tool call that no reader looks at) is skipped without a string being made.
/// A key given twice counts at its last occurrence (as in Python's `json` and Foundation).
extension JSONParser {
    /// The record of one line; nil when the line is valid JSON but not an object with a string
    /// `type`. Throws `Malformed` when it is not valid JSON.
    public static func decodeRecord(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(Malformed) -> TranscriptRecord? {
        var p = JSONParser(bytes: bytes)
        p.skipWhitespace()
        guard p.pos < bytes.count, bytes[p.pos] == UInt8(ascii: "{") else {
            _ = try p.parseValue(depth: 0)
            p.skipWhitespace()
            if p.pos != bytes.count { throw Malformed(offset: p.pos) }
            return nil
        }
        let record = try p.decodeLine(line: line)
        p.skipWhitespace()
        if p.pos != bytes.count { throw Malformed(offset: p.pos) }
        return record
    }

    /// The `uuid` and `timestamp` of a transcript line, every other value checked and skipped:
    /// nil exactly where `decodeRecord` returns nil (not an object, or no string `type`), and
    /// throwing where it throws (the same syntax checks and depth limits), so a scan with it
    /// sees the same records.
    public static func decodeStamp(_ bytes: UnsafeBufferPointer<UInt8>) throws(Malformed) -> (uuid: String?, timestamp: String?)? {
        var p = JSONParser(bytes: bytes)
        p.skipWhitespace()
        guard p.pos < bytes.count, bytes[p.pos] == UInt8(ascii: "{") else {
            try p.skipValue(depth: 0)
            p.skipWhitespace()
            if p.pos != bytes.count { throw Malformed(offset: p.pos) }
            return nil
        }
        var hasType = false
        var uuid: String?, timestamp: String?
        let depth = 1
        try p.forEachMember(depth: depth) { (p, key) throws(Malformed) in
            if Self.key(key, is: "type") { hasType = try p.stringValue(depth: depth) != nil }
            else if Self.key(key, is: "uuid") { uuid = try p.stringValue(depth: depth) }
            else if Self.key(key, is: "timestamp") { timestamp = try p.stringValue(depth: depth) }
            else { try p.skipValue(depth: depth) }
        }
        p.skipWhitespace()
        if p.pos != bytes.count { throw Malformed(offset: p.pos) }
        return hasType ? (uuid, timestamp) : nil
    }

    public static func decodeRecord(_ bytes: [UInt8], line: Int) throws(Malformed) -> TranscriptRecord? {
        let r: Result<TranscriptRecord?, Malformed> = bytes.withUnsafeBufferPointer { buf in
            do throws(Malformed) { return .success(try decodeRecord(buf, line: line)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// Whether a key's bytes are `literal`.
    @inline(__always)
    static func key(_ key: UnsafeBufferPointer<UInt8>, is literal: StaticString) -> Bool {
        key.count == literal.utf8CodeUnitCount && (key.count == 0 || memcmp(key.baseAddress!, literal.utf8Start, key.count) == 0)
    }

    /// The value as a string when it is one (else checked, skipped and nil).
    mutating func stringValue(depth: Int) throws(Malformed) -> String? {
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "\"") { return try parseString() }
        try skipValue(depth: depth)
        return nil
    }

    /// The value as a bool when it is one (else checked, skipped and nil).
    mutating func boolValue(depth: Int) throws(Malformed) -> Bool? {
        guard pos < bytes.count else { throw Malformed(offset: pos) }
        if bytes[pos] == UInt8(ascii: "t") { try expectLiteral("true"); return true }
        if bytes[pos] == UInt8(ascii: "f") { try expectLiteral("false"); return false }
        try skipValue(depth: depth)
        return nil
    }

    @inline(__always)
    func at(_ c: UInt8) -> Bool { pos < bytes.count && bytes[pos] == c }

    /// The top-level object, read into a record; nil without a string `type`. Which of
    /// `summary`, `aiTitle`, `customTitle` is the title, and whether `content` is a system line's,
    /// depends on the type, which may come last: they are settled at the end.
    mutating func decodeLine(line: Int) throws(Malformed) -> TranscriptRecord? {
        var f = TranscriptRecord(kind: .other(""), line: line)
        var type: String?
        var titles: [(isSummary: Bool, value: String?)] = []
        let depth = 1
        try forEachMember(depth: depth) { (p, key) throws(Malformed) in
            func `is`(_ s: StaticString) -> Bool { Self.key(key, is: s) }
            guard key.count > 0 else { try p.skipValue(depth: depth); return }
            switch key[0] {
            case UInt8(ascii: "t") where `is`("type"): type = try p.stringValue(depth: depth)
            case UInt8(ascii: "t") where `is`("timestamp"): f.timestamp = try p.stringValue(depth: depth)
            case UInt8(ascii: "t") where `is`("toolUseResult"):
                if p.at(UInt8(ascii: "{")) {
                    f.toolUseResult = .object(try p.decodeKeeping(depth: depth + 1) { k in Self.key(k, is: "agentId") })
                } else if p.at(UInt8(ascii: "\"")) {
                    f.toolUseResult = .string(try p.parseString())
                } else {
                    try p.skipValue(depth: depth)
                }
            case UInt8(ascii: "u") where `is`("uuid"): f.uuid = try p.stringValue(depth: depth)
            case UInt8(ascii: "p") where `is`("parentUuid"): f.parentUuid = try p.stringValue(depth: depth)
            case UInt8(ascii: "s") where `is`("sessionId"): f.sessionId = try p.stringValue(depth: depth)
            case UInt8(ascii: "s") where `is`("subtype"): f.subtype = try p.stringValue(depth: depth)
            case UInt8(ascii: "s") where `is`("summary"): titles.append((true, try p.stringValue(depth: depth)))
            case UInt8(ascii: "c") where `is`("cwd"): f.cwd = try p.stringValue(depth: depth)
            case UInt8(ascii: "c") where `is`("content"): f.content = try p.stringValue(depth: depth)
            case UInt8(ascii: "c") where `is`("customTitle"): titles.append((false, try p.stringValue(depth: depth)))
            case UInt8(ascii: "g") where `is`("gitBranch"): f.gitBranch = try p.stringValue(depth: depth)
            case UInt8(ascii: "v") where `is`("version"): f.version = try p.stringValue(depth: depth)
            case UInt8(ascii: "i") where `is`("isSidechain"): f.isSidechain = try p.boolValue(depth: depth) ?? false
            case UInt8(ascii: "i") where `is`("isMeta"): f.isMeta = try p.boolValue(depth: depth) ?? false
            case UInt8(ascii: "i") where `is`("isCompactSummary"): f.isCompactSummary = try p.boolValue(depth: depth) ?? false
            case UInt8(ascii: "i") where `is`("isApiErrorMessage"): f.isApiErrorMessage = try p.boolValue(depth: depth) ?? false
            case UInt8(ascii: "a") where `is`("agentId"): f.agentId = try p.stringValue(depth: depth)
            case UInt8(ascii: "a") where `is`("aiTitle"): titles.append((false, try p.stringValue(depth: depth)))
            case UInt8(ascii: "a") where `is`("attachment"):
                if p.at(UInt8(ascii: "{")) {
                    f.attachment = .object(try p.decodeKeeping(depth: depth + 1) { k in
                        Self.attachmentKeyBytes.contains { Self.key(k, is: $0) }
                    })
                } else {
                    try p.skipValue(depth: depth)
                    f.attachment = nil
                }
            case UInt8(ascii: "o") where `is`("operation"): f.operation = try p.stringValue(depth: depth)
            case UInt8(ascii: "m") where `is`("message"):
                if p.at(UInt8(ascii: "{")) {
                    f.message = try p.decodeMessage(depth: depth + 1)
                } else {
                    try p.skipValue(depth: depth)
                    f.message = nil
                }
            default: try p.skipValue(depth: depth)
            }
        }
        guard let type else { return nil }
        f.kind = TranscriptRecord.Kind(type)
        for t in titles where !t.isSummary || f.kind == .summary { f.title = t.value }
        if f.kind == .system { f.systemContent = f.content }
        return f
    }

    /// The fields of an `attachment` that readers look at.
    static let attachmentKeys = attachmentKeyBytes.map(\.description)
    static let attachmentKeyBytes: [StaticString] = ["type", "commandMode", "prompt", "hookName", "content"]

    /// An object with only the members whose key `keep` accepts (their values fully parsed);
    /// a kept key given twice keeps its last value.
    mutating func decodeKeeping(depth: Int, _ keep: (UnsafeBufferPointer<UInt8>) -> Bool) throws(Malformed) -> JSONObject {
        var obj = JSONObject()
        try forEachMember(depth: depth) { (p, key) throws(Malformed) in
            guard keep(key) else { try p.skipValue(depth: depth); return }
            obj.setLast(String(decoding: key, as: UTF8.self), try p.parseValue(depth: depth))
        }
        return obj
    }

    mutating func decodeMessage(depth: Int) throws(Malformed) -> TranscriptRecord.Message {
        var m = TranscriptRecord.Message(role: nil, id: nil, model: nil, content: [], contentWasString: false)
        try forEachMember(depth: depth) { (p, key) throws(Malformed) in
            if Self.key(key, is: "content") {
                m.content = []
                m.contentWasString = false
                if p.at(UInt8(ascii: "\"")) {
                    m.content = [.text(try p.parseString())]
                    m.contentWasString = true
                } else if p.at(UInt8(ascii: "[")) {
                    try p.forEachElement(depth: depth + 1) { (p) throws(Malformed) in
                        if let b = try p.decodeBlock(depth: depth + 1) { m.content.append(b) }
                    }
                } else {
                    try p.skipValue(depth: depth)
                }
            } else if Self.key(key, is: "role") {
                m.role = try p.stringValue(depth: depth)
            } else if Self.key(key, is: "id") {
                m.id = try p.stringValue(depth: depth)
            } else if Self.key(key, is: "model") {
                m.model = try p.stringValue(depth: depth)
            } else {
                try p.skipValue(depth: depth)
            }
        }
        return m
    }

    /// One content block; nil when it is not an object or has no string `type`.
    mutating func decodeBlock(depth: Int) throws(Malformed) -> TranscriptRecord.ContentBlock? {
        guard at(UInt8(ascii: "{")) else {
            try skipValue(depth: depth)
            return nil
        }
        let inner = depth + 1
        var type: String?
        var text: String?, id: String?, name: String?, toolUseId: String?
        var input: JSONValue?
        var content = ""
        var isError: Bool?
        try forEachMember(depth: inner) { (p, key) throws(Malformed) in
            guard key.count > 0 else { try p.skipValue(depth: inner); return }
            func `is`(_ s: StaticString) -> Bool { Self.key(key, is: s) }
            switch key[0] {
            case UInt8(ascii: "t") where `is`("type"): type = try p.stringValue(depth: inner)
            case UInt8(ascii: "t") where `is`("text"): text = try p.stringValue(depth: inner)
            case UInt8(ascii: "t") where `is`("tool_use_id"): toolUseId = try p.stringValue(depth: inner)
            case UInt8(ascii: "i") where `is`("id"): id = try p.stringValue(depth: inner)
            case UInt8(ascii: "i") where `is`("input"): input = try p.decodeToolInput(depth: inner)
            case UInt8(ascii: "i") where `is`("is_error"): isError = try p.boolValue(depth: inner)
            case UInt8(ascii: "n") where `is`("name"): name = try p.stringValue(depth: inner)
            case UInt8(ascii: "c") where `is`("content"): content = try p.decodeResultText(depth: inner)
            default: try p.skipValue(depth: inner)
            }
        }
        switch type {
        case "text": return .text(text ?? "")
        case "image": return .image
        case "tool_use": return .toolUse(id: id ?? "", name: name ?? "", input: input ?? .null)
        case "tool_result": return .toolResult(toolUseId: toolUseId ?? "", content: content, isError: isError ?? false)
        case "thinking": return .thinking
        case "redacted_thinking": return .redactedThinking
        case let other?: return .unknown(other)
        case nil: return nil
        }
    }

    /// Keys of a tool call's `input` that a reader looks at (`SessionEvents.mainArgument`, a
    /// subagent's `prompt`): the rest (file contents of Write and Edit, …) is skipped.
    static let toolInputKeys = toolInputKeyBytes.map(\.description)
    static let toolInputKeyBytes: [StaticString] = ["command", "file_path", "path", "pattern", "url", "query", "skill",
                                                    "description", "prompt", "code", "task_id"]

    /// A tool call's `input`: an object of its string-valued `toolInputKeys` members; when none
    /// of them is a non-empty string, led by its first member if that is a string of another key
    /// (`mainArgument`'s fallback, decoded only then). Any other member or shape is checked and
    /// skipped (`.null` for an input that is not an object).
    mutating func decodeToolInput(depth: Int) throws(Malformed) -> JSONValue {
        guard at(UInt8(ascii: "{")) else {
            try skipValue(depth: depth)
            return .null
        }
        var obj = JSONObject()
        var first = true
        var fallback: (key: String, valueAt: Int)?
        try forEachMember(depth: depth + 1) { (p, key) throws(Malformed) in
            defer { first = false }
            guard Self.toolInputKeyBytes.contains(where: { Self.key(key, is: $0) }) else {
                if first && p.at(UInt8(ascii: "\"")) { fallback = (String(decoding: key, as: UTF8.self), p.pos) }
                try p.skipValue(depth: depth + 1)
                return
            }
            obj.setLast(String(decoding: key, as: UTF8.self), try p.stringValue(depth: depth + 1).map { .string($0) } ?? .null)
        }
        if !obj.values.contains(where: { $0.string?.isEmpty == false }), let fallback {
            let end = pos
            pos = fallback.valueAt
            let value = try parseString()
            pos = end
            obj.keys.insert(fallback.key, at: 0)
            obj.values.insert(.string(value), at: 0)
        }
        return .object(obj)
    }

    /// A `tool_result.content` as text: a string, or the string
    /// `text` of its object items joined by newlines; other shapes give "".
    mutating func decodeResultText(depth: Int) throws(Malformed) -> String {
        if at(UInt8(ascii: "\"")) { return try parseString() }
        guard at(UInt8(ascii: "[")) else {
            try skipValue(depth: depth)
            return ""
        }
        var parts: [String] = []
        try forEachElement(depth: depth + 1) { (p) throws(Malformed) in
            guard p.at(UInt8(ascii: "{")) else { try p.skipValue(depth: depth + 1); return }
            var text: String?
            try p.forEachMember(depth: depth + 2) { (p, key) throws(Malformed) in
                if Self.key(key, is: "text") {
                    text = try p.stringValue(depth: depth + 2)
                } else {
                    try p.skipValue(depth: depth + 2)
                }
            }
            if let text { parts.append(text) }
        }
        return parts.count == 1 ? parts[0] : parts.joined(separator: "\n")
    }
}
