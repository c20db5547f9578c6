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
        guard let child = child(argv, environment: environment, directory: directory, stderrPath: nil) else {
            return .couldNotStart("no command")
        }
        var bounded = child
        bounded.timeout = budget
        bounded.killGrace = killGrace
        do {
            let r = try bounded.run()
            return r.timedOut ? .timedOut : .finished(status: r.status)
        } catch {
            return .couldNotStart(error.description)
        }
    }

    /// Starts `argv` in its own process group and returns at once: stdin and stdout on /dev/null,
    /// stderr appended to `stderrPath` (created 0600; /dev/null when it cannot be opened). The
    /// caller does not wait: the pre-push hook exits and the child finishes (or is stopped by
    /// its own budget) in the background.
    public static func detached(_ argv: [String], environment: [String: String], directory: String, stderrPath: String?) -> Outcome {
        guard var child = child(argv, environment: environment, directory: directory, stderrPath: stderrPath) else {
            return .couldNotStart("no command")
        }
        do {
            _ = try child.startDetached()
        } catch where stderrPath != nil {
            child.stderr = .discard
            do { _ = try child.startDetached() } catch { return .couldNotStart(error.description) }
        } catch {
            return .couldNotStart(error.description)
        }
        return .detached
    }

    /// Every stream on /dev/null but stderr, which may go to `stderrPath`. `ChildProcess` gives
    /// the child its own process group and closes every other descriptor the caller holds: a
    /// pipe a caller leaked to git (and git to the hook) must not keep that caller waiting.
    static func child(_ argv: [String], environment: [String: String], directory: String, stderrPath: String?) -> ChildProcess? {
        guard let program = argv.first else { return nil }
        return ChildProcess(program, Array(argv.dropFirst()), environment: Environment(environment), directory: directory,
                            stdout: .discard, stderr: stderrPath.map { .appendToFile($0) } ?? .discard)
    }
}
