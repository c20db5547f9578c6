#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs each network operation in a child process — `context-sync push-once`, which reads a
/// `NetworkRequest` as JSON on stdin and prints a `NetworkResult` as JSON — and kills it with
/// SIGKILL at the deadline. libgit2 1.5 has no connect or read timeouts and a thread blocked in
/// it cannot be cancelled, so a separate process is the one way to bound an attempt and still
/// retry afterwards. The child starts with a fresh libgit2 and fresh credential state.
public struct ChildProcessNetworkRunner: GitNetworkRunner {
    /// The `context-sync` binary.
    public var executable: String
    /// Arguments before the request (the hidden subcommand).
    public var arguments: [String]
    /// Variables set (or, with an empty value, removed) in the child's environment.
    public var environmentOverrides: [String: String]

    public init(executable: String = ChildProcessNetworkRunner.currentExecutable,
                arguments: [String] = ["push-once"], environmentOverrides: [String: String] = [:]) {
        self.executable = executable
        self.arguments = arguments
        self.environmentOverrides = environmentOverrides
    }

    /// This process's own binary (`/proc/self/exe` on Linux).
    public static var currentExecutable: String {
        #if os(Linux)
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        if n > 0 {
            let path = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // A binary replaced (upgraded) while running reads as "... (deleted)".
            if !path.hasSuffix(" (deleted)") { return path }
        }
        #endif
        return CommandLine.arguments[0]
    }

    public func run(_ request: NetworkRequest, deadline: Double) -> NetworkResult {
        run(request, deadline: deadline, environment: .current)
    }

    /// The child gets `environment` (the run's: credentials variables, HOME, SSH_AUTH_SOCK),
    /// with `environmentOverrides` applied.
    public func run(_ request: NetworkRequest, deadline: Double, environment: Environment) -> NetworkResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var env = environment.variables
        for (k, v) in environmentOverrides {
            if v.isEmpty { env.removeValue(forKey: k) } else { env[k] = v }
        }
        // The child dies with us and keeps its own deadline (see `ChildWatchdog`).
        for (k, v) in ChildWatchdog.childEnvironment(deadline: deadline) { env[k] = v }
        p.environment = env
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        let started = Date()
        do { try p.run() } catch {
            return NetworkResult(kind: .failed, message: "cannot start \(executable): \(error)")
        }
        let out = PipeReader(outPipe), err = PipeReader(errPipe)
        if let body = try? JSONEncoder().encode(request) { inPipe.fileHandleForWriting.write(body) }
        try? inPipe.fileHandleForWriting.close()
        while p.isRunning && Date().timeIntervalSince(started) < deadline {
            usleep(5_000)
        }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            return NetworkResult(kind: .timeout, message: "no answer from remote '\(request.remote)' within \(Self.seconds(deadline)) (the \(request.operation.rawValue) was stopped)")
        }
        p.waitUntilExit()
        let data = out.wait()
        if let r = try? JSONDecoder().decode(NetworkResult.self, from: data) { return r }
        let stderr = String(decoding: err.wait(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return NetworkResult(kind: .failed, message: "\(executable) \(arguments.joined(separator: " ")) ended with status \(p.terminationStatus) and no result\(stderr.isEmpty ? "" : ": " + stderr)")
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }

    /// Reads a pipe to its end on a background thread.
    final class PipeReader: @unchecked Sendable {
        private let lock = NSCondition()
        private var data: Data?

        init(_ pipe: Pipe) {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                let d = handle.readDataToEndOfFile()
                lock.lock(); data = d; lock.broadcast(); lock.unlock()
            }
        }

        /// The pipe's content; waits at most two seconds after the child ended (a grandchild
        /// could still hold the pipe open).
        func wait() -> Data {
            lock.lock()
            defer { lock.unlock() }
            let until = Date().addingTimeInterval(2)
            while data == nil && lock.wait(until: until) {}
            return data ?? Data()
        }
    }
}

extension GitNetwork {
    /// The body of `context-sync push-once`: a JSON `NetworkRequest` in, a JSON `NetworkResult`
    /// out.
    public static func serveChildRequest(_ input: Data, environment: Environment = .current) -> Data {
        let result: NetworkResult
        if let request = try? JSONDecoder().decode(NetworkRequest.self, from: input) {
            result = perform(request, environment: environment)
        } else {
            result = NetworkResult(kind: .failed, message: "push-once: unreadable request on stdin")
        }
        return (try? JSONEncoder().encode(result)) ?? Data()
    }
}
