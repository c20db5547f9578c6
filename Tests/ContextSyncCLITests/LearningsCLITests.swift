import ContextSyncCore
import ContextSyncTestSupport
import Foundation
import Testing

@Suite struct LearningsCLITests {
    /// A repository with one settled session: `python3` fails, `uv run python` works, a test
    /// command succeeds twice (in one session: not yet a template), and a token is pasted into a prompt.
    struct Sandbox {
        let dir = CLI.tempDir()
        var repo: String { dir + "/repo" }
        var env: [String: String] {
            TestSupport.sandboxEnvironment(dir).merging(["CONTEXT_SYNC_MACHINE": "testbox"]) { $1 }
        }
        static let token = "gh" + "p_" + String(repeating: "Zq8Lm2Xw4Rt6", count: 3)

        init() throws {
            try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
            try CLI.git(["init", "-q", "-b", "main"], in: repo)
            try CLI.git(["commit", "-q", "--allow-empty", "-m", "init"], in: repo)
            var script = TranscriptScript(cwd: repo)
            script.user("load the data with token \(Self.token) please", timestamp: "2026-03-01T10:00:00.000Z")
            script.bash("python3 \(repo)/scripts/load.py", ok: false, output: "bash: python3: command not found")
            script.bash("uv run python \(repo)/scripts/load.py", ok: true, output: "loaded")
            script.bash("uv run pytest", ok: true, output: "3 passed")
            script.bash("uv run pytest", ok: true, output: "3 passed")
            script.write(to: dir + "/claude/projects/" + ProjectFolderName.encode(repo) + "/bbbbbbbb-0000-0000-0000-000000000002.jsonl",
                         ageSeconds: 7200)
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
