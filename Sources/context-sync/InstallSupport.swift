import ArgumentParser
import ContextSyncCore
import Foundation

/// Prints what an installer did: one line per action on stdout, warnings on stderr.
func printInstallReport(_ report: InstallReport) {
    for line in report.actions { FileHandleOutput.stdout.write(line + "\n") }
    for line in report.warnings { FileHandleOutput.stderr.write("context-sync: warning: \(line)\n") }
}

/// The body every installer command shares: build the installer, install or uninstall, print
/// the report; errors in the house style.
func runInstaller(uninstall: Bool, _ make: () throws -> any Installer) throws {
    try runReportingErrors {
        printInstallReport(try make().run(uninstalling: uninstall))
        return .ok
    }
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
        guard let path else { return Self.stableExecutable() }
        let abs = Paths.absolute(path)
        guard FileManager.default.isExecutableFile(atPath: abs), !Paths.isDirectory(abs) else {
            throw ContextSyncError("--binary \(path): not an executable file (give the path of the context-sync binary)")
        }
        return abs
    }

    /// The path of this binary that survives a rebuild or a deleted clone: the PATH entry that
    /// resolves to it, else `~/.local/bin/context-sync` when that is this binary (same file or the
    /// same bytes, as `scripts/install.sh` copies it), else the running binary — with a warning on
    /// stderr when that lies inside a build folder (`/.build/`).
    static func stableExecutable(environment: Environment = .current) -> String {
        let current = currentExecutable
        let real = Paths.resolve(current)
        for dir in (environment["PATH"] ?? "").split(separator: ":") where dir.hasPrefix("/") {
            let candidate = Paths.normalize(dir + "/context-sync")
            if FileManager.default.isExecutableFile(atPath: candidate), Paths.resolve(candidate) == real { return candidate }
        }
        let local = environment.home + "/.local/bin/context-sync"
        if FileManager.default.isExecutableFile(atPath: local), isSameBinary(local, real) { return local }
        if real.contains("/.build/") || current.contains("/.build/") {
            FileHandleOutput.stderr.write("context-sync: warning: \(current) is inside a build folder: the integration breaks when the build is cleaned or the clone deleted; install the binary with scripts/install.sh (or pass --binary PATH)\n")
        }
        return current
    }

    /// True when `a` is `b`, or a copy of it byte for byte.
    static func isSameBinary(_ a: String, _ b: String) -> Bool {
        let ra = Paths.resolve(a)
        if ra == b { return true }
        let fm = FileManager.default
        guard let sa = (try? fm.attributesOfItem(atPath: ra))?[.size] as? Int,
              let sb = (try? fm.attributesOfItem(atPath: b))?[.size] as? Int, sa == sb else { return false }
        return fm.contentsEqual(atPath: ra, andPath: b)
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
