#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ContextSyncTestSupport
import Foundation
import Testing
@testable import ContextSyncCore

@Suite("System: the child process runner")
struct ChildProcessTests {
    static let env = Environment(["PATH": "/usr/bin:/bin"])

    static func sh(_ script: String, input: Data? = nil, stdout: ChildProcess.Output = .capture(limit: ChildProcess.defaultLimit),
                   stderr: ChildProcess.Output = .capture(limit: ChildProcess.defaultLimit), timeout: Double? = 60,
                   killGrace: Double = 0.5, directory: String? = nil) -> ChildProcess {
        ChildProcess("/bin/sh", ["-c", script], environment: env, directory: directory, input: input,
                     stdout: stdout, stderr: stderr, timeout: timeout, killGrace: killGrace)
    }

    /// Waits (at most two seconds) until `pid` is gone; SIGKILL delivery is asynchronous.
    static func becomesGone(_ pid: pid_t) -> Bool {
        for _ in 0..<200 {
            if HarvestRunnerTests.isGone(pid) { return true }
            usleep(10_000)
        }
        return false
    }

    static func pid(in path: String) throws -> pid_t {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test func reportsTheExitCodeTheSignalAndWhatWasPrinted() throws {
        let r = try Self.sh("echo out; echo err >&2; exit 3").run()
        #expect(r.ending == .exited(3) && r.status == 3 && !r.timedOut)
        #expect(r.stdoutText == "out\n" && r.stderrText == "err\n")
        let killed = try Self.sh("kill -9 $$").run()
        #expect(killed.ending == .signaled(SIGKILL) && killed.status == 137)
    }

    @Test func aTimeoutKillsTheChildAndItsGrandchild() throws {
        let dir = TestSupport.makeTempDir("child-timeout")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The grandchild holds stdout open, and the leader ignores SIGTERM: only SIGKILL to the
        // whole group ends both, and the run must not wait for the pipe.
        let script = "trap '' TERM; sleep 60 & echo $! > \(dir)/grandchild; echo $$ > \(dir)/leader; while :; do sleep 1; done"
        let started = Date()
        let r = try Self.sh(script, timeout: 1, killGrace: 0.3).run()
        #expect(r.timedOut)
        #expect(r.ending == .signaled(SIGKILL))
        #expect(Date().timeIntervalSince(started) < 10)
        for name in ["leader", "grandchild"] {
            let pid = try Self.pid(in: dir + "/" + name)
            #expect(Self.becomesGone(pid), "\(name) \(pid) still runs")
        }
    }

    @Test func aChildThatEndsOnSIGTERMIsNotWaitedForUntilTheGrace() throws {
        let started = Date()
        let r = try Self.sh("exec sleep 60", timeout: 0.5, killGrace: 20).run()
        #expect(r.timedOut && r.ending == .signaled(SIGTERM))
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func outputOverTheLimitIsCountedAndTheChildIsNotBlocked() throws {
        let r = try Self.sh("head -c 5000000 /dev/zero; echo done >&2", stdout: .capture(limit: 1000), timeout: 60).run()
        #expect(r.ending == .exited(0) && !r.timedOut)
        #expect(r.stdout.count == 1000 && r.stdoutDropped == 4_999_000)
        #expect(r.stderrText == "done\n" && r.stderrDropped == 0)
    }

    @Test func largeStdinStdoutAndStderrTogetherDoNotDeadlock() throws {
        // The child fills stderr before it reads stdin, then echoes a stdin far larger than a
        // pipe's buffer: a runner that writes, then reads, one stream at a time hangs here.
        let input = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
        let r = try Self.sh("head -c 2000000 /dev/zero >&2; cat; head -c 1000000 /dev/zero >&2",
                            input: input, stdout: .capture(limit: 8 << 20), stderr: .capture(limit: 8 << 20), timeout: 60).run()
        #expect(!r.timedOut && r.ending == .exited(0))
        #expect(r.stdout == input)
        #expect(r.stderr.count == 3_000_000)
    }

    @Test func aChildThatDoesNotReadItsInputDoesNotBlockUs() throws {
        let r = try Self.sh("exit 0", input: Data(count: 4 << 20), timeout: 30).run()
        #expect(r.ending == .exited(0) && !r.timedOut)
    }

    @Test func theChildSeesExactlyTheEnvironmentItIsGiven() throws {
        #expect(ProcessInfo.processInfo.environment["HOME"] != nil)
        let env = Environment(["ONLY_HERE": "injected value", "PATH": "/usr/bin:/bin"])
        let r = try ChildProcess("/usr/bin/env", [], environment: env).run()
        let lines = Set(r.stdoutText.split(separator: "\n").map(String.init))
        #expect(lines == ["ONLY_HERE=injected value", "PATH=/usr/bin:/bin"])
    }

    @Test func aMissingExecutableOrDirectoryIsAClearError() {
        #expect {
            _ = try ChildProcess("/nonexistent/program", [], environment: Self.env).run()
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("/nonexistent/program: ") && text.contains("No such file")
        }
        #expect {
            _ = try ChildProcess("/bin/sh", ["-c", "true"], environment: Self.env, directory: "/nonexistent/dir").run()
        } throws: { error in
            "\(error)".contains("/nonexistent/dir")
        }
    }

    @Test func runsInTheDirectoryItIsGiven() throws {
        let dir = TestSupport.makeTempDir("child-dir")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.sh("pwd -P", directory: dir).run()
        #expect(r.stdoutText == URL(fileURLWithPath: dir).resolvingSymlinksInPath().path + "\n")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd")))
    func theChildInheritsNoDescriptorButItsStandardStreams() throws {
        // Opened without close-on-exec, as a careless caller might.
        let fd = open("/dev/null", O_RDONLY)
        #expect(fd > 2)
        defer { close(fd) }
        let r = try Self.sh("for n in 0 1 2 \(fd); do [ -e /proc/self/fd/$n ] && echo $n; done").run()
        #expect(r.stdoutText == "0\n1\n2\n")
    }

    @Test func aDetachedChildRunsWithoutUsAndAppendsItsStderrToAFile() throws {
        let dir = TestSupport.makeTempDir("child-detached")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/stderr.log"
        TestSupport.write("before\n", to: log)
        let started = Date()
        let pid = try Self.sh("sleep 0.3; echo from the child >&2", stderr: .appendToFile(log)).startDetached()
        #expect(pid > 0 && Date().timeIntervalSince(started) < 0.3)
        var text = ""
        for _ in 0..<500 where !text.contains("from the child") {
            usleep(10_000)
            text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        }
        #expect(text == "before\nfrom the child\n")
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
    }
}
