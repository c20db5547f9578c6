import ContextSyncCore
import Foundation
import Testing

/// The unattended run log end to end: `run --all` / `run --if-opted-in` append to it,
/// `context-sync log` shows it, and no secret reaches it.
@Suite struct RunLogCLITests {
    typealias Sandbox = RunCLITests.Sandbox
    static let token = "gh" + "p_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"

    static func logPath(_ s: Sandbox) -> String { s.dir + "/state/context-sync/runs.log" }

    static func entries(_ s: Sandbox) throws -> [JSONValue] {
        let r = try CLI.run(["log", "--json", "-n", "100"], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        let v = try JSONParser.parse(r.stdout)
        #expect(v["schemaVersion"]?.number == 1)
        return v["entries"]?.array ?? []
    }

    @Test func unattendedRunsAppendOneLinePerRepositoryAndLogShowsThem() throws {
        let s = try Sandbox()
        let none = try CLI.run(["log"], env: s.env)
        #expect(none.status == 0)
        #expect(none.stdout.hasPrefix("No unattended run logged yet (~/state/context-sync/runs.log does not exist)"), "\(none.stdout)")
        #expect(try Self.entries(s).isEmpty)

        // Not opted in: the hook's run leaves a trace, nothing else.
        let skipped = try CLI.run(["run", "--if-opted-in", "--quiet", "--project", s.repo], env: s.env)
        #expect(skipped.status == 0, "\(skipped.stderr)")
        // An attended run and a dry run are not logged.
        try s.writeConfig("[projects]\ninclude = [\"\(s.dir)/*\"]\n")
        #expect(try CLI.run(["run", "--all", "--dry-run", "--quiet"], env: s.env).status == 0)
        let all = try CLI.run(["run", "--all", "--quiet"], env: s.env)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(try CLI.run(["run", "--project", s.repo, "--quiet"], env: s.env).status == 0)

        let lines = try #require(FileManager.default.contents(atPath: Self.logPath(s))).split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 2)
        let e = try Self.entries(s)
        #expect(e.map { $0["outcome"]?.string } == ["skipped", "pushed"])
        #expect(e.map { $0["mode"]?.string } == ["if-opted-in", "all"])
        #expect(e.allSatisfy { $0["project"]?.string == s.repo })
        #expect(e[1]["sessions"]?.number == 1 && e[1]["added"]?.number == 1 && e[1]["exitCode"]?.number == 0)
        #expect(e[1]["error"] == nil)
        #expect(e[1]["time"]?.string?.hasSuffix("Z") == true)

        let text = try CLI.run(["log"], env: s.env)
        let shown = text.stdout.split(separator: "\n").map(String.init)
        #expect(shown.count == 2)
        #expect(shown.last?.hasSuffix("  pushed (exit 0)  ~/repo  1 session, 1 added") == true, "\(text.stdout)")
        #expect(shown.first?.hasSuffix("  skipped (exit 0)  ~/repo") == true, "\(text.stdout)")
        #expect(try CLI.run(["log", "-n", "1"], env: s.env).stdout.split(separator: "\n").count == 1)
        let bad = try CLI.run(["log", "-n", "0"], env: s.env)
        #expect(bad.status == 2 && bad.stderr.contains("-n must be 1 or more"))
    }

    @Test func aFailedRunIsLoggedRedactedAndDoctorWarnsAboutIt() throws {
        let s = try Sandbox()
        // A config that stops every run, with a token in the message it causes.
        try s.writeConfig("[secrets]\nallow = [\"(\(Self.token)\"]\n")
        let r = try CLI.run(["run", "--all", "--quiet"], env: s.env)
        #expect(r.status == 2)
        let raw = try #require(FileManager.default.contents(atPath: Self.logPath(s)))
        #expect(!String(decoding: raw, as: UTF8.self).contains(Self.token))
        let e = try #require(try Self.entries(s).last)
        #expect(e["outcome"]?.string == "error" && e["exitCode"]?.number == 2 && e["project"]?.string == "-")
        #expect(e["error"]?.string?.contains("<REDACTED:github-token>") == true, "\(e)")
        #expect(e["error"]?.string?.contains("not a regular expression") == true)
        #expect(!(try CLI.run(["log"], env: s.env)).stdout.contains(Self.token))

        let doctor = try CLI.run(["doctor", "--project", s.repo], env: s.env)
        let line = doctor.stdout.split(separator: "\n").map(String.init).first { $0.contains("last unattended run:") }
        #expect(line?.hasPrefix("WARN last unattended run: ") == true, "\(doctor.stdout)")
        #expect(line?.contains("error (exit 2)") == true && line?.contains("context-sync log") == true)
        #expect(line?.contains(Self.token) == false)

        // The next good run clears the warning.
        try s.writeConfig("[projects]\ninclude = [\"\(s.dir)/*\"]\n")
        #expect(try CLI.run(["run", "--all", "--quiet"], env: s.env).status == 0)
        let after = try CLI.run(["doctor", "--project", s.repo], env: s.env)
        #expect(after.stdout.contains("OK   last unattended run: "), "\(after.stdout)")
    }

    @Test func aQueuedPushIsLoggedAndDoctorNamesTheRepository() throws {
        let s = try Sandbox()
        try s.writeConfig("[projects]\ninclude = [\"\(s.dir)/*\"]\n[push]\nattempts = 1\ntimeout_seconds = 20\n")
        // Nothing listens on this loopback port: connection refused, a network error.
        try CLI.git(["remote", "set-url", "origin", "git://127.0.0.1:9/remote.git"], in: s.repo)
        let r = try CLI.run(["run", "--all", "--quiet"], env: s.env)
        #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
        let e = try #require(try Self.entries(s).last)
        #expect(e["outcome"]?.string == "queued" && e["exitCode"]?.number == 3, "\(e)")
        #expect(e["error"]?.string?.hasPrefix("push queued: ") == true)

        let doctor = try CLI.run(["doctor", "--project", s.repo], env: s.env)
        let lines = doctor.stdout.split(separator: "\n").map(String.init)
        let queued = lines.first { $0.contains("queued pushes:") }
        #expect(queued == "WARN queued pushes: 1 repository has a commit waiting to be pushed: ~/repo (branch main) — cd ~/repo && context-sync run", "\(doctor.stdout)")
        // Queued is not a failure: the next run retries.
        #expect(lines.contains { $0.hasPrefix("OK   last unattended run: ") }, "\(doctor.stdout)")
    }

    @Test func aLogThatCannotBeWrittenWarnsButNeverFailsTheRunAndOneThatCannotBeReadIsAnError() throws {
        let s = try Sandbox()
        let state = s.dir + "/state/context-sync"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: s.dir + "/elsewhere"))
        try FileManager.default.createSymbolicLink(atPath: Self.logPath(s), withDestinationPath: s.dir + "/elsewhere")
        let r = try CLI.run(["run", "--if-opted-in", "--quiet", "--project", s.repo], env: s.env)
        #expect(r.status == 0)
        #expect(r.stderr == "context-sync: warning: run log not written: \(Self.logPath(s)) is a symbolic link: not written through (remove it; context-sync creates the file)\n", "\(r.stderr)")
        #expect(FileManager.default.contents(atPath: s.dir + "/elsewhere") == Data("mine\n".utf8))

        try FileManager.default.removeItem(atPath: Self.logPath(s))
        try FileManager.default.createDirectory(atPath: Self.logPath(s), withIntermediateDirectories: true)
        let log = try CLI.run(["log"], env: s.env)
        #expect(log.status == 2)
        #expect(log.stderr == "context-sync: error: run log \(Self.logPath(s)) is a directory, not a file (move it away; the next unattended run starts a new one)\n", "\(log.stderr)")
        #expect(log.stdout.isEmpty)
    }

    @Test func theInstalledSessionEndHookLogsItsRunsAndKeepsItsStderr() throws {
        let s = try Sandbox()
        let command = try OptInCLITests.installedSessionEndCommand(s)
        #expect(OptInCLITests.runHook(command, in: s.repo, env: s.env).status == 0)
        try s.writeConfig("[projects]\ninclude = [\"\(s.dir)/*\"]\n")
        #expect(OptInCLITests.runHook(command, in: s.repo, env: s.env).status == 0)
        #expect(try Self.entries(s).map { $0["outcome"]?.string } == ["skipped", "pushed"])
        #expect(try Self.entries(s).allSatisfy { $0["mode"]?.string == "if-opted-in" && $0["project"]?.string == s.repo })
        // The run printed nothing on stderr; the file is there for when it does.
        #expect(FileManager.default.contents(atPath: s.dir + "/state/context-sync/unattended.err") == Data())
    }
}
