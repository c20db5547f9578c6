import ContextSyncCore
import Foundation
import Testing

/// `tidy`, `stale` and the auto-memory harvest through the built binary.
@Suite struct TidyMemoryCLITests {
    typealias Sandbox = RunCLITests.Sandbox

    func memoryDir(_ s: Sandbox) throws -> String {
        let dir = s.dir + "/claude/projects/" + ProjectFolderName.encode(s.repo) + "/memory"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func autoMemoryEntriesAreHarvestedOnceTaggedAndSharedThroughTheRemote() throws {
        let s = try Sandbox()
        let dir = try memoryDir(s)
        try Data("""
            # Memory index
            - [Build notes](build.md) — how the build works
            - The integration tests need `docker compose up -d db` first.
            - Never edit `src/gen/schema.ts`: run `pnpm codegen` instead.
            """.utf8).write(to: URL(fileURLWithPath: dir + "/MEMORY.md"))
        try Data("---\nname: build\n---\n- Release builds use `make dist`, which signs the binary.\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/build.md"))

        let r = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        let remote = try CLI.gitOutput(["show", "main:.claude/learnings.md"], in: s.remote)
        #expect(remote.contains("- The integration tests need `docker compose up -d db` first. (memory)"), "\(remote)")
        #expect(remote.contains("- Never edit `src/gen/schema.ts`: run `pnpm codegen` instead. (memory)"))
        #expect(remote.contains("- Release builds use `make dist`, which signs the binary. (memory)"))
        #expect(!remote.contains("Build notes"))

        // Unchanged: nothing. Edited (one deleted, one added): only the new entry.
        let again = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(again.status == 0 && again.stdout.contains("nothing new"), "\(again.stdout) \(again.stderr)")
        try Data("""
            # Memory index
            - Never edit `src/gen/schema.ts`: run `pnpm codegen` instead.
            - Staging deploys need the VPN: `make vpn-up` before `make deploy-staging`.
            """.utf8).write(to: URL(fileURLWithPath: dir + "/MEMORY.md"))
        let third = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.contains("added 1 learning"), "\(third.stdout)")
        let file = try String(contentsOfFile: s.repo + "/.claude/learnings.md", encoding: .utf8)
        #expect(file.components(separatedBy: "docker compose up -d db").count == 2)
        #expect(file.contains("`make vpn-up` before `make deploy-staging`. (memory)"))
        // Claude Code's memory folder is never written.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["MEMORY.md", "build.md"])
    }

    @Test func memoryHarvestCanBeTurnedOff() throws {
        let s = try Sandbox()
        let dir = try memoryDir(s)
        try Data("- The integration tests need `docker compose up -d db` first.\n".utf8).write(to: URL(fileURLWithPath: dir + "/MEMORY.md"))
        try s.writeConfig("[memory]\nharvest = false\n")
        let r = try CLI.run(["run", "--project", s.repo], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!(try String(contentsOfFile: s.repo + "/.claude/learnings.md", encoding: .utf8)).contains("docker compose"))
    }

    @Test func tidyDryRunShowsADiffAndTidyCommitsAndPushes() throws {
        let s = try Sandbox()
        try FileManager.default.createDirectory(atPath: s.repo + "/.claude", withIntermediateDirectories: true)
        try Data("""
            # Learnings

            ## 2026-03-02 (vm)

            - Run the tests with `make test` before pushing.

            ## 2026-03-01 (laptop)

            - Run tests with make test before pushing
            - Prices are integer cents.

            """.utf8).write(to: URL(fileURLWithPath: s.repo + "/.claude/learnings.md"))
        try CLI.git(["add", ".claude/learnings.md"], in: s.repo)
        try CLI.git(["commit", "-qm", "learnings"], in: s.repo)
        try CLI.git(["push", "-q", "origin", "main"], in: s.repo)
        let tip = try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo)

        let dry = try CLI.run(["tidy", "--project", s.repo, "--dry-run"], env: s.env)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("--- a/.claude/learnings.md") && dry.stdout.contains("-- Run tests with make test before pushing"), "\(dry.stdout)")
        #expect(try CLI.gitOutput(["rev-parse", "HEAD"], in: s.repo) == tip)

        let r = try CLI.run(["tidy", "--project", s.repo, "--json"], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["result"]?.string == "committed" && json["pushed"]?.bool == true, "\(r.stdout)")
        #expect(json["bulletsBefore"]?.number == 3 && json["bulletsAfter"]?.number == 2)
        let remote = try CLI.gitOutput(["show", "main:.claude/learnings.md"], in: s.remote)
        #expect(remote.components(separatedBy: "make test").count == 2, "\(remote)")
        #expect(try CLI.gitOutput(["log", "-1", "--format=%s", "main"], in: s.remote).hasPrefix("context-sync: tidy learnings on laptop"))
        let already = try CLI.run(["tidy", "--project", s.repo], env: s.env)
        #expect(already.stdout.contains("already tidy"), "\(already.stdout)")
    }

    @Test func staleListsAPathRemovedByACommit() throws {
        let s = try Sandbox()
        try FileManager.default.createDirectory(atPath: s.repo + "/scripts", withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: s.repo + "/scripts/load.py"))
        try CLI.git(["add", "scripts/load.py"], in: s.repo)
        try CLI.git(["commit", "-qm", "loader"], in: s.repo)
        let r0 = try CLI.run(["run", "--project", s.repo, "--no-push"], env: s.env)
        #expect(r0.status == 0, "\(r0.stderr)")
        #expect(try CLI.run(["stale", "--project", s.repo], env: s.env).stdout.contains("No stale learnings."))
        try CLI.git(["mv", "scripts/load.py", "scripts/ingest.py"], in: s.repo)
        try CLI.git(["commit", "-qm", "rename the loader"], in: s.repo)
        let r = try CLI.run(["stale", "--project", s.repo, "--json"], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        let items = try JSONParser.parse(r.stdout)["stale"]?.array ?? []
        #expect(items.count == 1, "\(r.stdout)")
        #expect(items.first?["name"]?.string == "scripts/load.py")
        #expect(items.first?["renamedTo"]?.string == "scripts/ingest.py")
        #expect(items.first?["removedIn"]?.string?.hasSuffix("rename the loader") == true)
        // doctor says how many there are.
        let doctor = try CLI.run(["doctor", "--project", s.repo], env: s.env)
        #expect(doctor.stdout.contains("1 stale"), "\(doctor.stdout)")
    }
}

@Suite struct PatternsCLITests {
    typealias Sandbox = RunCLITests.Sandbox

    @Test func aLearningSharedByTwoRepositoriesIsAPatternAppliedAndImported() throws {
        let s = try Sandbox()
        let other = s.dir + "/other"
        try CLI.git(["init", "-q", "-b", "main", other], in: s.dir)
        try CLI.git(["commit", "-q", "--allow-empty", "-m", "init"], in: other)
        try s.addSession(for: other, id: "cccccccc-0000-0000-0000-000000000002")
        func learnings(_ repo: String, _ bullets: [String]) throws {
            try FileManager.default.createDirectory(atPath: repo + "/.claude", withIntermediateDirectories: true)
            try Data(("# Learnings\n\n## 2026-03-01 (laptop)\n\n" + bullets.map { "- " + $0 + "\n" }.joined()).utf8)
                .write(to: URL(fileURLWithPath: repo + "/.claude/learnings.md"))
        }
        try learnings(s.repo, ["Run `gh pr checks` before merging a pull request, not after.", "Only here: `src/app.ts` wires the routes."])
        try learnings(other, ["Run `gh pr checks` before merging a pull request, not after. (memory)", "Unrelated fact about `lib/x.py` parsing."])

        let r = try CLI.run(["patterns", "--json"], env: s.env)
        #expect(r.status == 0, "\(r.stderr)")
        let items = try JSONParser.parse(r.stdout)["patterns"]?.array ?? []
        #expect(items.count == 1, "\(r.stdout)")
        #expect(items.first?["text"]?.string == "Run `gh pr checks` before merging a pull request, not after.")
        #expect(items.first?["repositories"]?.array?.count == 2)

        // --apply needs a patterns repository.
        let missing = try CLI.run(["patterns", "--apply"], env: s.env)
        #expect(missing.status == 2 && missing.stderr.contains("[patterns] repo"), "\(missing.stderr)")
        let patternsRepo = s.dir + "/agent-context"
        try CLI.git(["init", "-q", "-b", "main", patternsRepo], in: s.dir)
        try CLI.git(["commit", "-q", "--allow-empty", "-m", "init"], in: patternsRepo)
        try s.writeConfig("[patterns]\nrepo = \"\(patternsRepo)\"\n")
        let applied = try CLI.run(["patterns", "--apply"], env: s.env)
        #expect(applied.status == 0, "\(applied.stdout) \(applied.stderr)")
        let file = try CLI.gitOutput(["show", "HEAD:patterns/learnings.md"], in: patternsRepo)
        #expect(file.contains("- Run `gh pr checks` before merging a pull request, not after."), "\(file)")
        #expect(try CLI.gitOutput(["ls-tree", "-r", "--name-only", "HEAD"], in: patternsRepo) == "patterns/learnings.md\n")

        let claudeMd = s.dir + "/claude/CLAUDE.md"
        try Data("# Mine\n\nBe terse.\n".utf8).write(to: URL(fileURLWithPath: claudeMd))
        let inst = try CLI.run(["install", "patterns"], env: s.env)
        #expect(inst.status == 0, "\(inst.stderr)")
        let text = try String(contentsOfFile: claudeMd, encoding: .utf8)
        #expect(text.hasPrefix("# Mine\n\nBe terse.\n") && text.contains("\n@~/agent-context/patterns/learnings.md\n"), "\(text)")
        #expect(try CLI.run(["install", "patterns"], env: s.env).stdout.contains("already installed"))
        #expect(try String(contentsOfFile: claudeMd + ".context-sync.bak", encoding: .utf8) == "# Mine\n\nBe terse.\n")
        let un = try CLI.run(["install", "patterns", "--uninstall"], env: s.env)
        #expect(un.status == 0, "\(un.stderr)")
        #expect(try String(contentsOfFile: claudeMd, encoding: .utf8) == "# Mine\n\nBe terse.\n")
    }
}

@Suite struct ClaudeRootCLITests {
    /// One resolution of the Claude root for every command: `claude_dir` in the config is where
    /// `install skill` writes and where `doctor` looks.
    @Test func installSkillAndDoctorAgreeOnTheConfiguredClaudeDir() throws {
        let s = try RunCLITests.Sandbox()
        let root = s.dir + "/claude-work"
        var env = s.env
        env["CLAUDE_CONFIG_DIR"] = nil
        // The skill needs context-sync on PATH (doctor warns otherwise).
        try FileManager.default.createDirectory(atPath: s.dir + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: s.dir + "/bin/context-sync", withDestinationPath: CLI.binary)
        env["PATH"] = s.dir + "/bin:/usr/bin:/bin"
        try s.writeConfig("claude_dir = \"\(root)\"\n")
        let r = try CLI.run(["install", "skill"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: root + "/skills/context-sync/SKILL.md"))
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/.claude/skills/context-sync/SKILL.md"))
        let doctor = try CLI.run(["doctor", "--json"], env: env)
        let checks = try JSONParser.parse(doctor.stdout)["checks"]?.array ?? []
        let skill = checks.first { $0["check"]?.string == "skill" }
        #expect(skill?["status"]?.string == "ok", "\(doctor.stdout)")
    }
}

@Suite struct ListingRedactionCLITests {
    /// `patterns` shows bullets of other repositories' files: a secret one of them holds is
    /// redacted like every other output.
    @Test func patternsNeverPrintsASecretFromALearningsFile() throws {
        let s = try RunCLITests.Sandbox()
        let other = s.dir + "/other"
        try CLI.git(["init", "-q", "-b", "main", other], in: s.dir)
        try CLI.git(["commit", "-q", "--allow-empty", "-m", "init"], in: other)
        try s.addSession(for: other, id: "cccccccc-0000-0000-0000-000000000003")
        let alnum = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let token = "ghp_" + String((0..<36).map { _ in alnum.randomElement()! })
        for repo in [s.repo, other] {
            try FileManager.default.createDirectory(atPath: repo + "/.claude", withIntermediateDirectories: true)
            try Data("# Learnings\n\n## 2026-03-01 (laptop)\n\n- Authenticate the release job with the deploy token \(token) from the vault.\n".utf8)
                .write(to: URL(fileURLWithPath: repo + "/.claude/learnings.md"))
        }
        for args in [["patterns"], ["patterns", "--json"]] {
            let r = try CLI.run(args, env: s.env)
            #expect(r.status == 0)
            #expect(r.stdout.contains("REDACTED"), "\(args)")
            #expect(!r.stdout.contains(token) && !r.stderr.contains(token), "\(args): the token was printed")
        }
    }
}
