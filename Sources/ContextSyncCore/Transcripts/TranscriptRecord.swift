/// One line of a Claude Code transcript, typed. Unknown record and block types are kept as
/// `.other` / `.unknown` and otherwise ignored: formats change every few releases.
public struct TranscriptRecord: Sendable {
    public enum Kind: Sendable, Equatable {
        case user, assistant, system, summary, fileHistorySnapshot, queueOperation, progress
        case attachment, customTitle, aiTitle, tag, lastPrompt, permissionMode
        case other(String)

        init(_ raw: String) {
            switch raw {
            case "user": self = .user
            case "assistant": self = .assistant
            case "system": self = .system
            case "summary": self = .summary
            case "file-history-snapshot": self = .fileHistorySnapshot
            case "queue-operation": self = .queueOperation
            case "progress": self = .progress
            case "attachment": self = .attachment
            case "custom-title": self = .customTitle
            case "ai-title": self = .aiTitle
            case "tag": self = .tag
            case "last-prompt": self = .lastPrompt
            case "permission-mode": self = .permissionMode
            default: self = .other(raw)
            }
        }
    }

    public var kind: Kind
    /// 1-based line number in the file.
    public var line: Int
    public var uuid: String?
    public var parentUuid: String?
    public var sessionId: String?
    /// ISO-8601 text as written (`2026-02-12T10:00:00.123Z`).
    public var timestamp: String?
    public var cwd: String?
    public var gitBranch: String?
    public var version: String?
    /// `system` subtype (`compact_boundary`, `stop_hook_summary`, ...).
    public var subtype: String?
    public var isSidechain = false
    public var isMeta = false
    public var isCompactSummary = false
    public var isApiErrorMessage = false
    public var agentId: String?
    public var message: Message?
    /// Top-level `toolUseResult`: an object, or a plain error string.
    public var toolUseResult: JSONValue?
    /// `summary.summary`, `ai-title.aiTitle`, `custom-title.customTitle`.
    public var title: String?
    /// `system` lines' `content` (hook text, local command output, "Conversation compacted").
    public var systemContent: String?
    /// `attachment` records' `attachment`, with only the members readers look at (`type`,
    /// `commandMode`, `prompt`, `hookName`, `content`).
    public var attachment: JSONValue?
    /// `queue-operation` records' `operation` (`enqueue`, `remove`, `popAll`, `dequeue`).
    public var operation: String?
    /// The line's top-level `content` when it is a string (queue operations, system lines).
    public var content: String?

    public struct Message: Sendable {
        public var role: String?
        public var id: String?
        public var model: String?
        /// A string `content` becomes one `.text` block; `contentWasString` remembers it.
        public var content: [ContentBlock]
        public var contentWasString: Bool
    }

    public enum ContentBlock: Sendable {
        case text(String)
        case image
        case toolUse(id: String, name: String, input: JSONValue)
        case toolResult(toolUseId: String, content: String, isError: Bool)
        /// A thinking block (its text is checked and skipped: no reader looks at it).
        case thinking
        case redactedThinking
        case unknown(String)
    }

    /// A record of `kind` with no fields set (`JSONParser.decodeRecord` fills them from a line).
    public init(kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }
}

extension TranscriptRecord {
    /// Markers Claude Code writes as "user" text when the user interrupts.
    public static let interruptPrefix = "[Request interrupted by user"

    /// Prefixes of machine-made text that Claude Code stores in "user" records.
    public static let machinePrefixes: [String] = [
        "<command-name>", "<command-message>", "<command-args>", "<local-command-", "<system-reminder>",
        "<task-notification>", "<bash-input>", "<bash-stdout>", "<bash-stderr>", "<ide_opened_file>",
        "<ide_selection>", "<session-start-hook>", "<user-prompt-submit-hook>", "<user-memory-input>",
        "Caveat: The messages below were generated", "Stop hook feedback:", "PreToolUse:", "PostToolUse:",
        "This session is being continued from a previous conversation", "<persisted-output>",
    ]

    /// The user's typed text when this record is a real human prompt; nil for tool results, meta
    /// lines, command wrappers, reminders, hook feedback, compaction summaries, sidechain records and
    /// interrupt markers.
    public var humanPromptText: String? {
        guard kind == .user, !isMeta, !isSidechain, !isCompactSummary, let message else { return nil }
        var texts: [String] = []
        for block in message.content {
            switch block {
            case .text(let t): texts.append(t)
            case .image: continue
            default: return nil  // tool_result lines are never prompts
            }
        }
        let text = texts.joined(separator: "\n")
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        if trimmed.isEmpty { return nil }
        if trimmed.hasPrefix(Self.interruptPrefix) { return nil }
        for p in Self.machinePrefixes where trimmed.hasPrefix(p) { return nil }
        return text
    }

    /// True for `[Request interrupted by user]` and `[Request interrupted by user for tool use]`.
    public var isInterrupt: Bool {
        guard kind == .user, let message else { return false }
        for block in message.content {
            if case .text(let t) = block, t.hasPrefix(Self.interruptPrefix) { return true }
        }
        return false
    }

    /// The slash command typed (`/init`), when this user line is a command wrapper.
    public var slashCommand: String? {
        guard kind == .user, !isMeta, let message, message.contentWasString,
              case .text(let t)? = message.content.first,
              let r = t.range(of: "<command-name>"), let e = t.range(of: "</command-name>", range: r.upperBound..<t.endIndex)
        else { return nil }
        return String(t[r.upperBound..<e.lowerBound])
    }

    public var isCompactBoundary: Bool { kind == .system && subtype == "compact_boundary" }
}
