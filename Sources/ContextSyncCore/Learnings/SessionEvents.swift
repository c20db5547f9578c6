/// One thing that happened in a session, in order, as the digest and the extractor see it.
public struct SessionEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A real human prompt.
        case user(String)
        /// `[Request interrupted by user]`; `forToolUse` when a tool call was stopped or rejected.
        case interrupted(forToolUse: Bool)
        /// Assistant text (not thinking).
        case assistant(String)
        /// A tool call and what came of it.
        case tool(ToolCall)
        /// Claude Code's compaction summary.
        case compaction(String)
        /// A prompt the user typed while Claude was working (delivered mid-turn from the queue).
        case queuedPrompt(String)
        /// Feedback a hook gave (Stop-hook feedback, a PreToolUse block): a rule the project enforces.
        /// Kept once per distinct text in a session.
        case hook(String)
    }

    public struct ToolCall: Sendable, Equatable {
        public var id: String
        public var name: String
        /// The most telling argument: a Bash command, a file path, a pattern, a description.
        public var argument: String
        /// nil while no result was seen (the session ended or was cut).
        public var outcome: Outcome?
        /// For Task/Agent calls: what the subagent answered (also a later `TaskOutput`'s answer).
        public var subagentResult: String?
        /// For Task/Agent calls: the instructions given to the subagent (its `prompt`).
        public var subagentPrompt: String?
        /// For failures: the line next to the error line that explains it (nil when none helps).
        public var errorContext: String?
        /// The call returned without an error flag but its output states a failure
        /// (`"success": false`, `Error:`, a traceback, `FAILED`…).
        public var isSoftFailure = false
        /// The command hid its own status (`|| true`, `2>/dev/null`, `; echo …`).
        public var hidesStatus = false
        /// For a rejected call: what the user said after the fixed rejection text.
        public var rejectionReason: String?
        /// For a plan or spec read early in the session: its Context/Why/Root cause sections, capped.
        public var documentExcerpt: String?
        /// For a Read whose first lines say the file is generated ("DO NOT EDIT", "@generated"): that line.
        public var generatedMarker: String?
        /// For Task/Agent calls: failed tool calls inside the subagent (`Bash(cmd): error line`).
        public var subagentFailures: [String] = []

        public init(id: String, name: String, argument: String, outcome: Outcome? = nil, subagentResult: String? = nil) {
            self.id = id
            self.name = name
            self.argument = argument
            self.outcome = outcome
            self.subagentResult = subagentResult
        }

        /// Bash and the tools that run shell commands like it (PowerShell, MCP `*__bash`, `*__exec*`):
        /// their commands and failures count like Bash's.
        public var isBash: Bool { Self.isShellLike(name) }

        public static func isShellLike(_ name: String) -> Bool {
            if name == "Bash" || name == "PowerShell" { return true }
            guard name.hasPrefix("mcp__") else { return false }
            let tool = name.split(separator: "_").last.map { $0.lowercased() } ?? ""
            return ["bash", "shell", "exec", "execute", "run", "terminal", "command", "sh"].contains(tool)
                || name.lowercased().hasSuffix("__run_command") || name.lowercased().hasSuffix("__execute_command")
        }

        /// Task/Agent calls (a subagent was started).
        public var isSubagent: Bool { name == "Task" || name == "Agent" }
    }

    public enum Outcome: Sendable, Equatable {
        case ok
        /// Category and the first meaningful line of the error output.
        case error(ErrorCategory, String)

        public var isError: Bool { if case .error = self { return true }; return false }
    }

    public var kind: Kind
    /// Line of the transcript the event came from (1-based).
    public var line: Int
    public var timestamp: String?
}

/// A session turned into events.
public struct SessionEvents: Sendable {
    public var sessionId: String
    public var title: String?
    public var branch: String?
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var cwd: String?
    public var events: [SessionEvent]

    /// Reads a transcript and builds its events: records deduplicated by `uuid` (the same reader
    /// state as `SessionSummary`), tool results paired to their calls by `tool_use_id`,
    /// machine-made lines left out, subagent failures (inline sidechains and `subagents/` files)
    /// attached to the Task call that started them.
    public static func read(path: String, id: String) throws -> SessionEvents {
        var out = SessionEvents(sessionId: id, events: [])
        var reader = EventReader()
        var head = TranscriptHead()
        try TranscriptReader(path: path).forEachRecord { r in
            guard head.observe(r) else { return true }
            reader.add(r, to: &out)
            return true
        }
        out.title = head.title
        out.cwd = head.cwd
        out.branch = head.branch
        out.firstTimestamp = head.firstTimestamp
        out.lastTimestamp = head.lastTimestamp
        reader.finish(&out)
        SubagentFiles.attachFailures(sessionPath: path, to: &out, agentCalls: reader.agentCalls)
        return out
    }

    /// Error text that came back without `is_error` (old versions, plain error strings).
    static func looksLikeFailure(_ text: String, toolUseResult: JSONValue?) -> Bool {
        if let s = toolUseResult?.string, s.hasPrefix("Error") { return true }
        return text.hasPrefix("<tool_use_error>")
    }

    /// The line of an error output that says most about the failure (see `ToolOutputReading.errorLine`).
    public static func errorLine(_ text: String) -> String { ToolOutputReading.errorLine(text).line }

    /// The first line that says something: skips blank lines, `Exit code N`, npm warnings and
    /// progress chatter; strips tool-error tags.
    public static func firstMeaningfulLine(_ text: String) -> String {
        var fallback: String?
        // Some tools return output whose newlines arrive escaped ("a\\nb").
        let text = text.contains("\n") || !text.contains("\\n") ? text : text.replacingOccurrences(of: "\\n", with: "\n")
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true).prefix(60) {
            var line = String(raw).trimmingWhitespace()
            line = line.replacingOccurrences(of: "<tool_use_error>", with: "").replacingOccurrences(of: "</tool_use_error>", with: "")
            if line.isEmpty { continue }
            if fallback == nil { fallback = line }
            let lower = TextBytes.lowercasedForMatching(line)
            if lower.hasPrefix("exit code") || lower.hasPrefix("npm warn") || lower.hasPrefix("getting extensions")
                || lower.hasPrefix("running setup") || lower.hasPrefix("compiling ") || lower.hasPrefix("generated ")
                || lower.hasPrefix("running exunit") || lower.hasPrefix("finding suitable") || lower.hasPrefix("checking plt")
                || line.allSatisfy({ $0 == "." || $0 == " " }) {
                continue
            }
            return String(line.prefix(300))
        }
        return String((fallback ?? "").prefix(300))
    }

    /// The argument that identifies a tool call's intent.
    static func mainArgument(name: String, input: JSONValue) -> String {
        // The decoder keeps only these keys of an input (and its first member): one list.
        for key in JSONParser.toolInputKeys {
            if let v = input[key]?.string, !v.isEmpty { return v }
        }
        if case .object(let o) = input, let first = o.values.first?.string { return first }
        return ""
    }
}
