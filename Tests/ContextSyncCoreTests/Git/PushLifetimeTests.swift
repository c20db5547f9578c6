#if canImport(Glibc)
import ContextSyncTestSupport
import Glibc
#endif
import Foundation
import Testing
@testable import ContextSyncCore

/// Another machine pushes before each of our first `times` pushes (real commits to the same
/// bare repository), then the real operation runs in process.
final class ContendedRunner: GitNetworkRunner, @unchecked Sendable {
    let inner = InProcessNetworkRunner()
    let competitor: String
    let times: Int
    private let lock = NSLock()
    private var pushes = 0

    init(competitor: String, times: Int) {
        self.competitor = competitor
        self.times = times
    }

    func run(_ request: NetworkRequest, deadline: Double) -> NetworkResult {
        if request.operation == .push {
            lock.lock(); pushes += 1; let n = pushes; lock.unlock()
            if n <= times {
                _ = try? LearningsSync.writeAndSync(repository: competitor, newBullets: ["competitor found \(["alpha", "bravo", "charlie", "delta"][min(n, 4) - 1])"],
                                                    options: GitTestSupport.options(inner, machine: "other"))
            }
        }
        return inner.run(request, deadline: deadline)
    }
}

@Suite("Git: push tries under contention, and the push child's lifetime")
struct PushLifetimeTests {
    @Test func aReplayedNonFastForwardIsNotAFailedTry() throws {
        let dir = TestSupport.makeTempDir("contend")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bare = dir + "/remote.git"
        _ = try TestSupport.git(["init", "-q", "--bare", "-b", "main", bare], in: dir)
        try TestSupport.makeRepo(at: dir + "/seed", origin: bare)
        _ = try TestSupport.git(["push", "-q", "origin", "main"], in: dir + "/seed")
        try GitTestSupport.clone(bare, to: dir + "/laptop")
        try GitTestSupport.clone(bare, to: dir + "/other")
        // Another machine wins the race three times in a row; one network try is allowed.
        let runner = ContendedRunner(competitor: dir + "/other", times: 3)
        let r = try LearningsSync.writeAndSync(repository: dir + "/laptop", newBullets: ["laptop bullet"],
                                               options: GitTestSupport.options(runner, attempts: 1))
        guard case .committed(_, pushed: true) = r.outcome else { Issue.record("\(r.outcome) \(r.log)"); return }
        let remote = try GitTestSupport.remoteLearnings(bare) + "\n"
        for b in ["laptop bullet", "competitor found alpha", "competitor found bravo", "competitor found charlie"] {
            #expect(remote.components(separatedBy: "- " + b + "\n").count == 2, "\(b): \(remote)")
        }
    }

    /// The child a killed parent leaves must not live on against a stalled server.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/stat")))
    func thePushChildDiesWithItsParent() throws {
        guard let binary = GitTestSupport.binary else { Issue.record("context-sync binary not built"); return }
        let server = StalledServer()
        defer { server.stop() }
        let dir = TestSupport.makeTempDir("orphan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir + "/repo", origin: "git://127.0.0.1:\(server.port)/x.git")
        // A parent that starts the push child and is then killed: a shell that runs push-once in
        // the background and waits (the shell is the child's parent).
        let request = #"{"operation":"push","gitdir":"\#(dir)/repo","remote":"origin","refspecs":["refs/heads/main:refs/heads/main"]}"#
        try Data(request.utf8).write(to: URL(fileURLWithPath: dir + "/req.json"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "CONTEXT_SYNC_PARENT_PID=$$ CONTEXT_SYNC_ATTEMPT_DEADLINE=120 '\(binary)' push-once < '\(dir)/req.json' > /dev/null 2>&1 & echo $! > '\(dir)/child.pid'; wait"]
        try p.run()
        var child: Int32 = 0
        for _ in 0..<100 where child == 0 {
            usleep(50_000)
            child = Int32((try? String(contentsOfFile: dir + "/child.pid", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        }
        #expect(child > 0)
        usleep(500_000)
        #expect(Self.alive(child), "the child should be waiting on the stalled server")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        var gone = false
        for _ in 0..<60 where !gone {
            usleep(50_000)
            gone = !Self.alive(child)
        }
        #expect(gone, "push-once \(child) outlived its killed parent")
        if !gone { kill(child, SIGKILL) }
    }

    @Test func thePushChildKeepsItsOwnDeadline() throws {
        guard let binary = GitTestSupport.binary else { Issue.record("context-sync binary not built"); return }
        let server = StalledServer()
        defer { server.stop() }
        let dir = TestSupport.makeTempDir("deadline")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.makeRepo(at: dir + "/repo", origin: "git://127.0.0.1:\(server.port)/x.git")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["push-once"]
        var env = ProcessInfo.processInfo.environment
        env[ChildWatchdog.deadlineVariable] = "1"
        env.removeValue(forKey: ChildWatchdog.parentVariable)
        p.environment = env
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        let started = Date()
        try p.run()
        input.fileHandleForWriting.write(Data(#"{"operation":"push","gitdir":"\#(dir)/repo","remote":"origin","refspecs":["refs/heads/main:refs/heads/main"]}"#.utf8))
        try input.fileHandleForWriting.close()
        var ended = false
        for _ in 0..<200 where !ended {
            usleep(50_000)
            ended = !p.isRunning
        }
        if !ended { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        #expect(ended, "push-once ignored its own deadline")
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGALRM)
    }

    /// Running and not a zombie.
    static func alive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }
}

/// The `push-once` child gets the run's environment (the workspace's, which tests and callers
/// inject), not this process's.
@Suite struct ChildRunnerEnvironmentTests {
    @Test func theChildSeesTheInjectedEnvironmentWithOverrides() throws {
        let dir = TestSupport.makeTempDir("child-env")
        let fake = dir + "/push-once"
        TestSupport.write("#!/bin/sh\ncat >/dev/null\nprintf '{\"kind\":\"failed\",\"message\":\"%s|%s\",\"tried\":[],\"credentialCalls\":0}' \"$INJECTED_ONLY_HERE\" \"$OVERRIDDEN\"\n", to: fake)
        chmod(fake, 0o755)
        var vars = ProcessInfo.processInfo.environment
        vars["INJECTED_ONLY_HERE"] = "from-the-workspace"
        vars["OVERRIDDEN"] = "before"
        let runner = ChildProcessNetworkRunner(executable: fake, arguments: [], environmentOverrides: ["OVERRIDDEN": "after"])
        let request = NetworkRequest(operation: .push, gitdir: dir, remote: "origin", refspecs: [])
        let r = runner.run(request, deadline: 10, environment: Environment(vars))
        #expect(r.message == "from-the-workspace|after")
        #expect(ProcessInfo.processInfo.environment["INJECTED_ONLY_HERE"] == nil)
    }
}
