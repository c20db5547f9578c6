import Foundation

/// Builds a session's events record by record (see `SessionEvents.read`).
struct EventReader {
    var toolIndex: [String: Int] = [:]
    /// Subagent id (`toolUseResult.agentId`) → the Task/Agent call's event index.
    var agentCalls: [String: Int] = [:]
    var hookTexts = Set<String>()
    var queuedTexts = Set<String>()
    var lastEnqueued: String?
    /// Inline (old layout) subagent tool calls: id → "Name(argument)".
    var sidechainCalls: [String: String] = [:]
    /// Task/Agent calls still waiting for their result (inline sidechain records belong to one).
    var runningTasks: [Int] = []
    /// Inline sidechain record `uuid` → the Task call it belongs to (followed along `parentUuid`).
    var sidechainOwner: [String: Int] = [:]
    var sawEdit = false
    /// Read calls made before the first edit (candidates for plan/spec documents).
    var readsBeforeEdit = Set<String>()

    static let editTools: Set<String> = ["Edit", "Write", "MultiEdit", "NotebookEdit"]
    static let maxSubagentFailures = 5

    mutating func add(_ r: TranscriptRecord, to out: inout SessionEvents) {
        switch r.kind {
        case .assistant: addAssistant(r, to: &out)
        case .user: addUser(r, to: &out)
        case .attachment: addAttachment(r, to: &out)
        case .queueOperation: addQueueOperation(r, to: &out)
        default: break
        }
    }

    mutating func finish(_ out: inout SessionEvents) {
        // A queued prompt that was also recorded as an ordinary prompt is shown once, as the prompt
        // (with the queued text when the prompt record holds only its start).
        var drop = Set<Int>()
        for (qi, q) in out.events.enumerated() {
            guard case .queuedPrompt(let text) = q.kind else { continue }
            for (ui, u) in out.events.enumerated() {
                guard case .user(let prompt) = u.kind, !prompt.isEmpty else { continue }
                if prompt == text || prompt.hasPrefix(text) {
                    drop.insert(qi)
                } else if text.hasPrefix(prompt) && ui < qi {
                    out.events[ui].kind = .user(text)
                    drop.insert(qi)
                }
                if drop.contains(qi) { break }
            }
        }
        if !drop.isEmpty { out.events = out.events.enumerated().filter { !drop.contains($0.offset) }.map(\.element) }
    }

    mutating func addAssistant(_ r: TranscriptRecord, to out: inout SessionEvents) {
        guard let m = r.message else { return }
        if r.isSidechain {
            _ = owner(of: r, in: out)
            for case .toolUse(let id, let name, let input) in m.content {
                sidechainCalls[id] = "\(name)(\(Digest.cut(Digest.oneLine(SessionEvents.mainArgument(name: name, input: input)), 80)))"
            }
            return
        }
        for block in m.content {
            switch block {
            case .text(let t):
                let trimmed = t.trimmingWhitespace()
                if !trimmed.isEmpty && !r.isApiErrorMessage {
                    out.events.append(SessionEvent(kind: .assistant(trimmed), line: r.line, timestamp: r.timestamp))
                }
            case .toolUse(let id, let name, let input):
                toolIndex[id] = out.events.count
                var call = SessionEvent.ToolCall(id: id, name: name, argument: SessionEvents.mainArgument(name: name, input: input))
                if call.isSubagent {
                    if let p = input["prompt"]?.string, !p.isEmpty { call.subagentPrompt = p }
                    runningTasks.append(out.events.count)
                }
                if Self.editTools.contains(name) { sawEdit = true }
                if name == "Read" && !sawEdit { readsBeforeEdit.insert(id) }
                out.events.append(SessionEvent(kind: .tool(call), line: r.line, timestamp: r.timestamp))
            default: break
            }
        }
    }

    mutating func addUser(_ r: TranscriptRecord, to out: inout SessionEvents) {
        guard let m = r.message else { return }
        if r.isSidechain {
            if let task = owner(of: r, in: out) { addSidechainFailures(m, task: task, to: &out) }
            return
        }
        if r.isCompactSummary {
            let text = m.content.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n")
            out.events.append(SessionEvent(kind: .compaction(text), line: r.line, timestamp: r.timestamp))
            return
        }
        if r.isInterrupt {
            let forTool = m.content.contains { if case .text(let t) = $0 { return ByteSearch.contains(t, "for tool use") } else { return false } }
            out.events.append(SessionEvent(kind: .interrupted(forToolUse: forTool), line: r.line, timestamp: r.timestamp))
            return
        }
        if let prompt = r.humanPromptText {
            let text = prompt.trimmingWhitespace()
            // The same prompt recorded twice in a row (a resend) is shown once.
            if case .user(let previous)? = out.events.last?.kind, previous == text { return }
            out.events.append(SessionEvent(kind: .user(text), line: r.line, timestamp: r.timestamp))
            return
        }
        for case .text(let t) in m.content {
            if let hook = Self.hookFeedback(t) { addHook(hook, r, to: &out) }
            if t.hasPrefix("<task-notification>") { addTaskNotification(t, to: &out) }
        }
        for block in m.content {
            guard case .toolResult(let id, let content, let isError) = block, let i = toolIndex[id],
                  case .tool(var call) = out.events[i].kind, call.outcome == nil else { continue }
            var text = content
            if text.isEmpty, let s = r.toolUseResult?.string { text = s }
            let hard = isError || SessionEvents.looksLikeFailure(text, toolUseResult: r.toolUseResult)
            let soft = !hard && call.isBash && ToolOutputReading.statesFailure(text)
            if hard || soft {
                let category = ErrorCategory.classify(text)
                if category == .userRejected {
                    call.rejectionReason = ToolOutputReading.rejectionReason(text)
                    call.outcome = .error(category, SessionEvents.firstMeaningfulLine(text))
                } else {
                    let (line, context) = ToolOutputReading.errorLine(text)
                    call.outcome = .error(category, line)
                    call.errorContext = context
                }
                call.isSoftFailure = soft
                call.hidesStatus = soft && ToolOutputReading.hidesStatus(call.argument)
                if let hook = Self.hookError(text) { addHook(hook, r, to: &out) }
            } else if call.name == "TaskOutput", let background = Self.backgroundOutput(text) {
                // A background command's output, fetched later: its exit code says how it went.
                if background.failed {
                    let (line, context) = ToolOutputReading.errorLine(background.output)
                    call.outcome = .error(ErrorCategory.classify(background.output), line)
                    call.errorContext = context
                } else {
                    call.outcome = .ok
                    if !background.output.isEmpty { call.subagentResult = background.output }
                }
            } else {
                call.outcome = .ok
                if call.isSubagent || call.name == "TaskOutput", !Self.isLaunchAcknowledgement(text), !text.isEmpty {
                    call.subagentResult = text
                }
                if call.name == "Read" { call.generatedMarker = ToolOutputReading.generatedMarker(text) }
                if call.name == "Read", ToolOutputReading.isPlanLike(path: call.argument, beforeFirstEdit: readsBeforeEdit.contains(id)) {
                    call.documentExcerpt = ToolOutputReading.documentExcerpt(text)
                }
            }
            if call.isSubagent {
                if let agent = r.toolUseResult?["agentId"]?.string { agentCalls[agent] = i }
                runningTasks.removeAll { $0 == i }
            }
            out.events[i].kind = .tool(call)
        }
    }

    /// Failed tool calls inside an inline subagent (old layout: sidechain records in the main file).
    /// The Task call an inline sidechain record belongs to: its parent's, else the running Task whose
    /// prompt the record repeats (the subagent's first message), else the latest running one.
    mutating func owner(of r: TranscriptRecord, in out: SessionEvents) -> Int? {
        var owner = r.parentUuid.flatMap { sidechainOwner[$0] }
        if owner == nil, r.kind == .user, let m = r.message, case .text(let t)? = m.content.first {
            owner = runningTasks.first { i in
                if case .tool(let c) = out.events[i].kind { return c.subagentPrompt == t }
                return false
            }
        }
        if owner == nil { owner = runningTasks.last }
        if let u = r.uuid, let owner { sidechainOwner[u] = owner }
        return owner
    }

    mutating func addSidechainFailures(_ m: TranscriptRecord.Message, task: Int, to out: inout SessionEvents) {
        guard case .tool(var call) = out.events[task].kind else { return }
        for case .toolResult(let id, let content, let isError) in m.content where isError {
            guard call.subagentFailures.count < Self.maxSubagentFailures else { break }
            let category = ErrorCategory.classify(content)
            if category == .toolMechanics || category == .userRejected { continue }
            let failure = "\(sidechainCalls[id] ?? "tool"): " + ToolOutputReading.errorLine(content).line
            if !call.subagentFailures.contains(failure) { call.subagentFailures.append(failure) }
        }
        out.events[task].kind = .tool(call)
    }

    mutating func addAttachment(_ r: TranscriptRecord, to out: inout SessionEvents) {
        guard !r.isSidechain, let a = r.attachment, let type = a["type"]?.string else { return }
        switch type {
        case "queued_command":
            let mode = a["commandMode"]?.string
            if mode == "task-notification", let text = a["prompt"]?.string {
                addTaskNotification(text, to: &out)
                return
            }
            guard mode == nil || mode == "prompt", let text = a["prompt"]?.string else { return }
            addQueued(text, r, to: &out)
        case "hook_additional_context", "hook_blocking_error", "hook_error":
            let hookName = a["hookName"]?.string ?? ""
            if hookName.hasPrefix("SessionStart") || hookName.hasPrefix("UserPromptSubmit") { return }
            let text: String
            switch a["content"] {
            case .string(let s)?: text = s
            case .array(let items)?: text = items.compactMap(\.string).joined(separator: "\n")
            default: return
            }
            let t = text.trimmingWhitespace()
            if t.isEmpty || t.hasPrefix("<") { return }  // tool tips and injected context blocks
            addHook(hookName.isEmpty ? t : "\(hookName): \(t)", r, to: &out)
        default: break
        }
    }

    /// Queue records: `enqueue` holds a prompt typed while Claude works; `remove` means it was
    /// delivered into the running turn; `popAll` takes it back to the input box; `dequeue` sends
    /// it as an ordinary prompt (which then appears as a user record).
    mutating func addQueueOperation(_ r: TranscriptRecord, to out: inout SessionEvents) {
        let content = r.content
        switch r.operation {
        case "enqueue": lastEnqueued = content
        case "remove":
            if let text = content ?? lastEnqueued { addQueued(text, r, to: &out) }
            lastEnqueued = nil
        default: lastEnqueued = nil
        }
    }

    /// A background agent's answer (`<task-notification>` with `<result>`) is the Task call's result.
    mutating func addTaskNotification(_ text: String, to out: inout SessionEvents) {
        func tag(_ name: String) -> String? {
            guard let a = ByteSearch.range(of: "<\(name)>", in: text),
                  let b = ByteSearch.range(of: "</\(name)>", in: text[a.upperBound...]) else { return nil }
            return String(text[a.upperBound..<b.lowerBound])
        }
        guard let result = tag("result"), !result.trimmingWhitespace().isEmpty else { return }
        var index = tag("task-id").flatMap { agentCalls[$0] } ?? tag("tool-use-id").flatMap { toolIndex[$0] }
        if index == nil, let summary = tag("summary") {
            index = out.events.indices.last { i in
                if case .tool(let c) = out.events[i].kind, c.isSubagent, !c.argument.isEmpty { return summary.contains("\"\(c.argument)\"") }
                return false
            }
        }
        guard let i = index, case .tool(var call) = out.events[i].kind, call.subagentResult == nil else { return }
        call.subagentResult = result.trimmingWhitespace()
        out.events[i].kind = .tool(call)
    }

    mutating func addQueued(_ text: String, _ r: TranscriptRecord, to out: inout SessionEvents) {
        let t = text.trimmingWhitespace()
        guard !t.isEmpty, !t.hasPrefix("<"), !t.hasPrefix("/"), !t.hasPrefix("⏺"), queuedTexts.insert(t).inserted else { return }
        out.events.append(SessionEvent(kind: .queuedPrompt(t), line: r.line, timestamp: r.timestamp))
    }

    mutating func addHook(_ text: String, _ r: TranscriptRecord, to out: inout SessionEvents) {
        let key = Digest.oneLine(text)
        guard !key.isEmpty, hookTexts.insert(key).inserted else { return }
        out.events.append(SessionEvent(kind: .hook(text.trimmingWhitespace()), line: r.line, timestamp: r.timestamp))
    }

    /// `Stop hook feedback:` lines and `PostToolUse:… hook additional context:` reminders.
    static func hookFeedback(_ text: String) -> String? {
        var t = text.trimmingWhitespace()
        if t.hasPrefix("<system-reminder>") {
            t = t.replacingOccurrences(of: "<system-reminder>", with: "").replacingOccurrences(of: "</system-reminder>", with: "")
                .trimmingWhitespace()
            guard t.range(of: #"^(PreToolUse|PostToolUse|Stop|SubagentStop):\S* hook"#, options: .regularExpression) != nil else { return nil }
            return t
        }
        if t.hasPrefix("Stop hook feedback:") || t.hasPrefix("SubagentStop hook feedback:") {
            return t
        }
        return nil
    }

    /// A tool call blocked by a PreToolUse hook (the hook's message is the rule).
    static func hookError(_ text: String) -> String? {
        // Each form below names a tool-use hook or says "blocked by hook" (unless tags split it).
        if !ByteSearch.contains(text, "ToolUse") && !ByteSearch.contains(text, "blocked by hook")
            && !ByteSearch.contains(text, "tool_use_error>") { return nil }
        let t = TextBytes.replacing(TextBytes.replacing(text, "<tool_use_error>", with: ""), "</tool_use_error>", with: "")
            .trimmingWhitespace()
        if t.range(of: #"^(PreToolUse|PostToolUse):\S+ hook (error|blocking error|feedback)"#, options: .regularExpression) != nil
            || t.hasPrefix("Hook PreToolUse") || ByteSearch.contains(t, "blocked by hook") {
            return t
        }
        return nil
    }

    /// `TaskOutput` of a background shell command: `<task_type>local_bash</task_type>`,
    /// `<exit_code>`, `<output>`; failed when the exit code is not 0 or the status says so.
    static func backgroundOutput(_ text: String) -> (failed: Bool, output: String)? {
        func tag(_ name: String) -> String? {
            guard let a = ByteSearch.range(of: "<\(name)>", in: text) else { return nil }
            let end = ByteSearch.range(of: "</\(name)>", in: text[a.upperBound...])?.lowerBound ?? text.endIndex
            return String(text[a.upperBound..<end]).trimmingWhitespace()
        }
        guard ByteSearch.contains(text, "<retrieval_status>"), tag("task_type") == "local_bash" || tag("task_type") == nil else { return nil }
        let status = tag("status") ?? ""
        let failed = (tag("exit_code").flatMap { Int($0) }.map { $0 != 0 } ?? false) || status == "failed"
        return (failed, tag("output") ?? "")
    }

    /// "Async agent launched successfully…" and similar: no answer yet, only boilerplate.
    static func isLaunchAcknowledgement(_ text: String) -> Bool {
        let t = text.trimmingWhitespace()
        return t.hasPrefix("Async agent launched successfully") || t.hasPrefix("Agent launched in the background")
            || t.hasPrefix("Background agent started") || t.hasPrefix("Command running in background with ID")
    }
}

/// Failures inside subagent transcripts written as separate files: `<session>/subagents/agent-<id>.jsonl`,
/// nested workflow folders included. The compaction summariser (`agent-acompact-*`) is left out.
enum SubagentFiles {
    static func files(sessionPath: String) -> [String] {
        guard sessionPath.hasSuffix(".jsonl") else { return [] }
        let folder = String(sessionPath.dropLast(6)) + "/subagents"
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            let name = (p as NSString).lastPathComponent
            if name.hasPrefix("agent-") && name.hasSuffix(".jsonl") && !name.hasPrefix("agent-acompact") { out.append(folder + "/" + p) }
        }
        return out.sorted()
    }

    static func attachFailures(sessionPath: String, to out: inout SessionEvents, agentCalls: [String: Int]) {
        for file in files(sessionPath: sessionPath) {
            let agent = String((file as NSString).lastPathComponent.dropFirst("agent-".count).dropLast(".jsonl".count))
            guard let index = agentCalls[agent], case .tool(var call) = out.events[index].kind else { continue }
            var calls: [String: String] = [:]
            _ = try? TranscriptReader(path: file).forEachRecord { r in
                guard call.subagentFailures.count < EventReader.maxSubagentFailures, let m = r.message else {
                    return call.subagentFailures.count < EventReader.maxSubagentFailures
                }
                for block in m.content {
                    switch block {
                    case .toolUse(let id, let name, let input):
                        calls[id] = "\(name)(\(Digest.cut(Digest.oneLine(SessionEvents.mainArgument(name: name, input: input)), 80)))"
                    case .toolResult(let id, let content, let isError) where isError:
                        let category = ErrorCategory.classify(content)
                        if category == .toolMechanics || category == .userRejected { continue }
                        let failure = "\(calls[id] ?? "tool"): " + ToolOutputReading.errorLine(content).line
                        if !call.subagentFailures.contains(failure) && call.subagentFailures.count < EventReader.maxSubagentFailures {
                            call.subagentFailures.append(failure)
                        }
                    default: break
                    }
                }
                return true
            }
            out.events[index].kind = .tool(call)
        }
    }
}
