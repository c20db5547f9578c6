#if canImport(Glibc)
import Glibc
#endif
import ContextSyncCore
import Foundation
import Testing

/// End to end: the hook installed by the CLI, run by real `git push` to a local bare repository.
@Suite("CLI: install hook and the pre-push hook under git push")
struct HookCLITests {
    /// An AWS access key id shape, built at run time (no key literal in the source).
    static let awsKey = "AK" + "IA" + "W7Q3ZK5TN2XRLM4P"
    static let binDir = (CLI.binary as NSString).deletingLastPathComponent

    /// A clone (`work`) of a bare repository (`remote.git`) with one pushed commit, and an
    /// environment of its own: HOME, XDG dirs and Claude's root in the temp dir, no system git
    /// config, and a harvest command that records each run.
    struct PushRepo {
        let dir: String
        let remote: String
        let work: String
        var env: [String: String]
        var harvestLog: String { dir + "/harvest.log" }

        init(pathHasBinary: Bool = true) throws {
            dir = CLI.tempDir()
            remote = dir + "/remote.git"
            work = dir + "/work"
            var e = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CONTEXT_SYNC_") && !$0.key.hasPrefix("GIT_") }
            for (k, v) in ["HOME": dir + "/home", "XDG_CONFIG_HOME": dir + "/home/.config", "XDG_STATE_HOME": dir + "/home/.state",
                           "XDG_CACHE_HOME": dir + "/home/.cache", "CLAUDE_CONFIG_DIR": dir + "/home/.claude",
                           "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"] {
                e[k] = v
            }
            e["PATH"] = pathHasBinary ? HookCLITests.binDir + ":/usr/bin:/bin" : "/usr/bin:/bin"
            e["CONTEXT_SYNC_HOOK_HARVEST"] = "{ echo \"active=$CONTEXT_SYNC_ACTIVE\"; pwd; } >> '\(dir)/harvest.log'"
            // The push waits for the harvest, so a test sees its effect when the push returns
            // (backgroundHarvestNeverHoldsThePush runs without it).
            e["CONTEXT_SYNC_HOOK_WAIT"] = "1"
            env = e
            try FileManager.default.createDirectory(atPath: dir + "/home", withIntermediateDirectories: true)
            try check(git(["init", "-q", "--bare", "-b", "main", remote], in: dir))
            try check(git(["clone", "-q", remote, work], in: dir))
            try check(git(["symbolic-ref", "HEAD", "refs/heads/main"]))
            try commit(".claude/learnings.md", "# Learnings\n\n- first\n")
            try check(git(["push", "-q", "origin", "main"]))
        }

        func git(_ args: [String], in cwd: String? = nil, env extra: [String: String] = [:]) -> CLIProcess.Result {
            CLIProcess.run(["/usr/bin/env", "git"] + args, env: env.merging(extra) { $1 }, cwd: cwd ?? work)
        }

        func cli(_ args: [String], stdin: String? = nil, env extra: [String: String] = [:]) -> CLIProcess.Result {
            CLIProcess.run([CLI.binary] + args, env: env.merging(extra) { $1 }, cwd: work, stdin: stdin)
        }

        func check(_ r: CLIProcess.Result) throws {
            if r.status != 0 { throw ContextSyncError("command failed (\(r.status)): \(r.stderr)") }
        }

        /// Appends `text` to `path` (relative to the work tree) and commits it; returns the commit.
        @discardableResult
        func commit(_ path: String, _ text: String) throws -> String {
            let full = work + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let old = FileManager.default.contents(atPath: full) ?? Data()
            try (old + Data(text.utf8)).write(to: URL(fileURLWithPath: full))
            try check(git(["add", "-A"]))
            try check(git(["commit", "-q", "-m", "change \(path)"]))
            return rev("HEAD")
        }

        func rev(_ r: String, in cwd: String? = nil) -> String {
            git(["rev-parse", r], in: cwd).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        var remoteMain: String { rev("main", in: remote) }

        func push(env extra: [String: String] = [:]) -> CLIProcess.Result {
            git(["push", "origin", "main"], env: extra)
        }

        var harvests: [String] {
            ((try? String(contentsOfFile: harvestLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    @Test func installedHookLetsACleanPushLandAndHarvestsOnce() throws {
        let r = try PushRepo()
        let install = r.cli(["install", "hook"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("Installed the pre-push hook: \(r.work)/.git/hooks/pre-push"))
        let hook = r.work + "/.git/hooks/pre-push"
        #expect(access(hook, X_OK) == 0)
        #expect(try String(contentsOfFile: hook, encoding: .utf8).contains("fallback='\(CLI.binary)'"))
        #expect(r.cli(["install", "hook"]).stdout.contains("already installed"))

        let tip = try r.commit(".claude/learnings.md", "- run `make check` before pushing\n")
        let push = r.push()
        #expect(push.status == 0, "\(push.stderr)")
        #expect(r.remoteMain == tip)
        #expect(!push.stderr.contains("context-sync: secret"))
        #expect(r.harvests == ["active=1", r.work])
    }

    @Test func aSecretAddedToLearningsRefusesThePushWithTheSecretMasked() throws {
        // PATH without the build directory: the hook reaches the binary through its fallback path.
        let r = try PushRepo(pathHasBinary: false)
        try r.check(r.cli(["install", "hook"]))
        let before = r.remoteMain
        let line = "- Deploy to staging with AWS_ACCESS_KEY_ID=\(Self.awsKey) from the team vault\n"
        let tip = try r.commit(".claude/learnings.md", line)
        let push = r.push()
        #expect(push.status != 0)
        #expect(r.remoteMain == before, "the remote must not move")
        let short = String(tip.prefix(7))
        let expected = "context-sync: secret in \(short) .claude/learnings.md:4: aws-access-key-id \(Self.awsKey.prefix(4))…"
        #expect(push.stderr.contains(expected), "\(push.stderr)")
        #expect(push.stderr.contains("push refused"))
        #expect(!push.stderr.contains(Self.awsKey), "the full secret must never be printed")
        #expect(!push.stderr.contains(String(Self.awsKey.dropFirst(4))))
        #expect(r.harvests.isEmpty, "no harvest after a refusal")
    }

    @Test func aSecretInAnotherFileIsAllowedUnlessAllFilesIsAsked() throws {
        let r = try PushRepo()
        try r.check(r.cli(["install", "hook"]))
        let base = r.remoteMain
        let tip = try r.commit("deploy/env.sh", "export AWS_ACCESS_KEY_ID=\(Self.awsKey)\n")
        let stdin = "refs/heads/main \(tip) refs/heads/main \(base)\n"
        let all = r.cli(["hook", "pre-push", "origin", r.remote, "--all-files", "--budget", "0"], stdin: stdin)
        #expect(all.status == 1)
        #expect(all.stderr.contains("deploy/env.sh:1: aws-access-key-id"))
        #expect(!all.stderr.contains(Self.awsKey))
        let push = r.push()
        #expect(push.status == 0, "\(push.stderr)")
        #expect(r.remoteMain == tip)
    }

    @Test func anExistingHookIsChainedRunsFirstWithTheSameInputAndCanStillBlock() throws {
        let r = try PushRepo()
        let hook = r.work + "/.git/hooks/pre-push"
        let log = r.dir + "/chained.log", verdict = r.dir + "/verdict"
        try "0".write(toFile: verdict, atomically: true, encoding: .utf8)
        let original = "#!/bin/sh\necho \"args $1 $2\" >> '\(log)'\ncat >> '\(log)'\nexit $(cat '\(verdict)')\n"
        try original.write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        let install = r.cli(["install", "hook"])
        #expect(install.stdout.contains("pre-push.local and runs first"), "\(install.stdout)")

        // Both parts read the ref lines: the chained hook logs them, ours finds the secret in them.
        let base = r.remoteMain
        let tip = try r.commit("CLAUDE.md", "Token: \(Self.awsKey)\n")
        let refused = r.push()
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("context-sync: secret in \(tip.prefix(7)) CLAUDE.md:1:"))
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logged == "args origin \(r.remote)\nrefs/heads/main \(tip) refs/heads/main \(base)\n")

        // A clean history: ours lets it through, but the chained hook's failure still blocks.
        try r.check(r.git(["reset", "-q", "--hard", "HEAD~1"]))
        let clean = try r.commit(".claude/learnings.md", "- a clean learning\n")
        try "1".write(toFile: verdict, atomically: true, encoding: .utf8)
        let blocked = r.push()
        #expect(blocked.status != 0)
        #expect(r.remoteMain == base)
        #expect(r.harvests.isEmpty, "context-sync's part does not run after the chained hook failed")
        try "0".write(toFile: verdict, atomically: true, encoding: .utf8)
        let ok = r.push()
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(r.remoteMain == clean)
    }

    @Test func coreHooksPathIsWhereTheHookGoesAndWhatGitRuns() throws {
        let r = try PushRepo()
        try r.check(r.git(["config", "core.hooksPath", ".githooks"]))
        let install = r.cli(["install", "hook"])
        #expect(install.stdout.contains(r.work + "/.githooks/pre-push"), "\(install.stdout)")
        #expect(!FileManager.default.fileExists(atPath: r.work + "/.git/hooks/pre-push"))
        let before = r.remoteMain
        try r.commit(".claude/CLAUDE.md", "- key \(Self.awsKey)\n")
        let push = r.push()
        #expect(push.status != 0)
        #expect(push.stderr.contains(".claude/CLAUDE.md:1: aws-access-key-id"))
        #expect(r.remoteMain == before)
    }

    @Test func aHarvestThatCommitsLearningsSaysSoInThePushOutput() throws {
        let r = try PushRepo()
        #expect(r.cli(["install", "hook"]).status == 0)
        let harvest = "printf -- '- use make check\\n  - nested\\nplain text\\n- second\\n' >> .claude/learnings.md && git commit -qam 'learnings'"
        let tip = try r.commit("README.md", "hello\n")
        let push = r.push(env: ["CONTEXT_SYNC_HOOK_HARVEST": harvest])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(r.remoteMain == tip)
        let lines = push.stderr.split(separator: "\n").filter { $0.hasPrefix("context-sync:") }
        #expect(lines == ["context-sync: committed 3 learnings locally; your next push carries them"])
        // A harvest that commits nothing adds no line.
        try r.commit("README.md", "again\n")
        let quiet = r.push()
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("context-sync: committed"))
    }

    @Test func backgroundHarvestNeverHoldsThePushAndTheNextPushSaysWhatItCarries() throws {
        var r = try PushRepo()
        r.env["CONTEXT_SYNC_HOOK_WAIT"] = nil
        #expect(r.cli(["install", "hook"]).status == 0)
        // The harvest goes on only once the test has seen the push return: a hook that waited
        // for it would hold the push until the harvest gave up, and no commit would appear.
        let go = r.dir + "/go"
        let harvest = "i=0; while [ ! -f '\(go)' ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; [ -f '\(go)' ] && "
            + "printf -- '- use make check\\n' >> .claude/learnings.md && git commit -qam 'context-sync: learnings from vm 2026-12-02'"
        let tip = try r.commit("README.md", "hello\n")
        let push = r.push(env: ["CONTEXT_SYNC_HOOK_HARVEST": harvest])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(r.remoteMain == tip)
        #expect(FileManager.default.createFile(atPath: go, contents: Data()))
        var head = tip
        for _ in 0..<200 where head == tip {
            usleep(50_000)
            head = r.git(["rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(head != tip, "the background harvest committed")
        let next = r.push(env: ["CONTEXT_SYNC_HOOK_HARVEST": "true"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("context-sync: this push carries 1 learning context-sync committed locally"), "\(next.stderr)")
        #expect(r.remoteMain == head)
    }

    @Test func aGlobalHooksPathNeedsGlobalBothWays() throws {
        let r = try PushRepo()
        let home = r.dir + "/home"
        try Data("[core]\n\thooksPath = ~/githooks\n".utf8).write(to: URL(fileURLWithPath: home + "/.gitconfig"))
        let hook = home + "/githooks/pre-push"
        let refused = r.cli(["install", "hook"])
        #expect(refused.status == 2)
        #expect(refused.stderr == "context-sync: error: core.hooksPath is set in your global or system git config, so \(hook) runs for every repository: nothing was installed (run again with --global to install it for all of them, or set core.hooksPath in this repository only)\n")
        #expect(!FileManager.default.fileExists(atPath: hook))
        let install = r.cli(["install", "hook", "--global"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout == "Installed the pre-push hook: \(hook)\ncore.hooksPath is global: git runs this hook for every repository that does not set its own\n")
        #expect(HookInstaller.isOurs(hook))
        #expect(r.cli(["install", "hook", "--uninstall"]).status == 2)
        #expect(HookInstaller.isOurs(hook))
        #expect(r.cli(["install", "hook", "--uninstall", "--global"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: hook))
        // The repository's own core.hooksPath wins over the global one and is not refused.
        try r.check(r.git(["config", "core.hooksPath", ".githooks"]))
        #expect(r.cli(["install", "hook"]).status == 0)
        #expect(HookInstaller.isOurs(r.work + "/.githooks/pre-push"))
    }

    @Test func binaryOptionIsTheHooksFallback() throws {
        let r = try PushRepo()
        let bin = r.dir + "/opt/context-sync"
        try FileManager.default.createDirectory(atPath: r.dir + "/opt", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin, withDestinationPath: CLI.binary)
        let install = r.cli(["install", "hook", "--binary", bin])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(try String(contentsOfFile: r.work + "/.git/hooks/pre-push", encoding: .utf8).contains("fallback='\(bin)'"))
        let bad = r.cli(["install", "hook", "--binary", r.dir + "/nothing"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("not an executable file"))
    }

    @Test func uninstallRestoresTheOriginalHookByteForByte() throws {
        let r = try PushRepo()
        let hook = r.work + "/.git/hooks/pre-push"
        let original = Data("#!/bin/sh\n# team lint — keep\r\nexit 0".utf8)
        try original.write(to: URL(fileURLWithPath: hook))
        chmod(hook, 0o741)
        try r.check(r.cli(["install", "hook"]))
        #expect(HookInstaller.isOurs(hook))
        let u = r.cli(["install", "hook", "--uninstall"])
        #expect(u.status == 0)
        #expect(u.stdout.contains("restored the previous hook"))
        #expect(FileManager.default.contents(atPath: hook) == original)
        let mode = (try FileManager.default.attributesOfItem(atPath: hook)[.posixPermissions] as? Int)
        #expect(mode == 0o741)
        #expect(!FileManager.default.fileExists(atPath: hook + ".local"))
        let again = r.cli(["install", "hook", "--uninstall"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("is not context-sync's hook"))
        #expect(FileManager.default.contents(atPath: hook) == original)
    }

    @Test func aHangingHarvestIsStoppedAndThePushLands() throws {
        var r = try PushRepo()
        try r.check(r.cli(["install", "hook"]))
        r.env["CONTEXT_SYNC_HOOK_HARVEST"] = "echo $$ > '\(r.dir)/harvest.pid'; exec sleep 60"
        r.env["CONTEXT_SYNC_HOOK_BUDGET"] = "1"
        let tip = try r.commit(".claude/learnings.md", "- a learning\n")
        let push = r.push()
        #expect(push.status == 0, "\(push.stderr)")
        #expect(r.remoteMain == tip)
        #expect(push.stderr.contains("was stopped"))
        let pid = pid_t((try String(contentsOfFile: r.dir + "/harvest.pid", encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(pid.map { kill($0, 0) != 0 } == true, "the harvest must be gone")
    }

    @Test func withoutTheBinaryThePushGoesOnWithANote() throws {
        let r = try PushRepo(pathHasBinary: false)
        let hook = r.work + "/.git/hooks/pre-push"
        try PrePushTemplate.rendered(binary: r.dir + "/gone/context-sync").write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        let tip = try r.commit(".claude/learnings.md", "- key \(Self.awsKey)\n")
        let push = r.push()
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stderr.contains("context-sync is not on PATH"))
        #expect(r.remoteMain == tip)
    }

    @Test func aHookRunWithTheRecursionGuardScansButNeverHarvests() throws {
        let r = try PushRepo()
        let base = r.remoteMain
        let clean = try r.commit(".claude/learnings.md", "- fine\n")
        let guarded = r.cli(["hook", "pre-push", "origin", r.remote], stdin: "refs/heads/main \(clean) refs/heads/main \(base)\n",
                            env: ["CONTEXT_SYNC_ACTIVE": "1"])
        #expect(guarded.status == 0 && guarded.stderr.isEmpty)
        #expect(r.harvests.isEmpty)
        let tip = try r.commit(".claude/learnings.md", "- key \(Self.awsKey)\n")
        let secret = r.cli(["hook", "pre-push", "origin", r.remote], stdin: "refs/heads/main \(tip) refs/heads/main \(base)\n",
                           env: ["CONTEXT_SYNC_ACTIVE": "1"])
        #expect(secret.status == 1)
        #expect(!secret.stderr.contains(Self.awsKey))
        #expect(r.harvests.isEmpty)
        let odd = r.cli(["hook", "pre-push", "origin", r.remote], stdin: "what is this\n")
        #expect(odd.status == 0)
        #expect(odd.stderr.contains("context-sync: note: stdin line 1"))
    }
}
