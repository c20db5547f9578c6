#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs a command in its own process group with stdin, stdout and stderr on /dev/null, and stops
/// the whole group when it runs over its budget: SIGTERM, then SIGKILL half a second later.
/// Nothing it starts keeps the caller's pipes open, so a git push waiting on the hook's output
/// never waits for it.
public enum HarvestRunner {
    public enum Outcome: Equatable, Sendable {
        /// Exit status (128 + signal number when a signal ended it).
        case finished(status: Int32)
        /// Ran over the budget; its process group was killed.
        case timedOut
        case couldNotStart(String)
        /// Started in the background (`detached`); nobody waits for it.
        case detached
    }

    /// How long a process group gets between SIGTERM and SIGKILL.
    public static let killGrace = 0.5

    /// Runs `argv` (an absolute program path first) with `environment`, in `directory`, for at
    /// most `budget` seconds (plus `killGrace` to stop it).
    public static func run(_ argv: [String], environment: [String: String], directory: String, budget: Double) -> Outcome {
        let pid: pid_t
        switch spawn(argv, environment: environment, directory: directory, stderrPath: nil) {
        case .failure(let why): return .couldNotStart(why.message)
        case .success(let p): pid = p
        }
        let deadline = Date().addingTimeInterval(budget)
        if let status = waitUntil(pid, deadline) { return .finished(status: status) }
        kill(-pid, SIGTERM)
        if waitUntil(pid, Date().addingTimeInterval(killGrace)) == nil {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        kill(-pid, SIGKILL)  // whatever else is left in the group
        return .timedOut
    }

    /// Starts `argv` in its own process group and returns at once: stdin and stdout on /dev/null,
    /// stderr appended to `stderrPath` (created 0600; /dev/null when it cannot be opened). The
    /// caller does not wait: the pre-push hook exits and the child finishes (or is stopped by
    /// its own budget) in the background.
    public static func detached(_ argv: [String], environment: [String: String], directory: String, stderrPath: String?) -> Outcome {
        var result = spawn(argv, environment: environment, directory: directory, stderrPath: stderrPath)
        if case .failure = result, stderrPath != nil {
            result = spawn(argv, environment: environment, directory: directory, stderrPath: nil)
        }
        switch result {
        case .failure(let why): return .couldNotStart(why.message)
        case .success: return .detached
        }
    }

    static func spawn(_ argv: [String], environment: [String: String], directory: String,
                      stderrPath: String?) -> Result<pid_t, ContextSyncError> {
        guard let program = argv.first else { return .failure(ContextSyncError("no command")) }
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
        for fd: Int32 in [0, 1, 2] {
            if fd == 2, let stderrPath {
                posix_spawn_file_actions_addopen(&actions, fd, stderrPath, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o600)
            } else {
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        // Every other descriptor the caller holds is closed in the child: a pipe a caller leaked
        // to git (and git to the hook) must not keep that caller waiting for a background harvest.
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attr, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)

        // posix_spawn has no working-directory action on older systems: start through a tiny
        // shell `cd` only when the directory differs.
        var args = argv
        var path = program
        if directory != FileManager.default.currentDirectoryPath {
            path = "/bin/sh"
            args = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + argv
        }
        let cArgs = args.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, cArgs, cEnv)
        guard rc == 0 else { return .failure(ContextSyncError("\(program): \(String(cString: strerror(rc)))")) }
        return .success(pid)
    }

    /// The descriptors open in this process (from /proc/self/fd or /dev/fd), each checked to be
    /// open still once the listing's own descriptor is closed.
    static func openDescriptors() -> [Int32] {
        let dir = FileManager.default.fileExists(atPath: "/proc/self/fd") ? "/proc/self/fd" : "/dev/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.compactMap { Int32($0) }.filter { fcntl($0, F_GETFD) != -1 }.sorted()
    }

    /// Polls `pid` until it ends (its exit status) or `deadline` passes (nil).
    static func waitUntil(_ pid: pid_t, _ deadline: Date) -> Int32? {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return decode(status) }
            if r < 0 && errno != EINTR { return -1 }
            if Date() >= deadline { return nil }
            usleep(10_000)
        }
    }

    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

}
