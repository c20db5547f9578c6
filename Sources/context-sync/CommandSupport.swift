import ArgumentParser
import ContextSyncCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs a command body, turning `ContextSyncError` into a one-line message on stderr and its
/// documented exit code.
func runReportingErrors(_ body: () throws -> ExitStatus) throws {
    let status: ExitStatus
    do {
        status = try body()
    } catch let e as ContextSyncError {
        printError(e.message)
        throw ExitCode(e.status.rawValue)
    } catch let e as GitError {
        printError(e.description)
        throw ExitCode(ExitStatus.usage.rawValue)
    }
    if status != .ok { throw ExitCode(status.rawValue) }
}

/// A failure: the command stops, or (run --all) this repository failed; the exit code is not 0.
func printError(_ message: String) {
    FileHandleOutput.stderr.write("context-sync: error: \(message)\n")
}

/// Something skipped or ignored that the user should know about; the command goes on and may
/// exit 0 (an unreadable transcript, an unknown config key).
func printWarning(_ message: String) {
    FileHandleOutput.stderr.write("context-sync: warning: \(message)\n")
}

enum FileHandleOutput {
    case stdout, stderr

    func write(_ s: String) { write(bytes: Array(s.utf8)) }

    func write(bytes: [UInt8]) { writeAll(self == .stdout ? 1 : 2, bytes) }
}

/// Session-selection options shared by every command that looks at sessions.
struct SessionOptions: ParsableArguments {
    @Option(name: .customLong("claude-dir"), help: ArgumentHelp(
        "Claude Code's configuration root (default: $CLAUDE_CONFIG_DIR, else ~/.claude).", valueName: "DIR"))
    var claudeDir: String?

    @Option(help: ArgumentHelp(
        "Minutes since the last write before a session counts as finished (default 15, or config `settle_minutes`).",
        valueName: "MINUTES"))
    var settle: Double?
}
