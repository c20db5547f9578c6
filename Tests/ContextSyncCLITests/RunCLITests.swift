import ContextSyncCore
import ContextSyncTestSupport
import Foundation
import Testing

/// `context-sync run` end to end: the built binary, a real repository and a local bare remote
/// (pushes go through the binary's own `push-once` child, as in production).
@Suite struct RunCLITests {
    /// A repository cloned from a bare remote, with one settled session of its own (`python3`
    /// fails, `uv run python` works).
    struct Sandbox {
        let dir = CLI.tempDir()
        var repo: String { dir + "/repo" }
        var remote: String { dir + "/remote.git" }
        var env: [String: String] {
            TestSupport.sandboxEnvironment(dir).merging(
                ["CONTEXT_SYNC_MACHINE": "laptop", "GIT_CONFIG_NOSYSTEM": "1", "CONTEXT_SYNC_ACTIVE": ""]) { $1 }
        }

        init(name: String = "repo") throws {
            try CLI.git(["init", "-q", "--bare", "-b", "main", remote], in: dir)
            try CLI.git(["clone", "-q", remote, repo], in: dir)
            try CLI.git(["commit", "-q", "--allow-empty", "-m", "init"], in: repo)
            try CLI.git(["push", "-q", "origin", "main"], in: repo)
            try addSession(for: repo, id: "cccccccc-0000-0000-0000-000000000001")
        }

        /// A settled session in `cwd` where `python3` fails and `uv run python` works.
        func addSession(for cwd: String, id: String, extraPrompt: String? = nil) throws {
            var script = TranscriptScript(cwd: cwd, idPrefix: id + "-")
            script.user(extraPrompt ?? "load the data please", timestamp: "2026-03-01T10:00:00.000Z")
            script.bash("python3 scripts/load.py", ok: false, output: "bash: python3: command not found")
            script.bash("uv run python scripts/load.py", ok: true, output: "loaded")
            script.write(to: dir + "/claude/projects/" + ProjectFolderName.encode(cwd) + "/\(id).jsonl", ageSeconds: 7200)
        }

        func writeConfig(_ text: String) throws {
            try FileManager.default.createDirectory(atPath: dir + "/config/context-sync", withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/config/context-sync/config.toml"))
        }

        /// An extractor script that prints `bullets`.
        func extractor(_ bullets: [String]) throws -> String {
            let path = dir + "/extractor-\(UUID().uuidString.prefix(6)).sh"
            let body = "#!/bin/sh\ncat >/dev/null\n" + bullets.map { "printf '%s\\n' '- \($0)'\n" }.joined()
            try Data(body.utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o755)
            return path
        }

        func sessionStatuses() throws -> [String] {
            let r = try CLI.run(["sessions", "--project", repo, "--json"], env: env)
            return try JSONParser.parse(r.stdout)["sessions"]?.array?.compactMap { $0["status"]?.string } ?? []
        }

        func read(_ relative: String) -> String? {
            FileManager.default.contents(atPath: repo + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    @Test func commitsPushesAndMarksTheSessionProcessed() throws {
        let s = try Sandbox()
        // The user's staged and unstaged work stays exactly as it is.
        try Data("staged\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/staged.txt"))
        try CLI.git(["add", "staged.txt"], in: s.repo)
        try Data("unstaged\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/notes.txt"))
        let before = try CLI.gitOutput(["status", "--porcelain"], in: s.repo)

        #expect(try s.sessionStatuses() == ["new"])
        let r = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("added 1 learning from 1 session"))
        #expect(r.stdout.contains("and pushed"))
        let learnings = try #require(s.read(".claude/learnings.md"))
        #expect(learnings.contains("(laptop)"))
        #expect(learnings.contains("- Use `uv run python`, not `python3`"))
        #expect(s.read(".claude/CLAUDE.md")?.contains("@learnings.md") == true)
        #expect(s.read(".gitattributes") == ".claude/learnings.md merge=union\n")

        let files = try CLI.gitOutput(["show", "--name-only", "--format=%s", "HEAD"], in: s.repo)
        #expect(files.hasPrefix("context-sync: learnings from laptop "))
        #expect(files.contains(".claude/learnings.md") && !files.contains("staged.txt"))
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == (try CLI.gitOutput(["rev-parse", "main"], in: s.remote)))
        let after = try CLI.gitOutput(["status", "--porcelain"], in: s.repo)
        #expect(after == before)
        #expect(try CLI.gitOutput(["diff", "--cached", "--name-only"], in: s.repo) == "staged.txt\n")

        #expect(try s.sessionStatuses() == ["processed"])
        let again = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(again.status == 0)
        #expect(again.stdout.contains("nothing new"))
        #expect(try CLI.gitOutput(["rev-list", "--count", "HEAD"], in: s.repo) == "2\n")
    }

    @Test func dryRunTouchesNothing() throws {
        let s = try Sandbox()
        let head = try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo)
        let r = try CLI.run(["run", "--dry-run", "--project", s.repo], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("dry run, nothing written"))
        #expect(r.stdout.contains("(laptop)\n\n- Use `uv run python`"))
        #expect(s.read(".claude/learnings.md") == nil)
        #expect(s.read(".gitattributes") == nil)
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == head)
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/state/context-sync/projects"))
        #expect(try s.sessionStatuses() == ["new"])
    }

    @Test func aSecretAbortsWithNothingWrittenAndRedactGoesOn() throws {
        let s = try Sandbox()
        let secret = "AKIA" + "Z7QW3R5T9YXC2VBN"
        let script = try s.extractor(["Deploy with key \(secret) from the vault.", "Run `make check` before pushing."])
        let head = try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo)
        let r = try CLI.run(["run", "--project", s.repo, "--extractor", "command", "--extractor-command", script], env: s.env)
        #expect(r.status == 1)
        #expect(r.stderr.contains("secret in .claude/learnings.md:"))
        #expect(r.stderr.contains("aws-access-key-id"))
        #expect(!r.stderr.contains(secret) && !r.stdout.contains(secret))
        #expect(s.read(".claude/learnings.md") == nil)
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == head)
        #expect(try s.sessionStatuses() == ["new"])

        let json = try CLI.run(["run", "--json", "--project", s.repo, "--extractor", "command", "--extractor-command", script], env: s.env)
        #expect(json.status == 1)
        #expect(!json.stdout.contains(secret))
        let obj = try JSONParser.parse(json.stdout)
        #expect(obj["result"]?.string == "secret")
        #expect(obj["secrets"]?.array?.first?["rule"]?.string == "aws-access-key-id")
        #expect(obj["secrets"]?.array?.first?["line"]?.number == 6)

        let red = try CLI.run(["run", "--on-secret", "redact", "--project", s.repo, "--extractor", "command",
                               "--extractor-command", script], env: s.env)
        #expect(red.status == 0, "\(red.stderr)")
        #expect(red.stderr.contains("redacted 1 secret"))
        let learnings = try #require(s.read(".claude/learnings.md"))
        #expect(learnings.contains("<REDACTED:aws-access-key-id>"))
        #expect(!learnings.contains(secret))
        #expect(learnings.contains("- Run `make check` before pushing."))
        #expect(try s.sessionStatuses() == ["processed"])
    }

    @Test func aSecretInTheUsersOwnUncommittedTextStopsEvenWithRedact() throws {
        let s = try Sandbox()
        let secret = "gh" + "p_" + String(repeating: "Qw7Er9Ty2Ui4", count: 3)
        try FileManager.default.createDirectory(atPath: s.repo + "/.claude", withIntermediateDirectories: true)
        let mine = "# Learnings\n\n## 2026-01-02 (vm)\n\n- The CI token is \(secret)\n"
        try Data(mine.utf8).write(to: URL(fileURLWithPath: s.repo + "/.claude/learnings.md"))
        let r = try CLI.run(["run", "--on-secret", "redact", "--project", s.repo], env: s.env)
        #expect(r.status == 1)
        #expect(r.stderr.contains("your uncommitted text"))
        #expect(!r.stderr.contains(secret))
        #expect(s.read(".claude/learnings.md") == mine)
        #expect(try CLI.gitOutput(["rev-list", "--count", "HEAD"], in: s.repo) == "1\n")
    }

    @Test func aSecondRunWaitsThenExitsFour() throws {
        let s = try Sandbox()
        let lockPath = ProjectRun.lockPath(for: try ProjectContext.open(at: s.repo).identity,
                                           stateDirectory: s.dir + "/state/context-sync")
        let held = try #require(try FileLock.acquire(at: lockPath, wait: 0))
        let r = try CLI.run(["run", "--project", s.repo, "--lock-wait", "0.3"], env: s.env)
        #expect(r.status == 4)
        #expect(r.stderr.contains("another context-sync run holds the lock"))
        #expect(try s.sessionStatuses() == ["new"])
        held.unlock()
        let ok = try CLI.run(["run", "--project", s.repo, "--lock-wait", "0.3"], env: s.env)
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func serverDownQueuesWithExitThreeAndTheNextRunPushes() throws {
        let s = try Sandbox()
        try s.writeConfig("[push]\nattempts = 1\ntimeout_seconds = 20\n")
        // Nothing listens on this loopback port: connection refused, a network error.
        try CLI.git(["remote", "set-url", "origin", "git://127.0.0.1:9/remote.git"], in: s.repo)
        let r = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("push queued"))
        #expect(try s.sessionStatuses() == ["processed"], "the commit exists: the session is done")
        let stateFile = try #require(try FileManager.default.contentsOfDirectory(atPath: s.dir + "/state/context-sync/projects").first)
        let state = try JSONParser.parse(try String(contentsOfFile: s.dir + "/state/context-sync/projects/" + stateFile, encoding: .utf8))
        #expect(state["pendingPush"]?.string == "main")

        // The server is back (an insteadOf rewrite keeps the configured URL, so the identity).
        try CLI.git(["config", "url.\(s.remote).insteadOf", "git://127.0.0.1:9/remote.git"], in: s.repo)
        let next = try CLI.run(["run", "--project", s.repo, "--json"], env: s.env)
        #expect(next.status == 0, "\(next.stderr)")
        let obj = try JSONParser.parse(next.stdout)
        #expect(obj["pushed"]?.bool == true, "\(next.stdout)\(next.stderr)")
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == (try CLI.gitOutput(["rev-parse", "main"], in: s.remote)))
        let after = try JSONParser.parse(try String(contentsOfFile: s.dir + "/state/context-sync/projects/" + stateFile, encoding: .utf8))
        #expect(after["pendingPush"] == nil || after["pendingPush"]?.isNull == true)
    }

    @Test func refusalsAreOneLineWithExitTwoAndLeaveSessionsNew() throws {
        let s = try Sandbox()
        try CLI.git(["remote", "remove", "origin"], in: s.repo)
        let noRemote = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(noRemote.status == 2)
        #expect(noRemote.stderr.contains("--no-push"))
        #expect(noRemote.stderr.split(separator: "\n").count == 1)
        #expect(try s.sessionStatuses() == ["new"])

        try CLI.git(["checkout", "-q", "--detach"], in: s.repo)
        let detached = try CLI.run(["run", "--project", s.repo, "--no-push"], env: s.env)
        #expect(detached.status == 2)
        #expect(detached.stderr.contains("detached"))
        try CLI.git(["checkout", "-q", "main"], in: s.repo)

        let local = try CLI.run(["run", "--project", s.repo, "--no-push"], env: s.env)
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.stdout.contains("(not pushed)"))
        #expect(try s.sessionStatuses() == ["processed"])

        let notRepo = try CLI.run(["run", "--project", s.dir], env: s.env)
        #expect(notRepo.status == 2)
    }

    @Test func allRunsOnlyOptedInRepositoriesAndSummarises() throws {
        let s = try Sandbox()
        // A second repository with a session and no learnings.md: not opted in.
        let other = s.dir + "/other"
        try CLI.git(["init", "-q", "-b", "main", other], in: s.dir)
        try CLI.git(["commit", "-q", "--allow-empty", "-m", "init other"], in: other)
        try s.addSession(for: other, id: "cccccccc-0000-0000-0000-000000000002")
        // A third one included by a config glob, committed to locally (it has no remote).
        let included = s.dir + "/work/included"
        try FileManager.default.createDirectory(atPath: included, withIntermediateDirectories: true)
        try CLI.git(["init", "-q", "-b", "main", included], in: s.dir)
        try CLI.git(["commit", "-q", "--allow-empty", "-m", "init included"], in: included)
        try s.addSession(for: included, id: "cccccccc-0000-0000-0000-000000000003")
        try s.writeConfig("[projects]\ninclude = [\"\(s.dir)/work/*\"]\n")
        // The first one is opted in by having learnings.md.
        try FileManager.default.createDirectory(atPath: s.repo + "/.claude", withIntermediateDirectories: true)
        try Data("# Learnings\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/.claude/learnings.md"))
        try CLI.git(["add", ".claude/learnings.md"], in: s.repo)
        try CLI.git(["commit", "-q", "-m", "learnings"], in: s.repo)
        try CLI.git(["push", "-q", "origin", "main"], in: s.repo)

        let r = try CLI.run(["run", "--all"], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("no remote: committed locally only"), "the included repository has no remote")
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == (try CLI.gitOutput(["rev-parse", "main"], in: s.remote)))
        #expect(r.stdout.contains("Summary (3 repositories with sessions)"))
        #expect(r.stdout.contains("skipped: not opted in"))
        #expect(FileManager.default.fileExists(atPath: included + "/.claude/learnings.md"))
        #expect(!FileManager.default.fileExists(atPath: other + "/.claude/learnings.md"))
        #expect(s.read(".claude/learnings.md")?.contains("uv run python") == true)

        // Excluded wins over everything; the JSON form lists each repository.
        try s.writeConfig("[projects]\ninclude = [\"\(s.dir)/work/*\"]\nexclude = [\"\(s.dir)/**\"]\n")
        let json = try CLI.run(["run", "--all", "--no-push", "--json"], env: s.env)
        #expect(json.status == 0)
        let items = try #require(try JSONParser.parse(json.stdout).array)
        #expect(items.count == 3)
        #expect(items.allSatisfy { $0["result"]?.string == "skipped" })
    }

    @Test func allReportsTheWorstResultAndGoesOnAfterAFailure() throws {
        let s = try Sandbox()
        // Opted in, but its HEAD is detached: an error (2) that must not stop the others.
        let broken = s.dir + "/broken"
        try CLI.git(["init", "-q", "-b", "main", broken], in: s.dir)
        try CLI.git(["commit", "-q", "--allow-empty", "-m", "init broken"], in: broken)
        try CLI.git(["checkout", "-q", "--detach"], in: broken)
        try s.addSession(for: broken, id: "cccccccc-0000-0000-0000-000000000004")
        try s.writeConfig("[projects]\ninclude = [\"\(s.dir)/*\"]\n")
        let r = try CLI.run(["run", "--all"], env: s.env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("detached"))
        #expect(s.read(".claude/learnings.md")?.contains("uv run python") == true)
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == (try CLI.gitOutput(["rev-parse", "main"], in: s.remote)))
    }

    @Test func applyMarksExactlyTheSessionsTheDigestShowed() throws {
        let s = try Sandbox()
        let digest = try CLI.run(["digest", "--project", s.repo], env: s.env)
        #expect(digest.status == 0)
        #expect(digest.stdout.contains("python3 scripts/load.py"))
        // A session that finishes after the digest was read stays new.
        try s.addSession(for: s.repo, id: "cccccccc-0000-0000-0000-000000000009")
        let input = "- Load data with `uv run python \(s.repo)/scripts/load.py`.\n- Never commit `.env`.\n"
        let r = try CLI.run(["apply", "--project", s.repo], env: s.env, stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        let learnings = try #require(s.read(".claude/learnings.md"))
        #expect(learnings.contains("- Load data with `uv run python scripts/load.py`."), "absolute paths become relative")
        #expect(learnings.contains("- Never commit `.env`."))
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == (try CLI.gitOutput(["rev-parse", "main"], in: s.remote)))
        let statuses = try JSONParser.parse(try CLI.run(["sessions", "--project", s.repo, "--json"], env: s.env).stdout)["sessions"]?.array ?? []
        let byId = Dictionary(uniqueKeysWithValues: statuses.compactMap { e in e["sessionId"]?.string.map { ($0, e["status"]?.string ?? "") } })
        #expect(byId["cccccccc-0000-0000-0000-000000000001"] == "processed")
        #expect(byId["cccccccc-0000-0000-0000-000000000009"] == "new")

        // The same bullets again: deduplicated, nothing to commit.
        let again = try CLI.run(["apply", "--project", s.repo], env: s.env, stdin: input)
        #expect(again.status == 0)
        #expect(again.stdout.contains("no new learnings"))
        #expect(again.stderr.contains("no digest recorded"))
        #expect(try CLI.gitOutput(["rev-list", "--count", "HEAD"], in: s.repo) == "2\n")
    }

    @Test func applyNothingMarksTheSessionsAndBadInputIsAUsageError() throws {
        let s = try Sandbox()
        _ = try CLI.run(["digest", "--project", s.repo], env: s.env)
        let bad = try CLI.run(["apply", "--project", s.repo], env: s.env, stdin: "Here are the learnings I found.\n")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("stdin: no learnings found"))
        #expect(try s.sessionStatuses() == ["new"])

        let missing = try CLI.run(["apply", "--project", s.repo, "--file", s.dir + "/nope.md"], env: s.env)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.md"))

        let none = try CLI.run(["apply", "--project", s.repo], env: s.env, stdin: "No new learnings.\n")
        #expect(none.status == 0, "\(none.stderr)")
        #expect(s.read(".claude/learnings.md") == nil)
        #expect(try s.sessionStatuses() == ["processed"])
    }

    @Test func applyWithASecretWritesNothingAndDryRunShows() throws {
        let s = try Sandbox()
        _ = try CLI.run(["digest", "--project", s.repo], env: s.env)
        let secret = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
        let file = s.dir + "/bullets.md"
        try Data("- Stripe key is \(secret)\n- Use `make check`.\n".utf8).write(to: URL(fileURLWithPath: file))
        let r = try CLI.run(["apply", "--project", s.repo, "--file", file], env: s.env)
        #expect(r.status == 1)
        #expect(r.stderr.contains("stripe"))
        #expect(!r.stderr.contains(secret) && !r.stdout.contains(secret))
        #expect(s.read(".claude/learnings.md") == nil)
        #expect(try s.sessionStatuses() == ["new"])

        try Data("- Use `make check`.\n".utf8).write(to: URL(fileURLWithPath: file))
        let dry = try CLI.run(["apply", "--project", s.repo, "--file", file, "--dry-run"], env: s.env)
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("- Use `make check`."))
        #expect(s.read(".claude/learnings.md") == nil)
        #expect(try s.sessionStatuses() == ["new"])
    }

    @Test func aTermSignalBeforeWritingStopsCleanly() throws {
        let s = try Sandbox()
        // The extractor signals that it started, then takes a while.
        let started = s.dir + "/started"
        let script = s.dir + "/slow.sh"
        try Data("#!/bin/sh\ncat >/dev/null\ntouch '\(started)'\nsleep 2\necho '- Use `make check`.'\n".utf8)
            .write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["run", "--project", s.repo, "--extractor", "command", "--extractor-command", script]
        p.environment = ProcessInfo.processInfo.environment.merging(s.env) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var waited = 0
        while !FileManager.default.fileExists(atPath: started) && waited < 300 { usleep(20_000); waited += 1 }
        #expect(FileManager.default.fileExists(atPath: started))
        kill(p.processIdentifier, SIGTERM)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 2, "\(stderr)")
        #expect(stderr.contains("stopped by a signal before writing anything"))
        #expect(s.read(".claude/learnings.md") == nil)
        #expect(try CLI.gitOutput(["rev-list", "--count", "HEAD"], in: s.repo) == "1\n")
        #expect(try s.sessionStatuses() == ["new"])
    }
}
