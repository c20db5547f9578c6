import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// Pushes against real servers on 127.0.0.1 (see scripts/test-servers.sh), through the
/// child-process runner the CLI uses.
@Suite("Git: pushing to loopback servers")
struct GitPushTests {
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
        GitTestSupport.everyBulletOnce(remote, ["laptop alpha", "laptop beta", "vm alpha", "vm beta", "common knowledge"])
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
