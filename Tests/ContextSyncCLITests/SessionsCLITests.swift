import ContextSyncCore
import ContextSyncTestSupport
import Foundation
import Testing

@Suite struct SessionsCLITests {
    /// An isolated HOME/XDG sandbox with a repository and a Claude root holding one session of it.
    struct Sandbox {
        let dir = CLI.tempDir()
        var repo: String { dir + "/repo" }
        var claude: String { dir + "/claude" }
        var env: [String: String] {
            TestSupport.sandboxEnvironment(dir)
        }

        init() throws {
            try FileManager.default.createDirectory(atPath: repo + "/sub", withIntermediateDirectories: true)
            try CLI.git(["init", "-q", "-b", "main"], in: repo)
            try CLI.git(["commit", "-q", "--allow-empty", "-m", "init"], in: repo)
            try CLI.git(["remote", "add", "origin", "https://example.com/team/app.git"], in: repo)
            let folder = claude + "/projects/" + ProjectFolderName.encode(repo)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let line = #"{"type":"user","cwd":"\#(repo)","sessionId":"s1","uuid":"u1","timestamp":"2026-01-01T00:00:00.000Z","message":{"role":"user","content":"hello"}}"#
            let path = folder + "/aaaaaaaa-0000-0000-0000-000000000001.jsonl"
            try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: path)
        }
    }

    @Test func versionAndHelpForEveryCommand() throws {
        let v = try CLI.run(["--version"])
        #expect(v.status == 0)
        #expect(v.stdout.hasPrefix("context-sync \(ContextSyncVersion.string)"))
        let root = try CLI.run(["--help"])
        #expect(root.status == 0)
        #expect(root.stdout.contains("EXIT CODES"))
        for cmd in ["sessions", "projects"] {
            let h = try CLI.run([cmd, "--help"])
            #expect(h.status == 0)
            #expect(h.stdout.contains("EXAMPLES"))
            #expect(h.stdout.contains("--claude-dir"))
        }
    }

    @Test func sessionsFromASubdirectoryAsTextAndJSON() throws {
        let s = try Sandbox()
        let text = try CLI.run(["sessions"], env: s.env, cwd: s.repo + "/sub")
        #expect(text.status == 0)
        #expect(text.stdout.contains("Project:  example.com/team/app"))
        #expect(text.stdout.contains("new       aaaaaaaa-0000-0000-0000-000000000001"))
        let json = try CLI.run(["sessions", "--json", "--project", s.repo], env: s.env)
        #expect(json.status == 0)
        let v = try JSONParser.parse(json.stdout)
        #expect(v["project"]?["identity"]?["key"]?.string == "example.com/team/app")
        #expect(v["sessions"]?.array?.count == 1)
        #expect(v["sessions"]?.array?.first?["status"]?.string == "new")
        #expect(v["sessions"]?.array?.first?["counts"]?["humanPrompts"]?.number == 1)
    }

    @Test func notAGitRepositoryExitsTwoWithOneLine() throws {
        let s = try Sandbox()
        let plain = s.dir + "/plain"
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        let r = try CLI.run(["sessions", "--project", plain], env: s.env)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "context-sync: error: not a git repository: \(plain) (run inside a git checkout or pass --project PATH)\n")
    }

    @Test func badFlagsAndBadConfigAreUsageErrors() throws {
        let s = try Sandbox()
        let neg = try CLI.run(["sessions", "--project", s.repo, "--settle", "-1"], env: s.env)
        #expect(neg.status == 2)
        let unknown = try CLI.run(["sessions", "--bogus"], env: s.env)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--bogus"))
        let missingRoot = try CLI.run(["projects", "--claude-dir", s.dir + "/nope"], env: s.env)
        #expect(missingRoot.status == 2)
        #expect(missingRoot.stderr.contains("check --claude-dir"))
        let cfg = s.dir + "/config/context-sync/config.toml"
        try FileManager.default.createDirectory(atPath: s.dir + "/config/context-sync", withIntermediateDirectories: true)
        try Data("settle_minutes = [\n".utf8).write(to: URL(fileURLWithPath: cfg))
        let bad = try CLI.run(["sessions", "--project", s.repo], env: s.env)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("context-sync: error: \(cfg):"))
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }

    @Test func projectsListsTheRepositoryAndJSONIsParseable() throws {
        let s = try Sandbox()
        let text = try CLI.run(["projects"], env: s.env)
        #expect(text.status == 0)
        #expect(text.stdout.contains("example.com/team/app  [remote]  1 session"))
        let json = try CLI.run(["projects", "--json"], env: s.env)
        let v = try JSONParser.parse(json.stdout)
        #expect(v["projects"]?.array?.first?["topLevel"]?.string == s.repo)
    }

    @Test func anEmptyMachineSaysSo() throws {
        let dir = CLI.tempDir()
        let r = try CLI.run(["projects"], env: ["HOME": dir, "CLAUDE_CONFIG_DIR": dir + "/none", "XDG_CACHE_HOME": dir + "/c"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("No Claude Code sessions found."))
    }
}
