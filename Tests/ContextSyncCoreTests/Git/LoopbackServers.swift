#if canImport(Glibc)
import ContextSyncTestSupport
import Glibc
#endif
import Foundation
import Testing
@testable import ContextSyncCore

/// Loopback git servers for one test, started with `scripts/test-servers.sh` in a temporary
/// directory on free high ports of 127.0.0.1, stopped by pid in `stop()`.
final class LoopbackServers {
    let dir: String
    private(set) var ports: [String: Int] = [:]

    init(_ label: String) throws {
        dir = TestSupport.makeTempDir("srv-\(label)")
        _ = try script(["seed", dir])
    }

    /// The bare repository every server serves.
    var bareRepo: String { dir + "/remote.git" }

    /// Starts a server kind; records an Issue (the test fails) when it cannot run here.
    @discardableResult
    func start(_ kind: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var args = [kind, dir]
        switch kind {
        case "daemon", "sshd":
            let p = Self.freePort(); ports[kind] = p; args.append(String(p))
        case "http":
            let p = Self.freePort(), t = Self.freePort()
            ports["http"] = p; ports["https"] = t
            args += [String(p), String(t)]
        default: break
        }
        do {
            _ = try script(args)
            return true
        } catch let e as ScriptError {
            Issue.record("cannot start the loopback \(kind) server, so this test did not run: \(e.message)",
                         sourceLocation: sourceLocation)
            return false
        } catch {
            Issue.record("cannot start the loopback \(kind) server: \(error)", sourceLocation: sourceLocation)
            return false
        }
    }

    func stop() {
        _ = try? script(["stop", dir])
        try? FileManager.default.removeItem(atPath: dir)
    }

    var daemonURL: String { "git://127.0.0.1:\(ports["daemon"]!)/remote.git" }
    var httpURL: String { "http://127.0.0.1:\(ports["http"]!)/git/remote.git" }
    var httpsURL: String { "https://localhost:\(ports["https"]!)/git/remote.git" }
    var sshURL: String { "ssh://\(Self.userName)@127.0.0.1:\(ports["sshd"]!)\(dir)/remote.git" }
    var httpPassword: String { (try? String(contentsOfFile: dir + "/http.password", encoding: .utf8)) ?? "" }
    var caFile: String { dir + "/ca.pem" }
    /// A HOME with `.ssh/known_hosts` for the sshd (ed25519 line only).
    var sshHome: String { dir + "/home" }
    var clientKey: String { dir + "/client_ed25519" }

    static var userName: String {
        if let pw = getpwuid(getuid()), let n = pw.pointee.pw_name { return String(cString: n) }
        return ProcessInfo.processInfo.environment["USER"] ?? "root"
    }

    struct ScriptError: Error { var message: String }

    private func script(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [TestSupport.packageRoot + "/scripts/test-servers.sh"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw ScriptError(message: "test-servers.sh \(args.first ?? "") exited \(p.terminationStatus): "
                              + String(decoding: e, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return String(decoding: o, as: UTF8.self)
    }

    /// A port of 127.0.0.1 that was free a moment ago (bind to 0, read it, close).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// A TCP listener on 127.0.0.1 that accepts connections and never answers: a stalled server.
final class StalledServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private var clients: [Int32] = []
    private let lock = NSLock()
    private var stopped = false

    init() {
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(sock, 16)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &len) } }
        fd = sock
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let c = accept(sock, nil, nil)
                if c < 0 { return }
                lock.lock()
                if stopped { close(c); lock.unlock(); return }
                clients.append(c)
                lock.unlock()
            }
        }
    }

    func stop() {
        lock.lock()
        stopped = true
        clients.forEach { close($0) }
        clients = []
        lock.unlock()
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}

extension GitTestSupport {
    /// The built `context-sync` binary (for the child-process network runner).
    static let binary: String? = {
        var candidates: [String] = []
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("context-sync").path)
            dir = dir.deletingLastPathComponent()
        }
        for b in Bundle.allBundles {
            candidates.append(b.bundleURL.deletingLastPathComponent().appendingPathComponent("context-sync").path)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// A child-process runner with the given environment changes; records an Issue when the
    /// binary is missing.
    static func runner(_ env: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) -> ChildProcessNetworkRunner? {
        guard let binary else {
            Issue.record("the context-sync binary was not built next to the tests (swift build --build-tests builds it)",
                         sourceLocation: sourceLocation)
            return nil
        }
        var e = env
        // No agent from the developer's session and no credential prompts.
        if e["SSH_AUTH_SOCK"] == nil { e["SSH_AUTH_SOCK"] = "" }
        e["GIT_TERMINAL_PROMPT"] = "0"
        return ChildProcessNetworkRunner(executable: binary, environmentOverrides: e)
    }

    /// Clones `url` into `dir` with the git CLI, as a user would (git may need `extra` config).
    static func clone(_ url: String, to dir: String, config: [String] = [], env: [String: String] = [:]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + config.flatMap { ["-c", $0] } + ["clone", "-q", url, dir]
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        e["GIT_TERMINAL_PROMPT"] = "0"
        p.environment = e
        let err = Pipe()
        p.standardError = err
        try p.run()
        let msg = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw ContextSyncError("git clone \(url) failed: \(String(decoding: msg, as: UTF8.self))")
        }
        try TestSupport.git(["config", "user.name", "Tester"], in: dir)
        try TestSupport.git(["config", "user.email", "tester@example.invalid"], in: dir)
    }

    /// learnings.md on the bare repository's main branch.
    static func remoteLearnings(_ bare: String) throws -> String {
        try TestSupport.git(["show", "main:.claude/learnings.md"], in: bare)
    }

    static func options(_ runner: any GitNetworkRunner, machine: String = "laptop", date: String = "2026-02-01",
                        attempts: Int = 3, deadline: Double = 20, backoff: Double = 0.05,
                        environment: [String: String] = [:], clock: any WaitClock = SystemClock()) -> SyncOptions {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        return SyncOptions(machine: machine, date: date, push: true,
                           pushOptions: .init(maxAttempts: attempts, attemptDeadline: deadline, initialBackoff: backoff,
                                              runner: runner, environment: Environment(env), clock: clock))
    }
}
