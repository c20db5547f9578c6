import Foundation
@testable import ContextSyncCore

/// The tree-based way of reading a record that `JSONParser.decodeRecord` replaced, kept as the
/// tests' reference (TranscriptDecodingTests compares the two on every fixture line).
extension TranscriptRecord {
    /// A record taken apart from the full parser's tree: the reference for
    /// `JSONParser.decodeRecord`, which reads the bytes without a tree (and takes a key given
    /// twice at its last occurrence, where this takes the message's and the blocks' first).
    init?(_ value: JSONValue, line: Int) {
        guard case .object(let o) = value, let type = o["type"]?.string else { return nil }
        self.init(kind: Kind(type), line: line)
        attachment = o["attachment"]
        if case .object(let a)? = attachment {
            var kept = JSONObject()
            for (k, v) in zip(a.keys, a.values) where JSONParser.attachmentKeys.contains(k) && !kept.keys.contains(k) {
                kept.keys.append(k)
                kept.values.append(v)
            }
            attachment = .object(kept)
        } else {
            attachment = nil
        }
        operation = o["operation"]?.string
        content = o["content"]?.string
        for i in o.keys.indices {
            let v = o.values[i]
            switch o.keys[i] {
            case "uuid": uuid = v.string
            case "parentUuid": parentUuid = v.string
            case "sessionId": sessionId = v.string
            case "timestamp": timestamp = v.string
            case "cwd": cwd = v.string
            case "gitBranch": gitBranch = v.string
            case "version": version = v.string
            case "subtype": subtype = v.string
            case "isSidechain": isSidechain = v.bool ?? false
            case "isMeta": isMeta = v.bool ?? false
            case "isCompactSummary": isCompactSummary = v.bool ?? false
            case "isApiErrorMessage": isApiErrorMessage = v.bool ?? false
            case "agentId": agentId = v.string
            case "toolUseResult": toolUseResult = v
            case "message": message = Self.parseMessage(v)
            case "summary": if kind == .summary { title = v.string }
            case "aiTitle": title = v.string
            case "customTitle": title = v.string
            case "content": if kind == .system { systemContent = v.string }
            default: break
            }
        }
    }

    static func parseMessage(_ v: JSONValue) -> Message? {
        guard case .object(let m) = v else { return nil }
        var blocks: [ContentBlock] = []
        var wasString = false
        switch m["content"] {
        case .string(let s)?:
            blocks = [.text(s)]
            wasString = true
        case .array(let arr)?:
            blocks.reserveCapacity(arr.count)
            for item in arr {
                if let b = parseBlock(item) { blocks.append(b) }
            }
        default: break
        }
        return Message(role: m["role"]?.string, id: m["id"]?.string, model: m["model"]?.string,
                       content: blocks, contentWasString: wasString)
    }

    static func parseBlock(_ v: JSONValue) -> ContentBlock? {
        guard case .object(let b) = v else { return nil }
        switch b["type"]?.string {
        case "text": return .text(b["text"]?.string ?? "")
        case "image": return .image
        case "tool_use":
            return .toolUse(id: b["id"]?.string ?? "", name: b["name"]?.string ?? "", input: b["input"] ?? .null)
        case "tool_result":
            return .toolResult(toolUseId: b["tool_use_id"]?.string ?? "", content: flattenText(b["content"]),
                               isError: b["is_error"]?.bool ?? false)
        case "thinking": return .thinking
        case "redacted_thinking": return .redactedThinking
        case let other?: return .unknown(other)
        case nil: return nil
        }
    }

    /// Text of a `tool_result.content`: a string, or the `text` of its text blocks joined by newlines.
    static func flattenText(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: return s
        case .array(let arr)?:
            var parts: [String] = []
            for item in arr {
                if let t = item["text"]?.string { parts.append(t) }
            }
            return parts.joined(separator: "\n")
        default: return ""
        }
    }
}
