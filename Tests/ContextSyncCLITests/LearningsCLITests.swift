import ContextSyncCore
import Foundation
import Testing

@Suite struct LearningsCLITests {
    /// A repository with one settled session: `python3` fails, `uv run python` works, a test
    /// command succeeds twice (in one session: not yet a template), and a token is pasted into a prompt.
    struct Sandbox {
        let dir = CLI.tempDir()
        var repo: String { dir + "/repo" }
        var env: [String: String] {
            ["HOME": dir, "XDG_CONFIG_HOME": dir + "/config", "XDG_STATE_HOME": dir + "/state", "XDG_CACHE_HOME": dir + "/cache",
             "CLAUDE_CONFIG_DIR": dir + "/claude", "CONTEXT_SYNC_MACHINE": "testbox"]
        }
        static let token = "gh" + "p_" + String(repeating: "Zq8Lm2Xw4Rt6", count: 3)

        init() throws {
            try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
            try CLI.git(["init", "-q", "-b", "main"], in: repo)
            try CLI.git(["commit", "-q", "--allow-empty", "-m", "init"], in: repo)
            func call(_ n: Int, _ cmd: String, ok: Bool, _ out: String) -> String {
                #"{"type":"assistant","uuid":"a\#(n)","cwd":"\#(repo)","message":{"id":"m\#(n)","role":"assistant","content":[{"type":"tool_use","id":"t\#(n)","name":"Bash","input":{"command":"\#(cmd)"}}]}}"#
                    + "\n" + #"{"type":"user","uuid":"r\#(n)","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t\#(n)","content":"\#(out)","is_error":\#(!ok)}]}}"#
            }
            var lines = [#"{"type":"user","uuid":"u0","cwd":"\#(repo)","timestamp":"2026-03-01T10:00:00.000Z","message":{"role":"user","content":"load the data with token \#(Self.token) please"}}"#]
            lines.append(call(1, "python3 \(repo)/scripts/load.py", ok: false, "bash: python3: command not found"))
            lines.append(call(2, "uv run python \(repo)/scripts/load.py", ok: true, "loaded"))
            lines.append(call(3, "uv run pytest", ok: true, "3 passed"))
            lines.append(call(4, "uv run pytest", ok: true, "3 passed"))
            let folder = dir + "/claude/projects/" + ProjectFolderName.encode(repo)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = folder + "/bbbbbbbb-0000-0000-0000-000000000002.jsonl"
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: path)
        }
    }

    @Test func digestIsRepoRelativeAndRedacted() throws {
        let s = try Sandbox()
        let r = try CLI.run(["digest", "--project", s.repo], env: s.env)
        #expect(r.status == 0)
        #expect(r.stdout.contains("TOOL Bash(python3 scripts/load.py) -> ERROR(command not found): bash: python3: command not found"))
        #expect(r.stdout.contains("TOOL Bash(uv run python scripts/load.py) -> OK"))
        #expect(!r.stdout.contains(Sandbox.token))
        #expect(!r.stdout.contains(s.repo))
        let json = try JSONParser.parse(try CLI.run(["digest", "--json", "--project", s.repo], env: s.env).stdout)
        #expect(json["sessions"]?.array?.first?["events"]?.array?.count == 5)
    }

    @Test func extractPrintsASectionForThisMachine() throws {
        let s = try Sandbox()
        let r = try CLI.run(["extract", "--project", s.repo, "--verbose"], env: s.env)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("## "))
        #expect(r.stdout.contains("(testbox)"))
        #expect(r.stdout.contains("- Use `uv run python`, not `python3`"))
        // Seen working in this one session only, and not defined by the repository: not a template.
        #expect(!r.stdout.contains("uv run pytest"))
        #expect(r.stderr.contains("kept [failure-fix"))
        #expect(r.stderr.contains(": failed, then worked with another launcher"))
        #expect(r.stderr.contains("dropped (seen working in one session only and not defined by the repository)"))
        // Already in learnings.md: not proposed again.
        try FileManager.default.createDirectory(atPath: s.repo + "/.claude", withIntermediateDirectories: true)
        try Data("# Learnings\n\n## 2026-01-01 (vm)\n\n- Use `uv run python`, not `python3` (e.g. `uv run python scripts/load.py`; `python3` fails with command not found)\n".utf8)
            .write(to: URL(fileURLWithPath: s.repo + "/.claude/learnings.md"))
        let again = try CLI.run(["extract", "--project", s.repo, "--verbose"], env: s.env)
        #expect(again.stdout == "No new learnings.\n")
        #expect(again.stderr.contains("already in learnings.md"))
    }

    @Test func externalExtractorFromConfigAndItsFailures() throws {
        let s = try Sandbox()
        let script = s.dir + "/llm.sh"
        try Data("#!/bin/sh\ncat > \(s.dir)/seen.txt\necho '- Data loads with `uv run python scripts/load.py`.'\n".utf8)
            .write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
        try FileManager.default.createDirectory(atPath: s.dir + "/config/context-sync", withIntermediateDirectories: true)
        try Data("[extractor]\nkind = \"command\"\ncommand = \"\(script)\"\n".utf8)
            .write(to: URL(fileURLWithPath: s.dir + "/config/context-sync/config.toml"))
        let r = try CLI.run(["extract", "--project", s.repo], env: s.env)
        #expect(r.status == 0)
        #expect(r.stdout.contains("- Data loads with `uv run python scripts/load.py`."))
        let seen = try String(contentsOfFile: s.dir + "/seen.txt", encoding: .utf8)
        #expect(seen.contains("What would future-you wish you knew"))
        #expect(!seen.contains(Sandbox.token))
        let failing = try CLI.run(["extract", "--project", s.repo, "--extractor", "command", "--extractor-command", "exit 7"], env: s.env)
        #expect(failing.status == 2)
        #expect(failing.stderr.contains("extractor command failed with exit code 7"))
        let missing = try CLI.run(["extract", "--project", s.repo, "--extractor", "command"], env: s.env)
        #expect(missing.status == 2)
    }
}
