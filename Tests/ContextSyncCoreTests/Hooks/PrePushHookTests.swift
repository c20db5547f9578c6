#if canImport(Glibc)
import ContextSyncTestSupport
import Glibc
#endif
import Foundation
import Testing
@testable import ContextSyncCore

@Suite("Hooks: the pre-push check and its harvest")
struct PrePushHookTests {
    static let zeros = String(repeating: "0", count: 40)
    static let awsKey = "AK" + "IA" + "ZP4M7RWQ2KD9XV3N"

    /// A repository whose `main` has one unpushed commit adding `line` to .claude/learnings.md,
    /// the stdin line git would send for it, and a private environment.
    struct Setup {
        let dir: String
        let work: String
        let stdin: String
        let env: [String: String]

        init(line: String) throws {
            dir = TestSupport.makeTempDir("prepush")
            work = dir + "/work"
            try TestSupport.makeRepo(at: work)
            let base = try TestSupport.git(["rev-parse", "HEAD"], in: work)
            TestSupport.write("# Learnings\n\n\(line)\n", to: work + "/.claude/learnings.md")
            try TestSupport.git(["add", "-A"], in: work)
            try TestSupport.git(["commit", "-q", "-m", "learn"], in: work)
            let tip = try TestSupport.git(["rev-parse", "HEAD"], in: work)
            stdin = "refs/heads/main \(tip) refs/heads/main \(base)\n"
            env = ["HOME": dir + "/home", "XDG_CONFIG_HOME": dir + "/config", "PATH": "/usr/bin:/bin"]
        }

        func hook(_ extra: [String: String] = [:], budget: Double? = nil, directory: String? = nil) -> PrePushHook {
            PrePushHook(remote: "origin", url: "/nowhere.git", budget: budget,
                        environment: Environment(env.merging(extra) { $1 }), directory: directory ?? work,
                        binary: "/nonexistent/context-sync")
        }
    }

    @Test func aSecretRefusesWithMaskedFindingsAndNoHarvest() throws {
        let s = try Setup(line: "- the staging key is \(Self.awsKey)")
        let marker = s.dir + "/harvested"
        let out = s.hook([PrePushHook.harvestVariable: "touch \(marker)"]).run(stdin: s.stdin)
        #expect(out.status == .findings)
        #expect(out.findings.map(\.line) == [3])
        #expect(out.messages.first?.contains(".claude/learnings.md:3: aws-access-key-id") == true)
        #expect(out.messages.last?.contains("push refused") == true)
        #expect(!out.messages.joined().contains(Self.awsKey))
        #expect(out.harvest == nil)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func theConfigAllowlistLetsAKnownValueThrough() throws {
        let s = try Setup(line: "- the doc example is \(Self.awsKey)")
        TestSupport.write("[secrets]\nallow = [\"\(Self.awsKey)\"]\n", to: s.dir + "/config/context-sync/config.toml")
        let out = s.hook(budget: 0).run(stdin: s.stdin)
        #expect(out.status == .ok)
        #expect(out.findings.isEmpty)
        // A broken config does not disable the scan.
        TestSupport.write("[secrets\n", to: s.dir + "/config/context-sync/config.toml")
        let broken = s.hook(budget: 0).run(stdin: s.stdin)
        #expect(broken.status == .findings)
        #expect(broken.messages.contains { $0.contains("invalid TOML") && $0.contains("without the allowlist") })
    }

    @Test func theHarvestRunsTheBuiltInExtractorWithoutPushing() throws {
        let s = try Setup(line: "- run make before pushing")
        let record = s.dir + "/argv"
        let fake = s.dir + "/context-sync"
        TestSupport.write("#!/bin/sh\nprintf '%s\\n' \"$@\" > '\(record)'\n", to: fake)
        chmod(fake, 0o755)
        let hook = PrePushHook(remote: "origin", url: "/nowhere.git", budget: nil, environment: Environment(s.env),
                               directory: s.work, binary: fake)
        let out = hook.run(stdin: s.stdin)
        #expect(out.harvest == .finished(status: 0))
        let argv = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(argv == ["run", "--if-opted-in", "--no-push", "--quiet", "--extractor", "heuristic", "--on-secret", "redact", "--project", s.work])
        // The hook's --claude-dir reaches the harvest.
        var withRoot = hook
        withRoot.claudeDir = s.dir + "/claude-elsewhere"
        #expect(withRoot.run(stdin: s.stdin).harvest == .finished(status: 0))
        let argv2 = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(argv2.suffix(2) == ["--claude-dir", s.dir + "/claude-elsewhere"])
    }

    @Test func aDetachedHarvestStartsHookHarvestInTheBackgroundWithTheBudgetAndRoot() throws {
        let s = try Setup(line: "- run make before pushing")
        let record = s.dir + "/argv"
        let fake = s.dir + "/context-sync"
        TestSupport.write("#!/bin/sh\nprintf '%s\\n' \"$@\" > '\(record).tmp' && mv '\(record).tmp' '\(record)'\n", to: fake)
        chmod(fake, 0o755)
        var hook = PrePushHook(remote: "origin", url: "/nowhere.git", budget: 7, environment: Environment(s.env),
                               directory: s.work, binary: fake, claudeDir: s.dir + "/claude-elsewhere")
        hook.detach = true
        let out = hook.run(stdin: s.stdin)
        #expect(out.harvest == .detached)
        #expect(out.status == .ok)
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: record) { usleep(25_000) }
        let argv = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(argv == ["hook", "harvest", "--project", s.work, "--budget", "7.0", "--claude-dir", s.dir + "/claude-elsewhere"])
    }

    @Test func cleanPushHarvestsWithTheRecursionGuardInTheRepositoryTop() throws {
        let s = try Setup(line: "- run make before pushing")
        let record = s.dir + "/record"
        let out = s.hook([PrePushHook.harvestVariable: "{ echo \"$CONTEXT_SYNC_ACTIVE\"; pwd; } > \(record)"])
            .run(stdin: s.stdin)
        #expect(out.status == .ok)
        #expect(out.messages.isEmpty)
        #expect(out.harvest == .finished(status: 0))
        let text = try String(contentsOfFile: record, encoding: .utf8)
        #expect(text == "1\n\(s.work)\n")
    }

    @Test func theDefaultHarvestRunsContextSyncRunAndItsFailureIsANote() throws {
        let s = try Setup(line: "- fine")
        // The binary does not exist: the harvest cannot start (or the shell says 127); never a refusal.
        let out = s.hook().run(stdin: s.stdin)
        #expect(out.status == .ok)
        #expect(out.messages.count == 1)
        #expect(out.messages.first?.hasPrefix("context-sync: note:") == true)
    }

    @Test func startedByContextSyncItScansButNeverHarvests() throws {
        let s = try Setup(line: "- key \(Self.awsKey)")
        let out = s.hook([PrePushHook.activeVariable: "1"]).run(stdin: s.stdin)
        #expect(out.status == .findings && out.harvest == nil)
        let clean = try Setup(line: "- fine")
        let ok = clean.hook([PrePushHook.activeVariable: "1"]).run(stdin: clean.stdin)
        #expect(ok.status == .ok && ok.messages.isEmpty && ok.harvest == nil)
    }

    @Test func internalProblemsNeverRefuse() throws {
        let s = try Setup(line: "- fine")
        let odd = s.hook(budget: 0).run(stdin: "garbage\n")
        #expect(odd.status == .ok)
        #expect(odd.messages == ["context-sync: note: stdin line 1 is not `<local ref> <local oid> <remote ref> <remote oid>`: skipped"])
        let outside = s.hook(budget: 0, directory: s.dir).run(stdin: s.stdin)
        #expect(outside.status == .ok)
        #expect(outside.messages.first?.contains("push not checked") == true)
        let unknown = String(repeating: "e", count: 40)
        let missing = s.hook(budget: 0).run(stdin: "refs/heads/main \(unknown) refs/heads/main \(Self.zeros)\n")
        #expect(missing.status == .ok)
        #expect(missing.messages.first?.contains("push not checked") == true)
        let badBudget = s.hook([PrePushHook.budgetVariable: "soon", PrePushHook.harvestVariable: "true"]).run(stdin: s.stdin)
        #expect(badBudget.status == .ok)
        #expect(badBudget.messages == ["context-sync: note: CONTEXT_SYNC_HOOK_BUDGET=soon is not a number of seconds; using 20"])
    }
}

@Suite("Hooks: harvest runner")
struct HarvestRunnerTests {
    /// Gone, or a zombie nobody reaps (a container's PID 1 may not).
    static func isGone(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 { return true }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }

    @Test func reportsTheExitStatus() {
        let dir = TestSupport.makeTempDir("harvest")
        #expect(HarvestRunner.run(["/bin/sh", "-c", "exit 3"], environment: [:], directory: dir, budget: 30) == .finished(status: 3))
        #expect(HarvestRunner.run(["/bin/sh", "-c", "kill -9 $$"], environment: [:], directory: dir, budget: 30) == .finished(status: 137))
        let cwd = FileManager.default.currentDirectoryPath
        if case .couldNotStart = HarvestRunner.run(["/nonexistent/program"], environment: [:], directory: cwd, budget: 30) {} else {
            Issue.record("a missing program must not start")
        }
    }

    @Test func killsTheWholeProcessGroupWhenOverBudget() throws {
        let dir = TestSupport.makeTempDir("harvest")
        let script = "sleep 60 & echo $! > \(dir)/child; echo $$ > \(dir)/leader; exec sleep 60"
        let outcome = HarvestRunner.run(["/bin/sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"], directory: dir, budget: 1)
        #expect(outcome == .timedOut)
        for name in ["leader", "child"] {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            let pid = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            var gone = false
            for _ in 0..<200 where !gone {  // SIGKILL delivery is asynchronous
                gone = Self.isGone(pid)
                if !gone { usleep(10_000) }
            }
            #expect(gone, "\(name) \(pid) still runs")
        }
    }
}
