import ArgumentParser
import ContextSyncCore
import Foundation

/// Prints what an installer did: one line per action on stdout, warnings on stderr.
func printInstallReport(_ report: InstallReport) {
    for line in report.actions { FileHandleOutput.stdout.write(line + "\n") }
    for line in report.warnings { FileHandleOutput.stderr.write("context-sync: warning: \(line)\n") }
}

/// Options of the installers that schedule `context-sync run --all` (timer, cron, launchd).
struct ScheduleOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "How often to run: 5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h or 1d (default 1h).", valueName: "INTERVAL"))
    var every: String?

    @OptionGroup var binary: BinaryOption

    func schedule() throws -> Schedule {
        try every.map(Schedule.parse) ?? .hourly
    }
}

/// `--binary`: the context-sync the installed integration runs.
struct BinaryOption: ParsableArguments {
    @Option(name: .customLong("binary"), help: ArgumentHelp(
        "The context-sync binary the integration runs (default: this one). Use a path that survives upgrades, such as a symlink on PATH.",
        valueName: "PATH"))
    var path: String?

    /// The absolute path to write into the integration.
    func executable() throws -> String {
        guard let path else { return Self.currentExecutable }
        let abs = Paths.absolute(path)
        guard FileManager.default.isExecutableFile(atPath: abs), !Paths.isDirectory(abs) else {
            throw ContextSyncError("--binary \(path): not an executable file (give the path of the context-sync binary)")
        }
        return abs
    }

    /// This binary's absolute path (argv[0] is just the name when it was found on PATH).
    static var currentExecutable: String {
        let current = ChildProcessNetworkRunner.currentExecutable
        if current.hasPrefix("/") { return current }
        if let main = Bundle.main.executablePath, main.hasPrefix("/") { return main }
        if !current.contains("/") {
            for dir in (Environment.current["PATH"] ?? "").split(separator: ":") where dir.hasPrefix("/") {
                let candidate = dir + "/" + current
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return Paths.absolute(current)
    }
}
