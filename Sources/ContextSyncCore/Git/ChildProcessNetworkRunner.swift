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
/// retry afterwards. The child starts with a fresh libgit2 and fresh credential state. At the
/// deadline its process group gets SIGKILL (`ChildProcess`).
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

    /// A caller that has no environment of its own gives the child this process's (stated, not
    /// assumed: `LearningsPush` always passes the run's).
    public func run(_ request: NetworkRequest, deadline: Double) -> NetworkResult {
        run(request, deadline: deadline, environment: .current)
    }

    /// The child gets `environment` (the run's: credentials variables, HOME, SSH_AUTH_SOCK),
    /// with `environmentOverrides` applied.
    public func run(_ request: NetworkRequest, deadline: Double, environment: Environment) -> NetworkResult {
        var env = environment.variables
        for (k, v) in environmentOverrides {
            if v.isEmpty { env.removeValue(forKey: k) } else { env[k] = v }
        }
        // The child dies with us and keeps its own deadline (see `ChildWatchdog`).
        for (k, v) in ChildWatchdog.childEnvironment(deadline: deadline) { env[k] = v }
        let child = ChildProcess(executable, arguments, environment: Environment(env),
                                 input: (try? JSONEncoder().encode(request)) ?? Data(),
                                 stdout: .capture(limit: Self.resultLimit), stderr: .capture(limit: Self.resultLimit),
                                 timeout: deadline, killGrace: 0)
        let r: ChildProcess.Result
        do { r = try child.run() } catch {
            return NetworkResult(kind: .failed, message: "cannot start \(error)")
        }
        if r.timedOut {
            return NetworkResult(kind: .timeout, message: "no answer from remote '\(request.remote)' within \(Self.seconds(deadline)) (the \(request.operation.rawValue) was stopped)")
        }
        if let result = try? JSONDecoder().decode(NetworkResult.self, from: r.stdout) { return result }
        let stderr = r.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
        return NetworkResult(kind: .failed, message: "\(executable) \(arguments.joined(separator: " ")) ended with status \(r.status) and no result\(stderr.isEmpty ? "" : ": " + stderr)")
    }

    /// What the child may print on each stream (its answer is one small JSON object).
    static let resultLimit = 1 << 20

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
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
