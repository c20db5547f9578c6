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

/// `--claude-dir`, declared once for every command that reads or writes under Claude Code's
/// root. The root itself is resolved in one place, `Environment.claudeRoot(flag:config:)`
/// (through `Workspace`, or `Doctor`): --claude-dir, else $CLAUDE_CONFIG_DIR, else config
/// `claude_dir`, else ~/.claude.
struct ClaudeDirOption: ParsableArguments {
    @Option(name: .customLong("claude-dir"), help: ArgumentHelp(
        "Claude Code's configuration root (default: $CLAUDE_CONFIG_DIR, else config claude_dir, else ~/.claude).", valueName: "DIR"))
    var path: String?
}

/// `--project`, declared once for the commands that act on one repository and take any path
/// inside it (`sessions`, `install hook` and `doctor` keep their own wording of the same option).
/// Core resolves the path (`ProjectContext`): --project, else the current directory.
struct ProjectOption: ParsableArguments {
    @Option(name: .customLong("project"), help: ArgumentHelp("The repository (default: the current directory).", valueName: "PATH"))
    var path: String?
}

/// Session-selection options shared by every command that looks at sessions.
struct SessionOptions: ParsableArguments {
    @OptionGroup var claudeDirOption: ClaudeDirOption
    var claudeDir: String? { claudeDirOption.path }

    @Option(help: ArgumentHelp(
        "Minutes since the last write before a session counts as finished (default 15, or config `settle_minutes`).",
        valueName: "MINUTES"))
    var settle: Double?
}
