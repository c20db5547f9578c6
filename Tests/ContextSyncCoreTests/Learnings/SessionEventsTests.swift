import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// The events that carry lessons: masked failures, the right error line, rejections with a
/// reason, queued prompts, hook rules, subagents, plan documents; on crafted and real sessions.
@Suite struct SessionEventsTests {
    typealias Script = HeuristicExtractorTests.Script

    static func calls(_ e: SessionEvents) -> [SessionEvent.ToolCall] {
        e.events.compactMap { if case .tool(let c) = $0.kind { return c } else { return nil } }
    }

    static func render(_ e: SessionEvents) -> String { Digest(sessions: [e], normalize: { $0 }, redact: { $0 }).renderedText() }

    @Test func outputThatStatesAFailureIsASoftFailureWeightedWhenTheStatusWasHidden() throws {
        var s = Script()
        s.user("sync it")
        s.bash("wakil sync --fast || true", ok: true, output: "Usage: wakil sync [OPTIONS]\nError: No such option: --fast")
        s.bash("curl -s localhost:8080/api 2>/dev/null", ok: true, output: #"{"success": false, "error": "token expired"}"#)
        s.bash("make test", ok: true, output: "All 12 tests passed")
        let e = try s.events()
        let c = Self.calls(e)
        #expect(c[0].outcome == .error(.other, "Error: No such option: --fast") || c[0].outcome?.isError == true)
        #expect(c[0].isSoftFailure && c[0].hidesStatus)
        #expect(c[1].isSoftFailure && c[1].outcome?.isError == true)
        #expect(c[2].outcome == .ok && !c[2].isSoftFailure)
        let text = Self.render(e)
        #expect(text.contains("TOOL Bash(wakil sync --fast || true) -> FAILED (exit 0, status hidden)"))
        #expect(text.contains("Error: No such option: --fast"))
    }

    @Test func theErrorLineIsTheOneWithTheStrongestSignalWithOneLineOfContext() throws {
        let progress = "Resolving dependencies...\nDownloading 12 packages\n[FAIL] tests/test_api.py::test_login - 401 Unauthorized\n3 passed, 1 failed"
        #expect(ToolOutputReading.errorLine(progress).line == "[FAIL] tests/test_api.py::test_login - 401 Unauthorized")
        #expect(ToolOutputReading.errorLine(progress).context == "3 passed, 1 failed")
        let gitleaks = "\u{1B}[1;33mRunning gitleaks scan...\u{1B}[0m\n    ○\n    │╲\nFinding:     **IP:** REDACTED\nsecret=[REDACTED]      hardcoded-ip\nFile: docs/net.md"
        #expect(ToolOutputReading.errorLine(gitleaks).line == "Finding:     **IP:** REDACTED")
        #expect(ToolOutputReading.errorLine(gitleaks).context == "secret=[REDACTED]      hardcoded-ip")
        let traceback = "Traceback (most recent call last):\n  File \"load.py\", line 9, in <module>\n    row['price']\nKeyError: 'price'"
        #expect(ToolOutputReading.errorLine(traceback).line == "KeyError: 'price'")
        #expect(ToolOutputReading.errorLine(traceback).context == "row['price']")
        #expect(ToolOutputReading.errorLine("Exit code 1\nnpm warn old lockfile\nnpm ERR! missing script: lint").line == "npm ERR! missing script: lint")
    }

    @Test func failuresOfEveryToolAreKeptWithWhatCameNext() throws {
        var s = Script()
        s.user("edit the config")
        s.tool("Read", ["file_path": "/work/app/conf/app.toml"], ok: false, output: "<tool_use_error>Path does not exist: /work/app/conf/app.toml</tool_use_error>")
        s.tool("Glob", ["pattern": "**/*.toml"], ok: true)
        let text = Self.render(try s.events())
        #expect(text.contains("TOOL Read(/work/app/conf/app.toml) -> ERROR(file not found): Path does not exist: /work/app/conf/app.toml"))
        #expect(text.contains("[2] TOOL Glob(**/*.toml) -> OK"), "the action after a failure is not folded away")
    }

    @Test func aRejectedCallKeepsTheUsersReason() throws {
        var s = Script()
        s.user("install deps")
        let rejection = "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). To tell you how to proceed, the user said:\nuse pnpm, never npm, in this repo\n\nNote: The user's next message may contain a correction or preference."
        s.bash("npm install", ok: false, output: rejection)
        let e = try s.events()
        #expect(Self.calls(e)[0].rejectionReason == "use pnpm, never npm, in this repo")
        #expect(Self.render(e).contains("TOOL Bash(npm install) -> REJECTED by the user, who said: use pnpm, never npm, in this repo\n"))
    }

    @Test func promptsTypedWhileClaudeWorksAreUserInputOnce() throws {
        var s = Script()
        s.user("refactor the loader")
        s.raw(#"{"type":"queue-operation","operation":"enqueue","content":"also keep the old flag working"}"#)
        s.raw(#"{"type":"queue-operation","operation":"remove"}"#)
        s.raw(#"{"type":"attachment","uuid":"q1","attachment":{"type":"queued_command","prompt":"also keep the old flag working","commandMode":"prompt"}}"#)
        s.raw(#"{"type":"attachment","uuid":"q2","attachment":{"type":"queued_command","prompt":"<task-notification>\n<status>done</status>\n</task-notification>","commandMode":"task-notification"}}"#)
        s.raw(#"{"type":"queue-operation","operation":"enqueue","content":"then run the tests"}"#)
        s.raw(#"{"type":"queue-operation","operation":"dequeue"}"#)
        s.user("then run the tests")
        let e = try s.events()
        let queued = e.events.compactMap { if case .queuedPrompt(let t) = $0.kind { return t } else { return nil } }
        #expect(queued == ["also keep the old flag working"])
        #expect(Self.render(e).contains("USER (typed while Claude worked): also keep the old flag working"))
    }

    @Test func queuedPromptsOnARealSessionAreKept() throws {
        let path = SharedFixtures.path("ebridges__wakil/8dac3fcf-75a5-4c9b-b5af-a2a494952727.jsonl")
        let e = try SessionEvents.read(path: path, id: "8dac3fcf")
        let queued = e.events.compactMap { if case .queuedPrompt(let t) = $0.kind { return t } else { return nil } }
        #expect(queued.contains { $0.hasPrefix("Also, the commit logic is not using the conventional commit conventions.") })
        // A prompt recorded by its first line and queued whole is one prompt, whole.
        let other = try SessionEvents.read(path: SharedFixtures.path("ebridges__wakil/3c8213ca-416c-4339-8c04-706fb27a15cf.jsonl"), id: "3c8213ca")
        guard case .user(let first)? = other.events.first?.kind else { Issue.record("no prompt first"); return }
        #expect(first.hasSuffix("src/wakil/skills/entity-resolve"))
        #expect(!other.events.contains { if case .queuedPrompt(let t) = $0.kind { return t.hasPrefix("compare the these skills") } else { return false } })
    }

    @Test func hookFeedbackIsKeptOncePerDistinctText() throws {
        var s = Script()
        s.user("finish up")
        for _ in 0..<3 {
            s.raw(#"{"type":"user","uuid":"h\#(s.next())","message":{"role":"user","content":[{"type":"text","text":"Stop hook feedback:\nRun `make lint` before stopping."}]}}"#)
        }
        s.raw(#"{"type":"attachment","uuid":"ha","attachment":{"type":"hook_additional_context","hookName":"PreToolUse:Bash","content":["Before this commit finalizes: update docs/DEVELOPMENT.md."]}}"#)
        s.raw(#"{"type":"attachment","uuid":"hb","attachment":{"type":"hook_additional_context","hookName":"SessionStart","content":["generic plugin boilerplate"]}}"#)
        let e = try s.events()
        let hooks = e.events.compactMap { if case .hook(let t) = $0.kind { return t } else { return nil } }
        #expect(hooks == ["Stop hook feedback:\nRun `make lint` before stopping.", "PreToolUse:Bash: Before this commit finalizes: update docs/DEVELOPMENT.md."])
        #expect(Self.render(e).contains("HOOK: Stop hook feedback: Run `make lint` before stopping."))
    }

    @Test func stopHookFeedbackOnARealSession() throws {
        let path = TestSupport.fixture("DRMacIver__claude-reliability/stop-hook-uncommitted-changes/transcript.jsonl")
        let e = try SessionEvents.read(path: path, id: "t")
        #expect(e.events.contains { if case .hook(let t) = $0.kind { return t.hasPrefix("Stop hook feedback:") } else { return false } })
    }

    @Test func subagentPromptsResultsAndFailuresInBothLayouts() throws {
        // New layout: <session>/subagents/agent-<id>.jsonl, matched by the call's agentId.
        let spotter = try SessionEvents.read(path: TestSupport.fixture("marot__spotter/4d5611e5-241a-462a-8d15-5122611a9569.jsonl"), id: "4d5611e5")
        let task = try #require(Self.calls(spotter).first { $0.isSubagent })
        #expect(task.subagentPrompt?.hasPrefix("Very thorough exploration.") == true)
        #expect(task.subagentFailures.contains { $0.contains("File does not exist") })
        #expect(task.subagentResult?.isEmpty == false)
        // Old layout: sidechain records inline in the main file.
        let viewer = try SessionEvents.read(path: TestSupport.fixture("d-kimuson__claude-code-viewer/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl"), id: "fe5e1c67")
        let failures = Self.calls(viewer).filter(\.isSubagent).flatMap(\.subagentFailures)
        #expect(failures.contains { $0.contains("No such file or directory") })
        #expect(!failures.contains { $0.contains("File has not been read yet") }, "tool mechanics are not lessons")
    }

    @Test func asyncLaunchAcknowledgementsAreDroppedAndTheLaterResultKept() throws {
        let path = SharedFixtures.path("ebridges__wakil/537e8445-cdbd-48e2-a4af-f1a8fdfa7b4b.jsonl")
        let e = try SessionEvents.read(path: path, id: "537e8445")
        let agents = Self.calls(e).filter(\.isSubagent)
        #expect(!agents.isEmpty)
        #expect(!agents.contains { $0.subagentResult?.contains("Async agent launched") == true })
        #expect(agents.first?.subagentResult?.hasPrefix("I have gathered a thorough map of the codebase.") == true)
    }

    @Test func backgroundCommandsFetchedLaterFailOnTheirExitCode() throws {
        var s = Script()
        s.user("run the suite in the background")
        s.tool("TaskOutput", ["task_id": "b1"], ok: true, output: "<retrieval_status>success</retrieval_status>\n<task_id>b1</task_id>\n<task_type>local_bash</task_type>\n<status>completed</status>\n<exit_code>2</exit_code>\n<output>\ncollecting\nERROR: file or directory not found: tests/e2e\n</output>")
        s.tool("TaskOutput", ["task_id": "b2"], ok: true, output: "<retrieval_status>success</retrieval_status>\n<task_type>local_bash</task_type>\n<status>completed</status>\n<exit_code>0</exit_code>\n<output>\n12 passed\n</output>")
        let c = Self.calls(try s.events())
        guard case .error(_, let line)? = c[0].outcome else { Issue.record("exit code 2 is a failure"); return }
        #expect(line == "ERROR: file or directory not found: tests/e2e")
        #expect(c[1].outcome == .ok && c[1].subagentResult == "12 passed")
    }

    @Test func shellLikeToolsCountLikeBash() {
        for name in ["Bash", "PowerShell", "mcp__shell__bash", "mcp__plugin_context-mode_context-mode__ctx_execute", "mcp__box__exec"] {
            #expect(SessionEvent.ToolCall(id: "1", name: name, argument: "x").isBash, "\(name)")
        }
        for name in ["Read", "mcp__github__search_code", "mcp__plugin_context-mode_context-mode__ctx_search"] {
            #expect(!SessionEvent.ToolCall(id: "1", name: name, argument: "x").isBash, "\(name)")
        }
    }

    @Test func plansReadAtTheStartKeepTheirReasonsCapped() throws {
        var s = Script()
        s.user("implement the plan")
        let plan = "# Plan\n\n## Context\n\nUploads time out because the proxy buffers whole bodies; stream them instead.\n\n## Steps\n\n1. do things\n"
        let numbered = plan.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { "\($0.offset + 1)\t\($0.element)" }.joined(separator: "\n")
        s.tool("Read", ["file_path": "/work/app/docs/plans/uploads.md"], ok: true, output: numbered)
        let e = try s.events()
        #expect(Self.calls(e)[0].documentExcerpt == "Context: Uploads time out because the proxy buffers whole bodies; stream them instead.")
        #expect(Self.render(e).contains("DOCUMENT: Context: Uploads time out because the proxy buffers whole bodies"))
        let long = "## Why\n\n" + String(repeating: "because reasons ", count: 100)
        #expect(ToolOutputReading.documentExcerpt(long)!.count <= 600)
    }

    @Test func conclusionsAreKeptLongerThanOtherAssistantText() throws {
        var s = Script()
        s.user("review the module")
        s.assistant("Let me look. " + String(repeating: "x", count: 400))
        s.bash("grep -rn TODO src", ok: true)
        s.assistant("Review: " + String(repeating: "finding ", count: 150))
        s.user("thanks")
        let text = Self.render(try s.events())
        let lines = text.split(separator: "\n")
        let first = try #require(lines.first { $0.contains("Let me look.") })
        let conclusion = try #require(lines.first { $0.contains("Review: ") })
        #expect(first.count < 330)
        #expect(conclusion.count > 1_100 && conclusion.count < 1_520)
    }

    @Test func compactionsKeepTheirErrorsAndFixesInEitherHeadingStyle() {
        let markdown = "This session is being continued from a previous conversation.\n## 1. Primary Request and Intent\nsync\n## 4. Errors and Fixes\n- gitleaks flagged private IPs: allow-listed RFC1918\n## 5. Pending Tasks\nnone\n"
        #expect(CompactionSummary.sections(markdown).map(\.title) == ["Primary Request and Intent", "Errors and Fixes", "Pending Tasks"])
        #expect(Digest.compactionEssentials(markdown) == "Errors and Fixes: - gitleaks flagged private IPs: allow-listed RFC1918")
        let plain = "This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\nAnalysis: long\nSummary: the deploy needs `make up` first"
        #expect(Digest.compactionEssentials(plain) == "the deploy needs `make up` first")
    }

    @Test func anAPIErrorIsNoTitle() throws {
        var s = Script()
        s.raw(#"{"type":"summary","summary":"API Error: 401 {\"type\":\"error\"}","leafUuid":"x"}"#)
        s.user("hello")
        #expect(try s.events().title == nil)
    }

    @Test(arguments: GoldenExtractionTests.sessions)
    func summariesAndEventsAgreeOnTitleTimestampsAndBranch(_ path: String) throws {
        let id = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let summary = try SessionSummary.read(path: path, id: id)
        let events = try SessionEvents.read(path: path, id: id)
        #expect(summary.title == events.title)
        #expect(summary.firstTimestamp == events.firstTimestamp)
        #expect(summary.lastTimestamp == events.lastTimestamp)
        #expect(summary.branch == events.branch)
        #expect(summary.cwd == events.cwd)
    }
}

/// The transcripts in ../shared/fixtures (beside the package, in CI too), read in place.
enum SharedFixtures {
    static let root = TestSupport.packageRoot + "/../shared/fixtures/claude-transcripts"

    static func path(_ relative: String) -> String {
        let p = root + "/" + relative
        precondition(FileManager.default.fileExists(atPath: p), "missing shared fixture \(p): the tests expect ../shared beside the package")
        return p
    }
}
