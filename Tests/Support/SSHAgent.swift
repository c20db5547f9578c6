#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A test's own ssh-agent, in the foreground (`-D`) on `dir/agent.sock`, so the test owns the
/// process; `stop()` kills it (it may ignore SIGTERM).
public final class SSHAgent {
    public let socket: String
    private let process = Process()

    /// True when ssh-agent and ssh-add (openssh-client) are installed.
    public static var available: Bool {
        ["/usr/bin/ssh-agent", "/usr/bin/ssh-add"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts the agent and waits (bounded, 5 s) until it answers: its socket file appears when it
    /// binds, a moment before it listens.
    public init(in dir: String) throws {
        socket = dir + "/agent.sock"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
        process.arguments = ["-D", "-a", socket]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // `ssh-add -l` exits 2 while it cannot reach the agent, 0 or 1 (no keys) once it can.
        for _ in 0..<500 {
            if try ssh(["-l"]) != 2 { return }
            usleep(10_000)
        }
    }

    /// Adds the private key at `path`; returns ssh-add's exit status (0: added).
    public func add(_ path: String) throws -> Int32 {
        try ssh(["-q", path])
    }

    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }

    private func ssh(_ args: [String]) throws -> Int32 {
        try TestSupport.output("/usr/bin/ssh-add", args, environment: ["SSH_AUTH_SOCK": socket, "PATH": "/usr/bin:/bin"]).status
    }
}
