#if canImport(Glibc)
import Glibc
#endif
import ContextSyncCore
import Foundation
import Testing

/// Bad input gets one clear line: config keys, unusable config and state files, warnings that
/// are warnings, a remote path that does not exist, a missing Claude directory.
@Suite struct BadInputCLITests {
    typealias Sandbox = RunCLITests.Sandbox

    var configPath: (Sandbox) -> String { { $0.dir + "/config/context-sync/config.toml" } }

    /// Runs the binary as an unprivileged user, so that a file without read permission cannot be
    /// read (root reads anything): as `nobody` through setpriv when the tests run as root, with
    /// the sandbox handed to that user, else as the current user.
    static func runUnprivileged(_ args: [String], _ s: Sandbox, cwd: String? = nil) throws -> CLIProcess.Result {
        var argv = [CLI.binary] + args
        if getuid() == 0 {
            let chown = CLIProcess.run(["/bin/chown", "-R", "65534:65534", s.dir], env: ProcessInfo.processInfo.environment)
            #expect(chown.status == 0, "\(chown.stderr)")
            argv = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + argv
        }
        return CLIProcess.run(argv, env: ProcessInfo.processInfo.environment.merging(s.env) { $1 }, cwd: cwd)
    }

    @Test func unknownConfigKeysWarnWithTheNearestValidKeyOnEveryCommand() throws {
        let s = try Sandbox()
        try s.writeConfig("machin = \"laptop\"\nsettle_minutes = 0\n[push]\natempts = 2\n[projects]\nincluded = []\n")
        let path = configPath(s)
        let expected = [
            "context-sync: warning: \(path): unknown key `machin` is ignored (did you mean `machine`?)",
            "context-sync: warning: \(path): unknown key `push.atempts` is ignored (did you mean `push.attempts`?)",
            "context-sync: warning: \(path): unknown key `projects.included` is ignored (did you mean `projects.include`?)",
        ]
        for args in [["sessions", "--project", s.repo], ["digest", "--project", s.repo, "--no-record"],
                     ["run", "--dry-run", "--project", s.repo], ["projects"], ["scan", s.repo]] {
            let r = try CLI.run(args, env: s.env)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            for line in expected { #expect(r.stderr.contains(line + "\n"), "\(args): \(r.stderr)") }
            #expect(!r.stdout.contains("unknown key"), "warnings go to stderr")
        }
        // The known keys still apply.
        #expect(try CLI.run(["sessions", "--project", s.repo, "--json"], env: s.env).stdout.contains("\"settleMinutes\": 0"))

        let doctor = try CLI.run(["doctor", "--project", s.repo], env: s.env)
        let line = try #require(doctor.stdout.split(separator: "\n").first { $0.contains("config:") })
        #expect(line.hasPrefix("WARN"), "\(line)")
        #expect(line.contains("unknown key `push.atempts` is ignored (did you mean `push.attempts`?)"))
        #expect(!doctor.stdout.contains("config.toml parses\n"))
    }

    @Test func anUnusableConfigIsAnErrorNotTheDefaults() throws {
        let s = try Sandbox()
        let path = configPath(s)
        // A NUL byte: everything after it would be ignored by the TOML parser.
        try s.writeConfig("machine = \"laptop\"\n\u{0}\n[projects]\nexclude = [\"/**\"]\n")
        let nul = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(nul.status == 2)
        #expect(nul.stderr == "context-sync: error: \(path):2: config file holds a NUL byte (fix or remove the file; it must be UTF-8 text)\n")
        #expect(s.read(".claude/learnings.md") == nil)

        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let dir = try CLI.run(["sessions", "--project", s.repo], env: s.env)
        #expect(dir.status == 2)
        #expect(dir.stderr == "context-sync: error: config file \(path) is a directory, not a file (fix or remove the file)\n")
        let doctor = try CLI.run(["doctor", "--project", s.repo], env: s.env)
        #expect(doctor.stdout.contains("FAIL config: config file \(path) is a directory"), "\(doctor.stdout)")
        try FileManager.default.removeItem(atPath: path)

        try s.writeConfig("machine = \"laptop\"\n")
        chmod(path, 0)
        let unreadable = try Self.runUnprivileged(["run", "--project", s.repo], s)
        #expect(unreadable.status == 2)
        #expect(unreadable.stderr.hasPrefix("context-sync: error: cannot read config file \(path): Permission denied (make it readable"), "\(unreadable.stderr)")
        #expect(s.read(".claude/learnings.md") == nil)
    }

    @Test func anUnusableStateFileIsAnErrorNamingIt() throws {
        let s = try Sandbox()
        #expect(try CLI.run(["digest", "--project", s.repo], env: s.env).status == 0)  // writes the state file
        let projects = s.dir + "/state/context-sync/projects"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: projects).first)
        let state = projects + "/" + name
        let saved = try Data(contentsOf: URL(fileURLWithPath: state))

        try Data("{\"garbage".utf8).write(to: URL(fileURLWithPath: state))
        let garbage = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(garbage.status == 2)
        #expect(garbage.stderr.contains("corrupt state file \(state)"))

        try FileManager.default.removeItem(atPath: state)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let dir = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(dir.status == 2)
        #expect(dir.stderr.contains("state file \(state) is a directory, not a file"), "\(dir.stderr)")
        #expect(s.read(".claude/learnings.md") == nil, "an unusable state is not an empty one")
        try FileManager.default.removeItem(atPath: state)

        try saved.write(to: URL(fileURLWithPath: state))
        chmod(state, 0)
        let unreadable = try Self.runUnprivileged(["sessions", "--project", s.repo], s)
        #expect(unreadable.status == 2)
        #expect(unreadable.stderr.contains("cannot read state file \(state): Permission denied"), "\(unreadable.stderr)")
    }

    @Test func anUnreadableTranscriptIsAWarningWithExitZero() throws {
        let s = try Sandbox()
        try s.addSession(for: s.repo, id: "cccccccc-0000-0000-0000-0000000000b1")
        let folder = s.dir + "/claude/projects/" + ProjectFolderName.encode(s.repo)
        let locked = folder + "/cccccccc-0000-0000-0000-0000000000b1.jsonl"
        for args in [["sessions", "--project", s.repo], ["digest", "--project", s.repo, "--no-record"], ["projects"]] {
            chmod(locked, 0o644)
            _ = CLIProcess.run(["/bin/rm", "-rf", s.dir + "/cache"], env: [:])  // no cached head
            chmod(locked, 0)
            let r = try Self.runUnprivileged(args, s)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("context-sync: warning: skipped unreadable transcript: \(locked)"), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("error:"), "\(args): \(r.stderr)")
        }
    }

    @Test func aRemotePathThatDoesNotExistIsExitTwoEveryRun() throws {
        let s = try Sandbox()
        try CLI.git(["remote", "set-url", "origin", s.dir + "/moved-away.git"], in: s.repo)
        for round in 0..<2 {
            // Something new each round, so that each run tries to push.
            try s.addSession(for: s.repo, id: "cccccccc-0000-0000-0000-0000000000c\(round)",
                             extraPrompt: "remember that the cache lives in var/cache-\(round)")
            let r = try CLI.run(["run", "--project", s.repo], env: s.env)
            #expect(r.status == 2, "round \(round): \(r.stderr)")
            #expect(r.stderr.contains("the remote 'origin' is the local path \(s.dir)/moved-away.git, which does not exist"), "\(r.stderr)")
            #expect(!r.stderr.contains("unsupported URL protocol"))
            #expect(!r.stderr.contains("queued"))
        }
        let doctor = try CLI.run(["doctor", "--project", s.repo], env: s.env)
        #expect(doctor.status == 2)
        #expect(doctor.stdout.contains("FAIL remote: origin \(s.dir)/moved-away.git"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("the local path ~/moved-away.git does not exist"), "\(doctor.stdout)")
        // Relative and file:// forms are paths too.
        try CLI.git(["remote", "set-url", "origin", "../nowhere.git"], in: s.repo)
        try s.addSession(for: s.repo, id: "cccccccc-0000-0000-0000-0000000000c8", extraPrompt: "remember that logs live in var/log")
        let relative = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(relative.status == 2)
        #expect(relative.stderr.contains("the local path \(s.dir)/nowhere.git, which does not exist"), "\(relative.stderr)")
        try CLI.git(["remote", "set-url", "origin", "file://" + s.remote], in: s.repo)
        try s.addSession(for: s.repo, id: "cccccccc-0000-0000-0000-0000000000c9", extraPrompt: "remember that tmp files live in var/tmp")
        let fixed = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == (try CLI.gitOutput(["rev-parse", "main"], in: s.remote)))
    }

    @Test func applyNeedsNoClaudeDirectory() throws {
        let s = try Sandbox()
        let r = try CLI.run(["apply", "--project", s.repo, "--claude-dir", s.dir + "/no-claude-here"], env: s.env,
                            stdin: "- Build with `make release`.\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.read(".claude/learnings.md")?.contains("- Build with `make release`.") == true)
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == (try CLI.gitOutput(["rev-parse", "main"], in: s.remote)))
        // Commands that read sessions still say the directory is missing.
        let sessions = try CLI.run(["sessions", "--project", s.repo, "--claude-dir", s.dir + "/no-claude-here"], env: s.env)
        #expect(sessions.status == 2)
        #expect(sessions.stderr.contains("no such directory"))
    }
}
