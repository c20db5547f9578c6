import ContextSyncCore
import Foundation
import Testing

/// Every unattended entry point applies the opt-in rule of `run --all`: the SessionEnd hook that
/// `install claude-hook` writes and the pre-push harvest run `run --if-opted-in`.
@Suite struct OptInCLITests {
    typealias Sandbox = RunCLITests.Sandbox

    /// Runs the hook's command line as Claude Code runs a hook, `sh -c` in the project directory,
    /// except in the foreground (its `&` becomes `;`) so that the test knows when it is done.
    static func runHook(_ command: String, in cwd: String, env: [String: String]) -> CLIProcess.Result {
        let foreground = command.replacingOccurrences(of: " & # installed by context-sync", with: " ; # installed by context-sync")
        #expect(foreground != command, "the hook runs in the background: \(command)")
        return CLIProcess.run(["/bin/sh", "-c", foreground], env: ProcessInfo.processInfo.environment.merging(env) { $1 }, cwd: cwd)
    }

    static func head(_ repo: String) throws -> String { try CLI.gitOutput(["rev-parse", "HEAD"], in: repo) }

    /// The command `install claude-hook` put into settings.json.
    static func installedSessionEndCommand(_ s: Sandbox) throws -> String {
        let install = try CLI.run(["install", "claude-hook", "--binary", CLI.binary], env: s.env)
        #expect(install.status == 0, "\(install.stderr)")
        let settings = try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: s.dir + "/claude/settings.json"))))
        let command = settings["hooks"]?["SessionEnd"]?.array?.first?["hooks"]?.array?.first?["command"]?.string
        return try #require(command)
    }

    @Test func sessionEndHookDoesNothingInARepositoryThatIsNotOptedIn() throws {
        let s = try Sandbox()
        let command = try Self.installedSessionEndCommand(s)
        #expect(command.contains(" run --if-opted-in "))
        let before = try Self.head(s.repo)
        let statePath = s.dir + "/state/context-sync/projects"

        let r = Self.runHook(command, in: s.repo, env: s.env)
        #expect(r.status == 0)
        #expect(try Self.head(s.repo) == before, "nothing committed")
        #expect(s.read(".claude/learnings.md") == nil, "nothing written")
        #expect(try CLI.gitOutput(["rev-parse", "main"], in: s.remote) == before, "nothing pushed")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: statePath)) ?? [] == [], "a skipped run does not opt the repository in")
        #expect(try s.sessionStatuses() == ["new"])

        // Excluded wins even over an existing learnings.md.
        try FileManager.default.createDirectory(atPath: s.repo + "/.claude", withIntermediateDirectories: true)
        try Data("# Learnings\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/.claude/learnings.md"))
        try CLI.git(["add", ".claude/learnings.md"], in: s.repo)
        try CLI.git(["commit", "-q", "-m", "learnings"], in: s.repo)
        try CLI.git(["push", "-q", "origin", "main"], in: s.repo)
        let withFile = try Self.head(s.repo)
        try s.writeConfig("[projects]\nexclude = [\"\(s.dir)/*\"]\n")
        #expect(Self.runHook(command, in: s.repo, env: s.env).status == 0)
        #expect(try Self.head(s.repo) == withFile)
        #expect(s.read(".claude/learnings.md") == "# Learnings\n")

        // Opted in (learnings.md, no exclusion): the same hook commits and pushes.
        try s.writeConfig("")
        #expect(Self.runHook(command, in: s.repo, env: s.env).status == 0)
        #expect(try Self.head(s.repo) != withFile)
        #expect(s.read(".claude/learnings.md")?.contains("uv run python") == true)
        #expect(try CLI.gitOutput(["rev-parse", "main"], in: s.remote) == (try Self.head(s.repo)))
    }

    @Test func doctorWarnsAboutASessionEndHookThatIgnoresOptIn() throws {
        let s = try Sandbox()
        func hookLine() throws -> String? {
            let d = try CLI.run(["doctor", "--project", s.repo], env: s.env)
            return d.stdout.split(separator: "\n").map(String.init).first { $0.contains("claude hook:") }
        }
        #expect(try hookLine() == nil, "not installed: not listed")
        // What `install claude-hook` of an earlier version wrote.
        let old = "nohup \(CLI.binary) run --quiet --settle 0 </dev/null >/dev/null 2>&1 & # installed by context-sync"
        try FileManager.default.createDirectory(atPath: s.dir + "/claude", withIntermediateDirectories: true)
        let settings = #"{"hooks": {"SessionEnd": [{"hooks": [{"type": "command", "command": "\#(old)"}]}]}}"#
        try Data(settings.utf8).write(to: URL(fileURLWithPath: s.dir + "/claude/settings.json"))
        let outdated = try #require(try hookLine())
        #expect(outdated.hasPrefix("WARN"), "\(outdated)")
        #expect(outdated.contains("installed by an older version") && outdated.contains("context-sync install claude-hook"))
        // Installing again updates it in place.
        let install = try CLI.run(["install", "claude-hook", "--binary", CLI.binary], env: s.env)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(try Self.installedSessionEndCommand(s).contains(" run --if-opted-in "))
        #expect(try hookLine()?.hasPrefix("OK") == true)
    }

    @Test func ifOptedInSkipsWithOneLineAndExitZero() throws {
        let s = try Sandbox()
        let before = try Self.head(s.repo)
        let r = try CLI.run(["run", "--if-opted-in", "--project", s.repo], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "~/repo: skipped: not opted in (run context-sync there once, or add it to [projects] include)\n")
        #expect(r.stderr.isEmpty)
        let quiet = try CLI.run(["run", "--if-opted-in", "--quiet", "--project", s.repo], env: s.env)
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        let json = try CLI.run(["run", "--if-opted-in", "--json", "--project", s.repo], env: s.env)
        #expect(try JSONParser.parse(json.stdout)["result"]?.string == "skipped")
        #expect(try Self.head(s.repo) == before)

        // Not a repository at all (a session ended in ~): skipped too, not an error.
        let plain = s.dir + "/plain"
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        let outside = try CLI.run(["run", "--if-opted-in", "--project", plain], env: s.env)
        #expect(outside.status == 0, "\(outside.stderr)")
        #expect(outside.stdout.contains("skipped: not a git repository"))

        // Included by a glob: it runs.
        try s.writeConfig("[projects]\ninclude = [\"\(s.dir)/*\"]\n")
        let included = try CLI.run(["run", "--if-opted-in", "--project", s.repo], env: s.env)
        #expect(included.status == 0, "\(included.stderr)")
        #expect(included.stdout.contains("added 1 learning"))
        // A run by hand (without the flag) still works anywhere and opts the repository in.
        let other = s.dir + "/other"
        try CLI.git(["init", "-q", "-b", "main", other], in: s.dir)
        try CLI.git(["commit", "-q", "--allow-empty", "-m", "init"], in: other)
        try s.addSession(for: other, id: "cccccccc-0000-0000-0000-0000000000a1")
        try s.writeConfig("")
        #expect(try CLI.run(["run", "--if-opted-in", "--no-push", "--project", other], env: s.env).stdout.contains("skipped"))
        #expect(try CLI.run(["run", "--dry-run", "--project", other], env: s.env).stdout.contains("would add"))
        let byHand = try CLI.run(["digest", "--project", other], env: s.env)
        #expect(byHand.status == 0)
        let after = try CLI.run(["run", "--if-opted-in", "--no-push", "--project", other], env: s.env)
        #expect(!after.stdout.contains("skipped"), "\(after.stdout)")
    }

    @Test func prePushHarvestDoesNotCommitInARepositoryThatIsNotOptedIn() throws {
        let s = try Sandbox()
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CONTEXT_SYNC_") && !$0.key.hasPrefix("GIT_") }
        env.merge(s.env) { $1 }
        env["CONTEXT_SYNC_ACTIVE"] = nil
        // The push waits for the harvest, so its effect (or none) is there when the push returns;
        // HookCLITests covers the background harvest.
        env["CONTEXT_SYNC_HOOK_WAIT"] = "1"
        for (k, v) in ["GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "T",
                       "GIT_COMMITTER_EMAIL": "t@example.invalid"] { env[k] = v }
        func git(_ args: [String]) -> CLIProcess.Result { CLIProcess.run(["/usr/bin/env", "git"] + args, env: env, cwd: s.repo) }
        let install = CLIProcess.run([CLI.binary, "install", "hook"], env: env, cwd: s.repo)
        #expect(install.status == 0, "\(install.stderr)")

        try Data("x\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/a.txt"))
        #expect(git(["add", "a.txt"]).status == 0)
        #expect(git(["commit", "-q", "-m", "a"]).status == 0)
        let pushed = try Self.head(s.repo)
        let push = git(["push", "-q", "origin", "main"])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(try Self.head(s.repo) == pushed, "the harvest committed nothing")
        #expect(s.read(".claude/learnings.md") == nil)

        // Opted in by a glob: the same push harvests into a local commit.
        try s.writeConfig("[projects]\ninclude = [\"\(s.dir)/*\"]\n")
        try Data("y\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/a.txt"))
        #expect(git(["commit", "-q", "-am", "b"]).status == 0)
        let second = try Self.head(s.repo)
        #expect(git(["push", "-q", "origin", "main"]).status == 0)
        #expect(try Self.head(s.repo) != second, "harvested into a local commit")
        #expect(s.read(".claude/learnings.md")?.contains("uv run python") == true)
    }
}
