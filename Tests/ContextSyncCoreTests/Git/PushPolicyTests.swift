import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

/// A bare repository on a local path, as the remote of push-policy tests (no server).
struct LocalRemote {
    let dir: String
    let bareRepo: String

    init(_ label: String) throws {
        dir = TestSupport.makeTempDir("remote-\(label)")
        bareRepo = try TestSupport.makeBareRemote(in: dir)
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    /// A clone at `dir/name`, as a machine of the test.
    func clone(_ name: String) throws -> String {
        let path = dir + "/" + name
        try GitTestSupport.clone(bareRepo, to: path)
        return path
    }
}

extension GitTestSupport {
    /// Every expected bullet once in `text`, no bullet twice, no conflict markers.
    static func everyBulletOnce(_ text: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let doc = LearningsDocument(parsing: text)
        var counts: [String: Int] = [:]
        for b in doc.allBullets { counts[LearningsDocument.normalizeForDedupe(b), default: 0] += 1 }
        for e in expected {
            #expect(counts[LearningsDocument.normalizeForDedupe(e)] == 1, "\(e) in \(text)", sourceLocation: sourceLocation)
        }
        #expect(counts.values.allSatisfy { $0 == 1 }, "\(text)", sourceLocation: sourceLocation)
        #expect(!text.contains("<<<<<<<") && !text.contains(">>>>>>>") && !text.contains("\n=======\n"),
                sourceLocation: sourceLocation)
    }
}

/// Push policies (queueing, refusal, retry and backoff, replay onto the other machine's
/// commits) against a scripted network runner or the in-process runner on a local bare
/// repository: no server, no child process, no real waiting. What needs a real server
/// (credentials, TLS, SSH, deadlines, a server hook's own words) is in GitPushTests and
/// GitAuthTests.
@Suite("Git: push policies, without a server")
struct PushPolicyTests {
    @Test func serverDownQueuesThenTheNextRunPushes() throws {
        let s = try LocalRemote("down")
        defer { s.remove() }
        let laptop = try s.clone("laptop")
        // The server is down: every try fails as a refused connection does.
        let down = ScriptedNetworkRunner([.networkDown(), .networkDown(), .networkDown()])
        let clock = ManualClock()
        let r = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["offline learning"],
                                               options: GitTestSupport.options(down, attempts: 3, backoff: 0.05, clock: clock))
        guard case .queued(let oid, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(r.outcome.exitStatus == .queued)
        #expect(r.log.filter { $0.hasPrefix("push ") }.count == 3)
        #expect(down.operations == [.push, .push, .push] && down.remaining == 0)
        #expect(reason == "127.0.0.1: connection refused", "the last network error: \(reason)")
        // Exponential backoff with jitter between tries, none after the last: 0.05 s, then 0.1 s.
        let waits = clock.sleeps
        #expect(waits.count == 2, "\(waits)")
        if waits.count == 2 {
            #expect((0.04...0.06).contains(waits[0]) && (0.08...0.12).contains(waits[1]), "\(waits)")
        }
        #expect(waits.reduce(0, +) < 10)
        // The server comes up; the next run has nothing new but pushes the commit.
        let next = try LearningsSync.writeAndSync(repository: laptop, newBullets: [],
                                                  options: GitTestSupport.options(InProcessNetworkRunner()))
        #expect(next.outcome == .committed(oid: oid, pushed: true))
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == oid)
    }

    /// The server refuses the ref update and, fetched, has nothing we lack: its policy (a hook,
    /// a protected branch), so no retry. (GitPushTests checks a real hook's words reach us.)
    @Test func aRefusalWithNothingNewOnTheRemoteStopsWithoutRetrying() throws {
        let s = try LocalRemote("refused")
        defer { s.remove() }
        let laptop = try s.clone("laptop")
        let before = try TestSupport.git(["rev-parse", "main"], in: s.bareRepo)
        let refusal = "\(s.bareRepo) refused the push: refs/heads/main: pre-receive hook declined (the server said: protected branch)"
        let runner = ScriptedNetworkRunner([.answer(NetworkResult(kind: .rejected, message: refusal)), .real])
        let clock = ManualClock()
        let r = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["refused"],
                                               options: GitTestSupport.options(runner, clock: clock))
        guard case .pushStopped(let oid, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(reason.contains("pre-receive hook declined") && reason.hasSuffix("(not retried)"), "\(reason)")
        #expect(r.log.filter { $0.hasPrefix("push ") }.count == 1)
        #expect(runner.operations == [.push, .fetch] && runner.remaining == 0)
        #expect(clock.sleeps.isEmpty, "a refusal is not waited on")
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == before)
        #expect(try TestSupport.git(["rev-parse", "HEAD"], in: laptop) == oid)  // the commit stays local
        #expect(r.outcome.exitStatus == .usage)
    }

    /// A fetch that fails for a network reason after a refusal is a failed try: backed off,
    /// retried, and the push lands once the network is back.
    @Test func aTransientFetchFailureIsAFailedTryThenThePushLands() throws {
        let s = try LocalRemote("fetch-down")
        defer { s.remove() }
        let laptop = try s.clone("laptop"), other = try s.clone("other")
        // Another machine pushed first; our push is refused, the fetch fails, then all works.
        let competitor = {
            _ = try? LearningsSync.writeAndSync(repository: other, newBullets: ["from the other machine"],
                                                options: GitTestSupport.options(InProcessNetworkRunner(), machine: "other"))
        }
        let runner = ScriptedNetworkRunner([.realAfter(competitor), .answer(NetworkResult(kind: .timeout, message: "no answer within 60 s"))],
                                           whenDone: .real)
        let clock = ManualClock()
        let r = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["from the laptop"],
                                               options: GitTestSupport.options(runner, attempts: 3, backoff: 0.5, clock: clock))
        guard case .committed(let oid, pushed: true) = r.outcome else { Issue.record("\(r.outcome) \(r.log)"); return }
        #expect(runner.operations == [.push, .fetch, .push, .fetch, .push], "\(r.log)")
        #expect(clock.sleeps.count == 1 && (0.4...0.6).contains(clock.sleeps.first ?? 0), "\(clock.sleeps)")
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == oid)
        GitTestSupport.everyBulletOnce(try GitTestSupport.remoteLearnings(s.bareRepo), ["from the laptop", "from the other machine"])
    }

    @Test func laptopAndVMInTurnReplayOntoEachOther() throws {
        let s = try LocalRemote("in-turn")
        defer { s.remove() }
        let runner = InProcessNetworkRunner()
        let laptop = try s.clone("laptop"), vm = try s.clone("vm")
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
        GitTestSupport.everyBulletOnce(remote, ["laptop one", "shared idea", "vm one", "laptop two"])
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

    @Test func conflictOutsideLearningsStopsAndKeepsTheCommit() throws {
        let s = try LocalRemote("conflict")
        defer { s.remove() }
        let runner = InProcessNetworkRunner()
        let laptop = try s.clone("laptop"), vm = try s.clone("vm")
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
        let s = try LocalRemote("own")
        defer { s.remove() }
        let runner = InProcessNetworkRunner()
        let laptop = try s.clone("laptop")
        try TestSupport.git(["commit", "-q", "--allow-empty", "-m", "my private work"], in: laptop)
        let before = try TestSupport.git(["rev-parse", "main"], in: s.bareRepo)
        let r = try LearningsSync.writeAndSync(repository: laptop, newBullets: ["x"], options: GitTestSupport.options(runner))
        guard case .queued(_, let reason) = r.outcome else { Issue.record("\(r.outcome)"); return }
        #expect(reason.contains("my private work"))
        #expect(try TestSupport.git(["rev-parse", "main"], in: s.bareRepo) == before)
    }

    @Test func pushFromALinkedWorktree() throws {
        let s = try LocalRemote("worktree")
        defer { s.remove() }
        let runner = InProcessNetworkRunner()
        let main = try s.clone("main")
        try TestSupport.git(["worktree", "add", "-q", "-b", "topic", s.dir + "/wt"], in: main)
        let r = try LearningsSync.writeAndSync(repository: s.dir + "/wt", newBullets: ["from a worktree"],
                                               options: GitTestSupport.options(runner))
        guard case .committed(let oid, pushed: true) = r.outcome else { Issue.record("\(r.outcome) \(r.log)"); return }
        #expect(r.branch == "topic")
        #expect(try TestSupport.git(["rev-parse", "topic"], in: s.bareRepo) == oid)
    }

    @Test func autocrlfCheckoutsCommitNormalisedText() throws {
        let s = try LocalRemote("crlf")
        defer { s.remove() }
        let runner = InProcessNetworkRunner()
        let laptop = try s.clone("laptop"), vm = try s.clone("vm")
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
        GitTestSupport.everyBulletOnce(remote, ["lf side", "crlf side", "old crlf bullet"])
        #expect(try TestSupport.git(["status", "--porcelain"], in: vm) == "")
    }

    @Test func inProcessRunnerPushesToALocalPath() throws {
        let s = try LocalRemote("inproc")
        defer { s.remove() }
        let a = try s.clone("a"), b = try s.clone("b")
        let runner = InProcessNetworkRunner()
        _ = try LearningsSync.writeAndSync(repository: a, newBullets: ["from a"], options: GitTestSupport.options(runner, machine: "a"))
        let r = try LearningsSync.writeAndSync(repository: b, newBullets: ["from b"], options: GitTestSupport.options(runner, machine: "b"))
        guard case .committed(_, pushed: true) = r.outcome else { Issue.record("\(r.outcome) \(r.log)"); return }
        GitTestSupport.everyBulletOnce(try GitTestSupport.remoteLearnings(s.bareRepo), ["from a", "from b"])
    }
}
