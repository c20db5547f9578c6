/// What an installer did, one line per action ("wrote X", "already installed: X", "removed X"),
/// plus warnings about steps it could not take (the files are in place; the user has a command
/// to finish by hand).
public struct InstallReport: Sendable, Equatable {
    public var actions: [String] = []
    public var warnings: [String] = []

    public init(actions: [String] = [], warnings: [String] = []) {
        self.actions = actions
        self.warnings = warnings
    }

    mutating func did(_ line: String) { actions.append(line) }
    mutating func warn(_ line: String) { warnings.append(line) }
}

extension ContextSyncError {
    /// An installer will not touch a file it did not write.
    static func foreignFile(_ path: String, what: String) -> ContextSyncError {
        ContextSyncError("refusing to \(what) \(path): it was not written by context-sync (move it away or remove it yourself, then run again)")
    }
}

/// An installer of user files outside repositories (timer, cron, launchd, claude-hook, patterns):
/// `install` is idempotent and never overwrites a file it did not write; `uninstall` removes only
/// what it created. The commands run one with `runInstaller` and print its report.
public protocol Installer: Sendable {
    func install() throws -> InstallReport
    func uninstall() throws -> InstallReport
}

extension Installer {
    /// `uninstall()` when `uninstalling`, else `install()`.
    public func run(uninstalling: Bool) throws -> InstallReport {
        uninstalling ? try uninstall() : try install()
    }
}

extension ClaudeHookInstaller: Installer {}
extension CronInstaller: Installer {}
extension LaunchdInstaller: Installer {}
extension PatternsInstaller: Installer {}
extension SystemdTimerInstaller: Installer {}
