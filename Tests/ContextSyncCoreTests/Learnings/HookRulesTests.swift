import Foundation
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
