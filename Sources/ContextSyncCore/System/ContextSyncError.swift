/// Exit codes shared by every command (documented in `--help` and the README).
public enum ExitStatus: Int32, Sendable {
    /// Done, or nothing new.
    case ok = 0
    /// Findings: a secret was found.
    case findings = 1
    /// Usage error or bad input (not a git repository, unreadable config, ...).
    case usage = 2
    /// Committed but not pushed (queued for the next run).
    case queued = 3
    /// Another run holds the repository's lock.
    case locked = 4
}

/// A failure the user can act on. Every message is one line that says what went wrong and what to do.
public struct ContextSyncError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public var status: ExitStatus

    public init(_ message: String, status: ExitStatus = .usage) {
        self.message = message
        self.status = status
    }

    public var description: String { message }

    public static func notARepository(_ path: String) -> ContextSyncError {
        ContextSyncError(
            "not a git repository: \(path) (run inside a git checkout or pass --project PATH)")
    }

    public static func io(_ what: String, path: String, errno code: Int32) -> ContextSyncError {
        ContextSyncError("\(what) \(path): \(String(cString: strerror(code)))")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
