#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Clibgit2
import Foundation

/// The one way context-sync starts a program. A child always gets
/// - exactly the `Environment` it is given (never this process's own, silently);
/// - its own process group, an empty signal mask and default signal actions, and no descriptor
///   of ours but its three standard streams;
/// - stdin from `input` (written on the side, so a child that does not read cannot block us) or
///   /dev/null; stdout and stderr captured up to a limit each (the rest is read and counted, so
///   the child never blocks on a full pipe), thrown away, or appended to a file.
///
/// `run()` reads both pipes and writes stdin in one `poll` loop on the calling thread, while a
/// helper thread waits for the child; at `timeout` the whole process group gets SIGTERM, and
/// SIGKILL `killGrace` seconds later (or at once when the leader is gone). `startDetached()`
/// starts the child and returns: nobody waits for it.
public struct ChildProcess: Sendable {
    /// Where a child's stdout or stderr goes.
    public enum Output: Sendable, Equatable {
        /// Kept in memory, up to `limit` bytes; the rest is read and counted.
        case capture(limit: Int)
        /// /dev/null.
        case discard
        /// Appended to this file (created 0600; a symbolic link is refused).
        case appendToFile(String)
    }

    /// How a child ended.
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// What a finished child left: how it ended, whether it was stopped at the timeout, and what
    /// it printed.
    public struct Result: Sendable, Equatable {
        /// For a timed-out child, how the kill ended it.
        public var ending: Ending
        public var timedOut: Bool
        public var stdout: Data
        public var stderr: Data
        /// Bytes read past each stream's limit and not kept.
        public var stdoutDropped: Int
        public var stderrDropped: Int

        /// The exit code, or 128 + the signal number (what a shell reports).
        public var status: Int32 {
            switch ending {
            case .exited(let code): return code
            case .signaled(let signal): return 128 + signal
            }
        }

        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// The child could not be started. `description` reads "PROGRAM: why".
    public struct StartError: Error, CustomStringConvertible, Sendable, Equatable {
        public var executable: String
        public var reason: String
        public var description: String { "\(executable): \(reason)" }
    }

    /// An absolute path (no PATH lookup).
    public var executable: String
    public var arguments: [String]
    public var environment: Environment
    /// The child's working directory; nil keeps ours.
    public var directory: String?
    /// Written to the child's stdin, which is then closed; nil gives it /dev/null.
    public var input: Data?
    public var stdout: Output
    public var stderr: Output
    /// Seconds until the process group is stopped; nil waits as long as the child runs.
    public var timeout: Double?
    /// Seconds between SIGTERM and SIGKILL; 0 sends SIGKILL at once.
    public var killGrace: Double
    /// Seconds the pipes are still read after the child ended (a grandchild may hold them open).
    public var drainGrace: Double

    public static let defaultLimit = 1 << 20

    public init(_ executable: String, _ arguments: [String] = [], environment: Environment,
                directory: String? = nil, input: Data? = nil,
                stdout: Output = .capture(limit: ChildProcess.defaultLimit),
                stderr: Output = .capture(limit: ChildProcess.defaultLimit),
                timeout: Double? = nil, killGrace: Double = 0.5, drainGrace: Double = 2) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
        self.input = input
        self.stdout = stdout
        self.stderr = stderr
        self.timeout = timeout
        self.killGrace = killGrace
        self.drainGrace = drainGrace
    }

    /// Runs the child to its end (or its timeout) and returns what it left.
    public func run() throws(StartError) -> Result {
        _ = Self.ignoreSIGPIPE
        var opened: [Int32] = []
        func pipeOrNil(_ wanted: Bool, _ what: String) throws(StartError) -> (read: Int32, write: Int32)? {
            guard wanted else { return nil }
            let p = try makePipe(for: what)
            opened += [p.read, p.write]
            return p
        }
        let pid: pid_t
        let wake: (read: Int32, write: Int32), stdinPipe, outPipe, errPipe: (read: Int32, write: Int32)?
        do {
            wake = try pipeOrNil(true, "a wake-up pipe")!
            stdinPipe = try pipeOrNil(input != nil, "stdin")
            outPipe = try pipeOrNil(stdout.isCaptured, "stdout")
            errPipe = try pipeOrNil(stderr.isCaptured, "stderr")
            pid = try spawn(stdin: stdinPipe?.read, stdout: outPipe?.write, stderr: errPipe?.write)
        } catch {
            opened.forEach { close($0) }
            throw error
        }
        // The child's ends are its own now; ours never block.
        for fd in [stdinPipe?.read, outPipe?.write, errPipe?.write].compactMap({ $0 }) { close(fd) }
        for fd in [wake.read, stdinPipe?.write, outPipe?.read, errPipe?.read].compactMap({ $0 }) {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        let reaper = ChildReaper(pid: pid, wake: wake.write)
        reaper.start()
        var io = ChildIO(stdin: stdinPipe.map { ($0.write, input ?? Data()) },
                         stdout: outPipe.map { ($0.read, stdout.limit) }, stderr: errPipe.map { ($0.read, stderr.limit) },
                         wake: wake.read)
        let timedOut = io.run(pid: pid, reaper: reaper, timeout: timeout, killGrace: killGrace, drainGrace: drainGrace)
        io.closeAll()
        // Not reaped even after SIGKILL (a child stuck in the kernel): it dies when it leaves.
        return Result(ending: reaper.ending ?? .signaled(SIGKILL), timedOut: timedOut,
                      stdout: io.stdout?.kept ?? Data(), stderr: io.stderr?.kept ?? Data(),
                      stdoutDropped: io.stdout?.dropped ?? 0, stderrDropped: io.stderr?.dropped ?? 0)
    }

    /// Starts the child and returns its pid at once; nobody waits for it (it is reaped when this
    /// process ends). Captured streams go to /dev/null here.
    public func startDetached() throws(StartError) -> pid_t {
        try spawn(stdin: nil, stdout: nil, stderr: nil)
    }

    // MARK: starting

    /// Both ends close on exec and lie above the standard descriptors, so a `dup2` in the child
    /// never lands on itself and no other child inherits them.
    private func makePipe(for what: String) throws(StartError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard cs_pipe_cloexec(&fds) == 0 else { throw fail("cannot create \(what): \(Self.errnoText())") }
        for i in 0..<2 {
            var fd = fds[i]
            if fd <= 2 {
                let moved = fcntl(fd, F_DUPFD_CLOEXEC, 3)
                close(fd)
                fd = moved
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            fds[i] = fd
        }
        return (fds[0], fds[1])
    }

    private func spawn(stdin: Int32?, stdout outFD: Int32?, stderr errFD: Int32?) throws(StartError) -> pid_t {
        if let directory, !Paths.isDirectory(directory) {
            throw fail("cannot start in \(directory): no such directory")
        }
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        var attr: posix_spawnattr_t?
        #else
        var actions = posix_spawn_file_actions_t()
        var attr = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attr)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attr)
        }
        if let stdin { posix_spawn_file_actions_adddup2(&actions, stdin, 0) } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        for (fd, output, pipeEnd) in [(Int32(1), stdout, outFD), (Int32(2), stderr, errFD)] {
            if let pipeEnd {
                posix_spawn_file_actions_adddup2(&actions, pipeEnd, fd)
            } else if case .appendToFile(let path) = output {
                posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o600)
            } else {
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            }
        }
        var flags = Int32(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        #if canImport(Darwin)
        // Every descriptor not named above closes in the child.
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #else
        // Every other descriptor closes in the child: one a caller leaked (a pipe git handed the
        // hook) must not keep that caller waiting for a background harvest.
        cs_spawn_close_from(&actions, 3)
        #endif
        if let directory { cs_spawn_chdir(&actions, directory) }
        posix_spawnattr_setflags(&attr, Int16(flags))
        posix_spawnattr_setpgroup(&attr, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attr, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGALRM] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attr, argv, envp)
        guard rc == 0 else { throw fail(String(cString: strerror(rc))) }
        return pid
    }

    private func fail(_ reason: String) -> StartError { StartError(executable: executable, reason: reason) }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Writing to a child that stopped reading must fail with EPIPE, not end this process.
    static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
}

extension ChildProcess.Output {
    var isCaptured: Bool { if case .capture = self { return true } else { return false } }
    var limit: Int { if case .capture(let n) = self { return max(0, n) } else { return 0 } }
}
