import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// Pushes against real servers on 127.0.0.1 (see scripts/test-servers.sh), through the
/// child-process runner the CLI uses.
@Suite("Git: pushing to loopback servers")
struct GitPushTests {
    func everyBulletOnce(_ text: String, _ expected: [String]) {
        let doc = LearningsDocument(parsing: text)
        var counts: [String: Int] = [:]
        for b in doc.allBullets { counts[LearningsDocument.normalizeForDedupe(b), default: 0] += 1 }
        for e in expected {
            #expect(counts[LearningsDocument.normalizeForDedupe(e)] == 1, "\(e) in \(text)")
        }
        #expect(counts.values.allSatisfy { $0 == 1 }, "\(text)")
        #expect(!text.contains("<<<<<<<") && !text.contains(">>>>>>>") && !text.contains("\n=======\n"))
    }

    @Test func firstPushToALocalBareRepository() throws {
        let s = try LoopbackServers("bare")
        defer { s.stop() }
        guard let runner = GitTestSupport.runner() else { return }
        let laptop = s.dir + "/laptop"
        try GitTestSupport.clone(s.bareRepo, to: laptop)
        let r = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["first learning"],
                                               options: GitTestSupport.options(runner))
        guard case .committed(let oid, pushed: true) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == oid)
        #expect(try GitTestSupport.remoteLearnings(s.bareRepo).contains("- first learning"))
        #expect(try TestSupport.git(["rev-parse", "origin/main"], in: laptop) == oid)
        // Nothing new: nothing to do.
        let again = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["First learning."],
                                                   options: GitTestSupport.options(runner))
        #expect(again.outcome == .noNewLearnings)
    }

    @Test func laptopAndVMInTurnOverGitDaemon() throws {
        let s = try LoopbackServers("daemon")
        defer { s.stop() }
        guard s.start("daemon"), let runner = GitTestSupport.runner() else { return }
        let laptop = s.dir + "/laptop", vm = s.dir + "/vm"
        try GitTestSupport.clone(s.daemonURL, to: laptop)
        try GitTestSupport.clone(s.daemonURL, to: vm)
        // vm has unrelated staged and unstaged work that must survive the replay.
        TestSupport.write("staged\n", to: vm + "/work.txt")
        try TestSupport.git(["add", "work.txt"], in: vm)
        TestSupport.write("unstaged\n", to: vm + "/notes.txt")
        let vmStatus = try GitTestSupport.statusExcludingOurs(vm)

        let a = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["laptop one", "shared idea"],
                                               options: GitTestSupport.options(runner, machine: "laptop"))
        guard case .committed(_, pushed: true) = a.outcome else { Issue.record("\(a.outcome)"); return }
        let b = try LearningsSync.writeAndSync(repository: vm, newBullets: ["vm one", "Shared idea."],
                                               options: GitTestSupport.options(runner, machine: "vm"))
        guard case .committed(let vmTip, pushed: true) = b.outcome else { Issue.record("\(b.outcome) \(b.log)"); return }
        #expect(b.log.contains { $0.contains("fetching") })
        let c = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["laptop two"],
                                               options: GitTestSupport.options(runner, machine: "laptop", date: "2026-02-02"))
        guard case .committed(_, pushed: true) = c.outcome else { Issue.record("\(c.outcome) \(c.log)"); return }

        let remote = try GitTestSupport.remoteLearnings(s.bareRepo)
        everyBulletOnce(remote, ["laptop one", "shared idea", "vm one", "laptop two"])
        #expect(LearningsDocument(parsing: remote).sections.map(\.date) == ["2026-02-02", "2026-02-01", "2026-02-01"])
        // Linear history: the vm's commit was replayed onto the laptop's.
        #expect(try TestSupport.git(["rev-list", "--merges", "--count", "main"], in: s.bareRepo) == "0")
        #expect(try TestSupport.git(["rev-parse", "main~1"], in: s.bareRepo) == vmTip)
        // The vm's work tree has the merged file and its own work untouched.
        #expect(try GitTestSupport.statusExcludingOurs(vm) == vmStatus)
        #expect(try TestSupport.git(["status", "--porcelain", "--", ".claude", ".gitattributes"], in: vm) == "")
        let vmFile = try String(contentsOfFile: vm + "/.claude/learnings.md", encoding: .utf8)
        #expect(vmFile.contains("- laptop one") && vmFile.contains("- vm one"))
    }

    @Test func laptopAndVMAtTheSameTime() throws {
        let s = try LoopbackServers("race")
        defer { s.stop() }
        guard s.start("daemon"), let runner = GitTestSupport.runner() else { return }
        let machines = ["laptop", "vm"]
        for m in machines { try GitTestSupport.clone(s.daemonURL, to: s.dir + "/" + m) }
        let results = ResultBox()
        let group = DispatchGroup()
        let root = s.dir
        for m in machines {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let r = try LearningsSync.writeAndSync(
                        repository: root + "/" + m, newBullets: ["\(m) alpha", "\(m) beta", "common knowledge"],
                        options: GitTestSupport.options(runner, machine: m, attempts: 5, backoff: 0.1))
                    results.add(m, "\(r.outcome)", ok: { if case .committed(_, true) = r.outcome { return true }; return false }())
                } catch {
                    results.add(m, "\(error)", ok: false)
                }
            }
        }
        group.wait()
        #expect(results.allOK, "\(results.lines)")
        let remote = try GitTestSupport.remoteLearnings(s.bareRepo)
        everyBulletOnce(remote, ["laptop alpha", "laptop beta", "vm alpha", "vm beta", "common knowledge"])
    }

    @Test func serverHookRefusalStopsWithoutRetrying() throws {
        let s = try LoopbackServers("hook")
        defer { s.stop() }
        guard s.start("daemon"), let runner = GitTestSupport.runner() else { return }
        let hook = s.bareRepo + "/hooks/pre-receive"
        TestSupport.write("#!/bin/sh\necho 'protected branch' >&2\nexit 1\n", to: hook)
        chmod(hook, 0o755)
        let laptop = s.dir + "/laptop"
        try GitTestSupport.clone(s.daemonURL, to: laptop)
        let before = try TestSupport.git(["rev-parse", "main"], in: s.bareRepo)
        let r = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["refused"], options: GitTestSupport.options(runner))
        guard case .pushStopped(let oid, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(reason.contains("pre-receive hook declined"), "\(reason)")
        #expect(reason.contains("(the server said: protected branch)"), "the hook's own reason: \(reason)")
        #expect(r.log.filter { $0.hasPrefix("push ") }.count == 1)
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == before)
        #expect(try TestSupport.git(["rev-parse", "HEAD"], in: laptop) == oid)  // the commit stays local
        #expect(r.outcome.exitStatus == .usage)
    }

    @Test func serverDownQueuesThenTheNextRunPushes() throws {
        let s = try LoopbackServers("down")
        defer { s.stop() }
        guard let runner = GitTestSupport.runner() else { return }
        let laptop = s.dir + "/laptop"
        try GitTestSupport.clone(s.bareRepo, to: laptop)
        // Point origin at a daemon that is not running yet.
        let port = LoopbackServers.freePort()
        try TestSupport.git(["remote", "set-url", "origin", "git://127.0.0.1:\(port)/remote.git"], in: laptop)
        let t0 = Date()
        let r = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["offline learning"],
                                               options: GitTestSupport.options(runner, attempts: 3, backoff: 0.05))
        guard case .queued(let oid, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(r.outcome.exitStatus == .queued)
        #expect(r.log.filter { $0.hasPrefix("push ") }.count == 3)
        #expect(Date().timeIntervalSince(t0) < 10)
        #expect(!reason.isEmpty)
        // The server comes up (on that port); the next run has nothing new but pushes the commit.
        let out = Process()
        out.executableURL = URL(fileURLWithPath: "/bin/bash")
        out.arguments = [TestSupport.packageRoot + "/scripts/test-servers.sh", "daemon", s.dir, String(port)]
        try out.run()
        out.waitUntilExit()
        #expect(out.terminationStatus == 0)
        let next = try LearningsSync.writeAndSync(repository: laptop, newBullets: [], options: GitTestSupport.options(runner))
        #expect(next.outcome == .committed(oid: oid, pushed: true))
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == oid)
    }

    @Test func stalledServerHitsTheDeadline() throws {
        let stalled = StalledServer()
        defer { stalled.stop() }
        let s = try LoopbackServers("stall")
        defer { s.stop() }
        guard let runner = GitTestSupport.runner() else { return }
        let laptop = s.dir + "/laptop"
        try GitTestSupport.clone(s.bareRepo, to: laptop)
        try TestSupport.git(["remote", "set-url", "origin", "git://127.0.0.1:\(stalled.port)/remote.git"], in: laptop)
        let t0 = Date()
        let r = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["stalled"],
                                               options: GitTestSupport.options(runner, attempts: 2, deadline: 1.0, backoff: 0.05))
        let elapsed = Date().timeIntervalSince(t0)
        guard case .queued(_, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(reason.contains("within 1 s"), "\(reason)")
        #expect(elapsed >= 2.0 && elapsed < 8, "\(elapsed)")
    }

    @Test func conflictOutsideLearningsStopsAndKeepsTheCommit() throws {
        let s = try LoopbackServers("conflict")
        defer { s.stop() }
        guard let runner = GitTestSupport.runner() else { return }
        let laptop = s.dir + "/laptop", vm = s.dir + "/vm"
        try GitTestSupport.clone(s.bareRepo, to: laptop)
        try GitTestSupport.clone(s.bareRepo, to: vm)
        for (dir, text) in [(laptop, "laptop\n"), (vm, "vm\n")] {
            TestSupport.write(text, to: dir + "/shared.txt")
            try TestSupport.git(["add", "shared.txt"], in: dir)
            try TestSupport.git(["commit", "-q", "-m", "context-sync: pretend"], in: dir)  // passes the own-commit guard
        }
        try TestSupport.git(["push", "-q", "origin", "main"], in: laptop)
        let r = try LearningsSync.writeAndSync(repository: vm, newBullets: ["x"], options: GitTestSupport.options(runner))
        guard case .pushStopped(let oid, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(reason.contains("shared.txt"), "\(reason)")
        #expect(try TestSupport.git(["rev-parse", "HEAD"], in: vm) == oid)
        #expect(try TestSupport.git(["status", "--porcelain"], in: vm) == "")
        #expect(!FileManager.default.fileExists(atPath: vm + "/.git/MERGE_HEAD"))
    }

    @Test func usersOwnUnpushedCommitsAreNotPublished() throws {
        let s = try LoopbackServers("own")
        defer { s.stop() }
        guard let runner = GitTestSupport.runner() else { return }
        let laptop = s.dir + "/laptop"
        try GitTestSupport.clone(s.bareRepo, to: laptop)
        try TestSupport.git(["commit", "-q", "--allow-empty", "-m", "my private work"], in: laptop)
        let before = try TestSupport.git(["rev-parse", "main"], in: s.bareRepo)
        let r = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["x"], options: GitTestSupport.options(runner))
        guard case .queued(_, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(reason.contains("my private work"))
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == before)
    }

    @Test func pushFromALinkedWorktree() throws {
        let s = try LoopbackServers("worktree")
        defer { s.stop() }
        guard let runner = GitTestSupport.runner() else { return }
        let main = s.dir + "/main"
        try GitTestSupport.clone(s.bareRepo, to: main)
        try TestSupport.git(["worktree", "add", "-q", "-b", "topic", s.dir + "/wt"], in: main)
        let r = try LearningsSync.writeAndSync(repository: s.dir + "/wt", newBullets: ["from a worktree"],
                                               options: GitTestSupport.options(runner))
        guard case .committed(let oid, pushed: true) = r.outcome else { Issue.record("\(r.outcome) \(r.log)"); return }
        #expect(r.branch == "topic")
        #expect(try TestSupport.git(["rev-parse", "topic"], in: s.bareRepo) == oid)
    }

    @Test func autocrlfCheckoutsCommitNormalisedText() throws {
        let s = try LoopbackServers("crlf")
        defer { s.stop() }
        guard let runner = GitTestSupport.runner() else { return }
        let laptop = s.dir + "/laptop", vm = s.dir + "/vm"
        try GitTestSupport.clone(s.bareRepo, to: laptop)
        try GitTestSupport.clone(s.bareRepo, to: vm)
        try TestSupport.git(["config", "core.autocrlf", "true"], in: vm)
        _ = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["lf side"], options: GitTestSupport.options(runner))
        // The vm writes CRLF files; what it commits is normalised, and its status stays clean.
        let text = "# Learnings\r\n\r\n## 2026-01-30 (vm)\r\n\r\n- old crlf bullet\r\n"
        TestSupport.write(text, to: vm + "/.claude/learnings.md")
        let r = try LearningsSync.writeAndSync(repository: vm, newBullets: ["crlf side"],
                                               options: GitTestSupport.options(runner, machine: "vm"))
        guard case .committed(_, pushed: true) = r.outcome else { Issue.record("\(r.outcome) \(r.log)"); return }
        let remote = try GitTestSupport.remoteLearnings(s.bareRepo)
        #expect(!remote.contains("\r"))
        everyBulletOnce(remote, ["lf side", "crlf side", "old crlf bullet"])
        #expect(try TestSupport.git(["status", "--porcelain"], in: vm) == "")
    }

    @Test func inProcessRunnerPushesToALocalPath() throws {
        let s = try LoopbackServers("inproc")
        defer { s.stop() }
        let a = s.dir + "/a", b = s.dir + "/b"
        try GitTestSupport.clone(s.bareRepo, to: a)
        try GitTestSupport.clone(s.bareRepo, to: b)
        let runner = InProcessNetworkRunner()
        _ = try LearningsSync.writeAndSync(repository: a, newBullets: ["from a"], options: GitTestSupport.options(runner, machine: "a"))
        let r = try LearningsSync.writeAndSync(repository: b, newBullets: ["from b"], options: GitTestSupport.options(runner, machine: "b"))
        guard case .committed(_, pushed: true) = r.outcome else { Issue.record("\(r.outcome) \(r.log)"); return }
        everyBulletOnce(try GitTestSupport.remoteLearnings(s.bareRepo), ["from a", "from b"])
    }

    @Test func pushOnceAnswersJSONEvenForABadRequest() throws {
        guard let binary = GitTestSupport.binary else { Issue.record("context-sync binary not built"); return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["push-once"]
        let inp = Pipe(), out = Pipe()
        p.standardInput = inp
        p.standardOutput = out
        try p.run()
        inp.fileHandleForWriting.write(Data("not json".utf8))
        try inp.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let r = try JSONDecoder().decode(NetworkResult.self, from: data)
        #expect(r.kind == .failed)
        // A request for a repository that does not exist: a failure, not a crash.
        let runner = try #require(GitTestSupport.runner())
        let missing = runner.run(NetworkRequest(operation: .fetch, gitdir: "/nonexistent/repo", remote: "origin",
                                                refspecs: []), deadline: 10)
        #expect(missing.kind == .failed)
    }

    @Test func noRemoteIsAUsageError() throws {
        let dir = TestSupport.makeTempDir("noremote")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir)
        guard let runner = GitTestSupport.runner() else { return }
        #expect(throws: ContextSyncError.self) {
            _ = try LearningsSync.writeAndSync(repository: dir, newBullets: ["x"], options: GitTestSupport.options(runner))
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/.claude/learnings.md"))
        var noPush = GitTestSupport.options(runner)
        noPush.push = false
        let r = try LearningsSync.writeAndSync(repository: dir, newBullets: ["x"], options: noPush)
        guard case .committed(_, pushed: false) = r.outcome else { Issue.record("\(r.outcome)"); return }
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var lines: [String] = []
    private(set) var allOK = true

    func add(_ who: String, _ line: String, ok: Bool) {
        lock.lock()
        lines.append("\(who): \(line)")
        allOK = allOK && ok
        lock.unlock()
    }
}
