#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `context-sync install launchd`: a macOS LaunchAgent,
/// `~/Library/LaunchAgents/<IntegrationNames.launchdLabel>.plist`, that runs
/// `context-sync run --all --quiet` every `StartInterval` seconds and logs to
/// `~/Library/Logs/context-sync.log`, loaded with `launchctl bootstrap gui/<uid>`.
///
/// Without launchctl (Linux) the file is still written and the report says it was not loaded.
public struct LaunchdInstaller: Sendable {
    public var home: String
    public var executable: String
    public var schedule: Schedule
    public var userID: UInt32
    public var tools: SystemTools
    /// Where the folders it creates are recorded, so that uninstalling removes them (nil: not).
    public var created: CreatedDirectories?

    public init(home: String, executable: String, schedule: Schedule = .hourly, userID: UInt32 = getuid(), tools: SystemTools,
                created: CreatedDirectories? = nil) {
        self.created = created
        self.home = home
        self.executable = executable
        self.schedule = schedule
        self.userID = userID
        self.tools = tools
    }

    public static let label = IntegrationNames.launchdLabel
    public var plistPath: String { home + "/Library/LaunchAgents/\(Self.label).plist" }
    public var logPath: String { home + "/Library/Logs/" + IntegrationNames.launchdLogFile }
    var domain: String { "gui/\(userID)" }
    var service: String { "\(domain)/\(Self.label)" }

    public var plistText: String {
        EmbeddedTemplates.launchdPlist.filling([
            "LABEL": Quoting.xml(Self.label),
            "EXECUTABLE": Quoting.xml(executable),
            "INTERVAL_SECONDS": String(schedule.seconds),
            "LOG_FILE": Quoting.xml(logPath),
        ])
    }

    public func install() throws -> InstallReport {
        var report = InstallReport()
        let bytes = Array(plistText.utf8)
        let state = try ManagedFile.state(of: plistPath, wanted: bytes)
        if state != .foreign { try created?.make(home + "/Library/LaunchAgents") }
        switch state {
        case .foreign: throw ContextSyncError.foreignFile(plistPath, what: "overwrite")
        case .same: report.did("already installed: \(plistPath)")
        case .absent: try ManagedFile.write(bytes, to: plistPath); report.did("wrote \(plistPath)")
        case .ours: try ManagedFile.write(bytes, to: plistPath); report.did("updated \(plistPath)")
        }
        // launchd does not create the log file's folder.
        try created?.make(home + "/Library/Logs")
        try AtomicFile.makeDirectories(home + "/Library/Logs")
        let manual = "launchctl bootstrap \(domain) \(Quoting.shell(plistPath))"
        guard tools.isAvailable(.launchctl) else {
            report.warn("launchctl is not available on this system: the agent is not loaded; on macOS, load it with: \(manual)")
            return report
        }
        if state == .same, let loaded = try tools.run(.launchctl, ["print", service]), loaded.succeeded {
            report.did("already loaded: \(Self.label)")
            return report
        }
        if state == .ours {
            // An agent loaded from the old file keeps running it until booted out.
            _ = try tools.run(.launchctl, ["bootout", service])
        }
        guard let r = try tools.run(.launchctl, ["bootstrap", domain, plistPath]) else { return report }
        if r.succeeded {
            report.did("loaded \(Self.label) (\(domain)): runs \(schedule.description)")
        } else {
            report.warn("launchctl bootstrap failed (status \(r.status)\(r.firstLine.isEmpty ? "" : ": " + r.firstLine)); the plist is in place; run by hand: \(manual)")
        }
        return report
    }

    public func uninstall() throws -> InstallReport {
        var report = InstallReport()
        switch try ManagedFile.state(of: plistPath, wanted: Array(plistText.utf8)) {
        case .absent:
            report.did("not installed: \(plistPath)")
            return report
        case .foreign:
            throw ContextSyncError.foreignFile(plistPath, what: "remove")
        case .same, .ours:
            break
        }
        if tools.isAvailable(.launchctl) {
            if let r = try tools.run(.launchctl, ["bootout", service]) {
                if r.succeeded {
                    report.did("unloaded \(Self.label)")
                } else {
                    report.did("not loaded: \(Self.label)")
                }
            }
        } else {
            report.warn("launchctl is not available on this system: if the agent is loaded, run: launchctl bootout \(service)")
        }
        try ManagedFile.remove(plistPath)
        report.did("removed \(plistPath)")
        for dir in created?.removeEmpty(from: home + "/Library/LaunchAgents") ?? [] { report.did("removed \(dir)") }
        for dir in created?.removeEmpty(from: home + "/Library/Logs") ?? [] { report.did("removed \(dir)") }
        return report
    }
}
