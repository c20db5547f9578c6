import ContextSyncCore
import Foundation
import Testing

/// Issue 10's regressions, end to end through the built binary, real repositories and a local
/// bare remote: nothing outside the work tree is read or written, the bytes scanned are the
/// bytes committed, and no learning is lost to a lock or a kill.
@Suite struct SafetyCLITests {
    typealias Sandbox = RunCLITests.Sandbox

    func remoteLog(_ s: Sandbox) throws -> String { try CLI.gitOutput(["log", "--format=%H %s", "main"], in: s.remote) }
    func head(_ s: Sandbox) throws -> String { try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) }
    func apply(_ s: Sandbox, _ bullets: String, env extra: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(["apply", "--project", s.repo], env: s.env.merging(extra) { $1 }, stdin: bullets)
    }

    // MARK: - Never outside the work tree

    @Test func aCommittedSymlinkedLearningsFileIsRefusedAndItsTargetNeverRead() throws {
        let s = try Sandbox()
        let outside = s.dir + "/outside-secret.txt"
        try Data("PRIVATE-CONTENT-OF-ANOTHER-FILE\n".utf8).write(to: URL(fileURLWithPath: outside))
        try FileManager.default.createDirectory(atPath: s.repo + "/.claude", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: s.repo + "/.claude/learnings.md", withDestinationPath: outside)
        try CLI.git(["add", ".claude/learnings.md"], in: s.repo)
        try CLI.git(["commit", "-qm", "link"], in: s.repo)
        try CLI.git(["push", "-q", "origin", "main"], in: s.repo)
        let before = try remoteLog(s), tip = try head(s)

        for args in [["apply", "--project", s.repo], ["run", "--project", s.repo]] {
            let r = try CLI.run(args, env: s.env, stdin: "- Use `make check` before pushing.\n")
            #expect(r.status == 2, "\(args) \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains(".claude/learnings.md") && r.stderr.contains("symbolic link"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(!r.stdout.contains("PRIVATE-CONTENT") && !r.stderr.contains("PRIVATE-CONTENT"))
        }
        #expect(try remoteLog(s) == before)
        #expect(try head(s) == tip)
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "PRIVATE-CONTENT-OF-ANOTHER-FILE\n")
        // `run --all` does not opt such a repository in through the link either.
        let all = try CLI.run(["run", "--all"], env: s.env)
        #expect(!all.stdout.contains("learning(s) committed"), "\(all.stdout)")
        #expect(try remoteLog(s) == before)
    }

    @Test func aSymlinkedClaudeDirectoryIsRefusedAndNothingIsWrittenThere() throws {
        let s = try Sandbox()
        let outside = s.dir + "/elsewhere"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try Data("# someone else's\n".utf8).write(to: URL(fileURLWithPath: outside + "/CLAUDE.md"))
        try FileManager.default.createSymbolicLink(atPath: s.repo + "/.claude", withDestinationPath: outside)
        let tip = try head(s)
        let r = try apply(s, "- Use `make check` before pushing.\n")
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(".claude") && r.stderr.contains("symbolic link"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["CLAUDE.md"])
        #expect(try String(contentsOfFile: outside + "/CLAUDE.md", encoding: .utf8) == "# someone else's\n")
        #expect(try head(s) == tip)
    }

    @Test func symlinkedClaudeMdAndGitattributesAreRefusedAndStayLinks() throws {
        for name in ["CLAUDE.md", ".gitattributes"] {
            let s = try Sandbox()
            let outside = s.dir + "/target-\(name)"
            try Data("user text\n".utf8).write(to: URL(fileURLWithPath: outside))
            try FileManager.default.createSymbolicLink(atPath: s.repo + "/" + name, withDestinationPath: outside)
            let tip = try head(s)
            let r = try apply(s, "- Use `make check` before pushing.\n")
            #expect(r.status == 2, "\(name): \(r.stderr)")
            #expect(r.stderr.contains(name) && r.stderr.contains("symbolic link"), "\(r.stderr)")
            let attrs = try FileManager.default.attributesOfItem(atPath: s.repo + "/" + name)
            #expect(attrs[.type] as? FileAttributeType == .typeSymbolicLink)
            #expect(try String(contentsOfFile: outside, encoding: .utf8) == "user text\n")
            #expect(try head(s) == tip)
            #expect(!FileManager.default.fileExists(atPath: s.repo + "/.claude/learnings.md"))
        }
    }

    // MARK: - The bytes scanned are the bytes committed

    @Test func aPrivateKeyBlockInTheUsersUncommittedTextStopsTheCommit() throws {
        let s = try Sandbox()
        let body = (0..<5).map { _ in String((0..<70).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".randomElement()! }) }
        let key = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body.joined(separator: "\n") + "\n-----END OPENSSH PRIVATE KEY-----\n"
        try FileManager.default.createDirectory(atPath: s.repo + "/.claude", withIntermediateDirectories: true)
        try Data(("# Learnings\n\nmy notes:\n" + key).utf8).write(to: URL(fileURLWithPath: s.repo + "/.claude/learnings.md"))
        let before = try remoteLog(s)
        for policy in ["abort", "redact"] {
            let r = try CLI.run(["apply", "--project", s.repo, "--on-secret", policy], env: s.env,
                                stdin: "- Use `make check` before pushing.\n")
            #expect(r.status == 1, "\(policy): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("private-key") || r.stderr.contains("PRIVATE"), "\(r.stderr)")
            #expect(r.stderr.contains("your uncommitted text"), "\(r.stderr)")
            #expect(!r.stderr.contains(body[1]))
        }
        #expect(try remoteLog(s) == before)
        #expect(try CLI.gitOutput(["log", "--all", "-p"], in: s.repo).contains(body[1]) == false)
    }

    @Test func controlCharactersInBulletsNeverReachTheFile() throws {
        let s = try Sandbox()
        let r = try apply(s, "- Run \u{1B}[31m`make check`\u{1B}[0m before\u{0} pushing\u{7}.\n- Bidi \u{202E}trick\u{202C} here.\n")
        #expect(r.status == 0, "\(r.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: s.repo + "/.claude/learnings.md"))
        #expect(!bytes.contains(0) && !bytes.contains(0x1B) && !bytes.contains(0x07))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("- Run `make check` before pushing."))
        #expect(!text.unicodeScalars.contains { $0.value == 0x202E })
        // git sees text, so merge=union keeps working.
        let numstat = try CLI.gitOutput(["show", "--numstat", "--format=", "HEAD", "--", ".claude/learnings.md"], in: s.repo)
        #expect(!numstat.hasPrefix("-"), "\(numstat)")
    }

    @Test func conflictMarkersInLearningsAreRefusedNamingTheLines() throws {
        let s = try Sandbox()
        try FileManager.default.createDirectory(atPath: s.repo + "/.claude", withIntermediateDirectories: true)
        let text = "# Learnings\n\n## 2026-01-01 (a)\n\n<<<<<<< HEAD\n- one\n=======\n- two\n>>>>>>> other\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: s.repo + "/.claude/learnings.md"))
        let tip = try head(s)
        let r = try apply(s, "- Use `make check` before pushing.\n")
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("conflict markers") && r.stderr.contains("lines 5, 7, 9"), "\(r.stderr)")
        #expect(try head(s) == tip)
        #expect(try String(contentsOfFile: s.repo + "/.claude/learnings.md", encoding: .utf8) == text)
    }

    // MARK: - Nothing lost to a lock or a kill

    @Test func aHeldIndexLockChangesNothingAndTheNextRunCommits() throws {
        let s = try Sandbox()
        let lock = s.repo + "/.git/index.lock"
        try Data().write(to: URL(fileURLWithPath: lock))
        let tip = try head(s)
        let r = try CLI.run(["run", "--project", s.repo, "--lock-wait", "0.2"], env: s.env)
        #expect(r.status == 4, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("index.lock"), "\(r.stderr)")
        #expect(try head(s) == tip)
        #expect(!FileManager.default.fileExists(atPath: s.repo + "/.claude/learnings.md"))
        #expect(try s.sessionStatuses() == ["new"])
        try FileManager.default.removeItem(atPath: lock)

        let again = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("added 1 learning"), "\(again.stdout)")
        // The index agrees with the commit: the user's next commit keeps our files.
        #expect(try CLI.gitOutput(["status", "--porcelain"], in: s.repo) == "")
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/x.txt"))
        try CLI.git(["add", "x.txt"], in: s.repo)
        try CLI.git(["commit", "-qm", "user"], in: s.repo)
        #expect(try CLI.gitOutput(["ls-tree", "--name-only", "-r", "HEAD"], in: s.repo).contains(".claude/learnings.md"))
    }

    @Test func aStaleRefLockChangesNothingAndTheBulletsAreCommittedLater() throws {
        let s = try Sandbox()
        let lock = s.repo + "/.git/refs/heads/main.lock"
        try Data().write(to: URL(fileURLWithPath: lock))
        let tip = try head(s)
        let r = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(r.status == 2, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("main.lock"), "\(r.stderr)")
        #expect(try head(s) == tip)
        #expect(!FileManager.default.fileExists(atPath: s.repo + "/.claude/learnings.md"))
        #expect(try s.sessionStatuses() == ["new"])
        try FileManager.default.removeItem(atPath: lock)
        let again = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(again.status == 0 && again.stdout.contains("added 1 learning"), "\(again.stdout) \(again.stderr)")
        #expect(try CLI.gitOutput(["show", "main:.claude/learnings.md"], in: s.remote).contains("uv run python"))
    }

    /// A kill at each point of the write path; the next run completes: the bullet on the remote
    /// exactly once, index and work tree clean, the session processed, no stray files.
    @Test(arguments: FaultPoint.allCases)
    func aKillAtAnyPointIsCompletedByTheNextRun(_ point: FaultPoint) throws {
        let s = try Sandbox()
        try Data("staged\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/staged.txt"))
        try CLI.git(["add", "staged.txt"], in: s.repo)
        try Data("unstaged\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/notes.txt"))
        let userStatus = try CLI.gitOutput(["status", "--porcelain", "--", "staged.txt", "notes.txt"], in: s.repo)

        let killed = try CLI.run(["run", "--project", s.repo], env: s.env.merging([FaultPoint.variable: point.rawValue]) { $1 })
        #expect(killed.status == 137 || killed.status == 9 || killed.status == -9 || killed.status > 128,
                "\(point): \(killed.status) \(killed.stderr)")
        var last = CLI.Result(status: -1, stdout: "", stderr: "")
        for _ in 0..<3 {
            last = try CLI.run(["run", "--project", s.repo], env: s.env)
            if last.status != 0 { break }
        }
        #expect(last.status == 0, "\(point): \(last.stdout) \(last.stderr)")
        let remote = try CLI.gitOutput(["show", "main:.claude/learnings.md"], in: s.remote)
        #expect(remote.components(separatedBy: "- Use `uv run python`").count == 2, "\(point): \(remote)")
        #expect(try CLI.gitOutput(["status", "--porcelain", "--", ".claude", "CLAUDE.md", ".claude/CLAUDE.md", ".gitattributes"], in: s.repo) == "",
                "\(point)")
        #expect(try CLI.gitOutput(["status", "--porcelain", "--", "staged.txt", "notes.txt"], in: s.repo) == userStatus)
        #expect(try s.sessionStatuses() == ["processed"], "\(point)")
        #expect(!FileManager.default.fileExists(atPath: s.repo + "/.git/index.lock"), "\(point)")
        let strays = (try? FileManager.default.contentsOfDirectory(atPath: s.repo + "/.claude"))?.filter { $0.contains(".tmp-") } ?? []
        #expect(strays.isEmpty, "\(point): \(strays)")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: s.dir + "/state/context-sync/projects"))
            .contains { $0.hasSuffix(".pending-commit.json") }, "\(point)")
        try CLI.git(["fsck", "--no-progress"], in: s.repo)
    }

    @Test func unpushedContextSyncCommitsArePushedEvenWithoutAQueueRecord() throws {
        let s = try Sandbox()
        let local = try CLI.run(["run", "--project", s.repo, "--no-push"], env: s.env)
        #expect(local.status == 0, "\(local.stderr)")
        let before = try remoteLog(s)
        // No new session, nothing queued in state: git itself shows the branch is ahead.
        let r = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(try remoteLog(s) != before)
        #expect(try CLI.gitOutput(["rev-parse", "main"], in: s.remote) == (try head(s)))
        #expect(r.stdout.contains("pushed the earlier commit"), "\(r.stdout)")
        #expect(!r.stdout.contains("added 0 learnings"))
    }

    @Test func temporaryFilesOfAKilledWriteAreRemoved() throws {
        let s = try Sandbox()
        try FileManager.default.createDirectory(atPath: s.repo + "/.claude", withIntermediateDirectories: true)
        let stray = s.repo + "/.claude/.learnings.md.tmp-Ab12Cd"
        try Data("half".utf8).write(to: URL(fileURLWithPath: stray))
        let keep = s.repo + "/.claude/.learnings.md.tmp-notours-long"
        try Data("user".utf8).write(to: URL(fileURLWithPath: keep))
        let r = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stray))
        #expect(FileManager.default.fileExists(atPath: keep))
        // And next to the state: a killed atomic write of the state file or the journal.
        let projects = s.dir + "/state/context-sync/projects"
        let state = try #require(try FileManager.default.contentsOfDirectory(atPath: projects).first { $0.hasSuffix(".json") })
        let strays = [".\(state).tmp-Zz9Yy8", ".\(state.dropLast(5)).pending-commit.json.tmp-Qq1Ww2"]
        for n in strays { try Data("{".utf8).write(to: URL(fileURLWithPath: projects + "/" + n)) }
        try s.addSession(for: s.repo, id: "cccccccc-0000-0000-0000-000000000009", extraPrompt: "again")
        let again = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(again.status == 0, "\(again.stderr)")
        for n in strays { #expect(!FileManager.default.fileExists(atPath: projects + "/" + n), "\(n)") }
    }
}
