import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite("Hook rules")
struct HookRulesTests {
    /// A session whose Stop hook refused to end it, in Claude Code's record shape (the
    /// claude-reliability fixtures hold real ones).
    func session(_ id: String, feedback: String, in dir: String) throws -> SessionEvents {
        let body = "Stop hook feedback:\n[${CLAUDE_PLUGIN_ROOT}/scripts/hooks/stop.sh]: " + feedback
        let escaped = body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        let lines = [
            #"{"type":"user","uuid":"\#(id)-u1","cwd":"/repo","timestamp":"2026-03-01T10:00:00.000Z","message":{"role":"user","content":"write the script"}}"#,
            #"{"type":"user","uuid":"\#(id)-u2","cwd":"/repo","timestamp":"2026-03-01T10:05:00.000Z","message":{"role":"user","content":"\#(escaped)"}}"#,
        ]
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/\(id).jsonl")
        return try SessionEvents.read(path: dir + "/\(id).jsonl", id: id)
    }

    static let uncommitted = "# Running Quality Checks...\n\n# Uncommitted Changes Detected\n\nCannot exit with unstaged changes.\n\nBefore stopping, please:\n1. Run `git status` to check for files that should be gitignored"

    @Test func aRuleTheHooksGaveInTwoSessionsIsKeptOnceIsNot() throws {
        let dir = TestSupport.makeTempDir("hooks")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try session("a", feedback: Self.uncommitted, in: dir)
        #expect(a.events.contains { if case .hook = $0.kind { return true } else { return false } }, "the reader must give a hook event")
        let b = try session("b", feedback: Self.uncommitted, in: dir)
        let twice = HeuristicExtractor().extract([a, b], normalize: { $0 })
        #expect(twice.kept.map(\.text).contains("The project's Stop hook enforces: Cannot exit with unstaged changes."), "\(twice.kept.map(\.text))")
        let once = HeuristicExtractor().extract([a], normalize: { $0 })
        #expect(!once.kept.contains { $0.source == .hook })
        #expect(once.dropped.contains { $0.learning.source == .hook && $0.reason.contains("once") })
    }

    @Test func questionsPathsAndPlainTextAreNotRules() {
        #expect(HookRules.rule("Have you run the tests?") == nil)
        #expect(HookRules.rule("Cannot exit with untracked files: src/__pycache__/x.pyc") == nil)
        #expect(HookRules.rule("Running Quality Checks...") == nil)
        #expect(HookRules.rule("Provide a clear, concise summary of what you did.") == nil)
        #expect(HookRules.rule("Do not edit files under generated, run the generator instead") == "Do not edit files under generated, run the generator instead.")
        #expect(HookRules.split("PreToolUse:Bash hook error: [./check.sh]: Never push to main.").0 == "PreToolUse hook")
    }
}

@Suite("Commands given to subagents")
struct SubagentCommandsTests {
    func session(_ id: String, prompt: String, result: String, isError: Bool, in dir: String) throws -> SessionEvents {
        let lines = [
            #"{"type":"user","uuid":"\#(id)-u1","cwd":"/repo","timestamp":"2026-03-01T10:00:00.000Z","message":{"role":"user","content":"add the parser"}}"#,
            #"{"type":"assistant","uuid":"\#(id)-a1","cwd":"/repo","message":{"id":"\#(id)-m1","role":"assistant","content":[{"type":"tool_use","id":"\#(id)-t1","name":"Task","input":{"description":"verify","subagent_type":"general-purpose","prompt":"\#(prompt)"}}]}}"#,
            #"{"type":"user","uuid":"\#(id)-r1","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"\#(id)-t1","content":"\#(result)","is_error":\#(isError)}]}}"#,
        ]
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/\(id).jsonl")
        return try SessionEvents.read(path: dir + "/\(id).jsonl", id: id)
    }

    @Test func aGateCommandASubagentRanWithoutFailureIsTheProjectsCheck() throws {
        let dir = TestSupport.makeTempDir("subagent")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ok = try session("a", prompt: "Run `make check` and fix what it reports, then summarise.", result: "All checks pass; fixed two lint warnings.",
                             isError: false, in: dir)
        #expect(ok.events.contains { if case .tool(let c) = $0.kind { return c.subagentPrompt != nil } else { return false } })
        let r = HeuristicExtractor().extract([ok], normalize: { $0 })
        #expect(r.kept.map(\.text).contains("Check changes with `make check`."), "\(r.kept.map(\.text))")
        // A subagent that failed proves nothing about the command.
        let failed = try session("b", prompt: "Run `make check` and fix what it reports.", result: "Error: the agent stopped", isError: true, in: dir)
        #expect(!HeuristicExtractor().extract([failed], normalize: { $0 }).kept.contains { $0.text.contains("make check") })
    }
}

@Suite("A masked failure that recurs")
struct MaskedRecurringFailureTests {
    func session(_ id: String, in dir: String) throws -> SessionEvents {
        // Exit 0 (`|| true` hid it), but the output says it failed: a soft failure.
        let lines = [
            #"{"type":"user","uuid":"\#(id)-u1","cwd":"/repo","timestamp":"2026-03-01T10:00:00.000Z","message":{"role":"user","content":"type-check the module"}}"#,
            #"{"type":"assistant","uuid":"\#(id)-a1","cwd":"/repo","message":{"id":"\#(id)-m1","role":"assistant","content":[{"type":"tool_use","id":"\#(id)-t1","name":"Bash","input":{"command":"uv run ty check src/app.py || true"}}]}}"#,
            #"{"type":"user","uuid":"\#(id)-r1","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"\#(id)-t1","content":"error: Failed to spawn: `ty`\n  Caused by: No such file or directory (os error 2)","is_error":false}]}}"#,
        ]
        TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/\(id).jsonl")
        return try SessionEvents.read(path: dir + "/\(id).jsonl", id: id)
    }

    @Test func isAGotchaOnceItRecursInThreeSessions() throws {
        let dir = TestSupport.makeTempDir("masked")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sessions = try ["a", "b", "c"].map { try session($0, in: dir) }
        let soft = sessions[0].events.contains { if case .tool(let c) = $0.kind { return c.isSoftFailure && c.hidesStatus } else { return false } }
        #expect(soft, "the reader must flag the hidden failure")
        let r = HeuristicExtractor().extract(sessions, normalize: { $0 })
        let recurring = r.kept.filter { $0.source == .recurringFailure }
        #expect(recurring.count == 1, "\(r.kept.map(\.text)) / \(r.dropped.map { $0.learning.text + ": " + $0.reason })")
        #expect(recurring.first?.text.contains("`ty`") == true && recurring.first?.text.contains("(3 sessions)") == true)
        // One and the same command: two sessions are enough; one is not.
        #expect(HeuristicExtractor().extract(Array(sessions.prefix(2)), normalize: { $0 }).kept.contains { $0.source == .recurringFailure })
        #expect(!HeuristicExtractor().extract(Array(sessions.prefix(1)), normalize: { $0 }).kept.contains { $0.source == .recurringFailure })
    }
}
