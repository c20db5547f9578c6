/// `context-sync install timer`: a systemd user service and timer that run
/// `context-sync run --all --quiet` on a schedule, in `$XDG_CONFIG_HOME/systemd/user/`
/// (default `~/.config/systemd/user/`), then `systemctl --user daemon-reload` and
/// `systemctl --user enable --now context-sync.timer`.
///
/// Files are overwritten only when they carry context-sync's marker. When systemctl is missing or
/// fails, the files stay written and the report carries a warning with the command to run by hand.
public struct SystemdTimerInstaller: Sendable {
    public var unitDirectory: String
    public var executable: String
    public var schedule: Schedule
    public var offsetMinute: Int
    public var tools: SystemTools
    /// Where the folders it creates are recorded, so that uninstalling removes them (nil: not).
    public var created: CreatedDirectories?

    public init(unitDirectory: String, executable: String, schedule: Schedule = .hourly,
                offsetMinute: Int = Schedule.offsetMinute(hostName: MachineName.shortHostName()), tools: SystemTools,
                created: CreatedDirectories? = nil) {
        self.created = created
        self.unitDirectory = unitDirectory
        self.executable = executable
        self.schedule = schedule
        self.offsetMinute = offsetMinute
        self.tools = tools
    }

    /// `$XDG_CONFIG_HOME/systemd/user`, default `~/.config/systemd/user`.
    public static func defaultUnitDirectory(_ env: Environment) -> String {
        (env["XDG_CONFIG_HOME"] ?? env.home + "/.config") + "/systemd/user"
    }

    public var servicePath: String { unitDirectory + "/" + IntegrationNames.systemdService }
    public var timerPath: String { unitDirectory + "/" + IntegrationNames.systemdTimer }

    public var serviceText: String {
        EmbeddedTemplates.systemdService.filling(["EXECUTABLE": Quoting.systemd(executable)])
    }

    public var timerText: String {
        EmbeddedTemplates.systemdTimer.filling([
            "EVERY": schedule.description,
            "ON_CALENDAR": schedule.onCalendar(offsetMinute: offsetMinute),
        ])
    }

    static let timer = IntegrationNames.systemdTimer

    public func install() throws -> InstallReport {
        var report = InstallReport()
        let files = [(servicePath, Array(serviceText.utf8)), (timerPath, Array(timerText.utf8))]
        let states = try files.map { try ManagedFile.state(of: $0.0, wanted: $0.1) }
        for (i, s) in states.enumerated() where s == .foreign {
            throw ContextSyncError.foreignFile(files[i].0, what: "overwrite")
        }
        try created?.make(unitDirectory)
        for (i, (path, bytes)) in files.enumerated() {
            switch states[i] {
            case .same: report.did("already installed: \(path)")
            case .absent: try ManagedFile.write(bytes, to: path); report.did("wrote \(path)")
            case .ours: try ManagedFile.write(bytes, to: path); report.did("updated \(path)")
            case .foreign: break
            }
        }
        let changed = states.contains { $0 != .same }
        let timerUpdated = states[1] == .ours
        let manual = "systemctl --user daemon-reload && systemctl --user enable --now \(Self.timer)"
        guard tools.isAvailable(.systemctl) else {
            report.warn("systemctl not found: the timer is not enabled; to enable it, run: \(manual)")
            return report
        }
        let inPlace = "the unit files are in place"
        if changed {
            guard try systemctl(["daemon-reload"], &report, manual: manual, files: inPlace) else { return report }
        } else if try isEnabledAndActive() {
            report.did("already enabled: \(Self.timer)")
            return report
        }
        guard try systemctl(["enable", "--now", Self.timer], &report, manual: manual, files: inPlace) else { return report }
        if timerUpdated {
            // A running timer keeps its old schedule until restarted.
            guard try systemctl(["restart", Self.timer], &report, manual: "systemctl --user restart \(Self.timer)",
                                files: inPlace) else { return report }
        }
        report.did("enabled \(Self.timer): runs \(schedule.description) (\(schedule.onCalendar(offsetMinute: offsetMinute)))")
        return report
    }

    public func uninstall() throws -> InstallReport {
        var report = InstallReport()
        let paths = [servicePath, timerPath]
        let wanted = [Array(serviceText.utf8), Array(timerText.utf8)]
        let states = try paths.indices.map { try ManagedFile.state(of: paths[$0], wanted: wanted[$0]) }
        for (i, s) in states.enumerated() where s == .foreign {
            throw ContextSyncError.foreignFile(paths[i], what: "remove")
        }
        if states.allSatisfy({ $0 == .absent }) {
            for p in paths { report.did("not installed: \(p)") }
            return report
        }
        let available = tools.isAvailable(.systemctl)
        if available {
            _ = try systemctl(["disable", "--now", Self.timer], &report,
                              manual: "systemctl --user disable --now \(Self.timer)", done: "disabled \(Self.timer)")
        } else {
            report.warn("systemctl not found: if the timer is still active, run: systemctl --user disable --now \(Self.timer)")
        }
        for (i, p) in paths.enumerated() {
            if states[i] == .absent {
                report.did("not installed: \(p)")
            } else {
                try ManagedFile.remove(p)
                report.did("removed \(p)")
            }
        }
        for dir in created?.removeEmpty(from: unitDirectory) ?? [] { report.did("removed \(dir)") }
        if available {
            _ = try systemctl(["daemon-reload"], &report, manual: "systemctl --user daemon-reload",
                              files: "the unit files are removed")
        }
        return report
    }

    /// Runs `systemctl --user <args>`; on failure adds a warning with what did happen, where the
    /// unit files are (`files`, when that matters) and the command to run by hand. Status 0 is
    /// success whatever it printed: systemctl reports "Created symlink …" on stderr.
    private func systemctl(_ args: [String], _ report: inout InstallReport, manual: String, done: String? = nil,
                           files: String? = nil) throws -> Bool {
        let argv = ["--user"] + args
        guard let r = try tools.run(.systemctl, argv) else { return false }
        if r.succeeded {
            if let done { report.did(done) }
            return true
        }
        let output = SystemctlOutput(r)
        var what = "\(commandLine(.systemctl, argv)) failed (status \(r.status)\(output.error.map { ": " + $0 } ?? ""))"
        var byHand = manual
        if args.first == "enable", let link = output.changes.first {
            // The unit was enabled, starting it failed.
            what = "enabled \(Self.timer) (\(link)), but starting it failed (status \(r.status)\(output.error.map { ": " + $0 } ?? ""))"
            byHand = "journalctl --user -u \(Self.timer) to see why, then systemctl --user start \(Self.timer)"
        }
        report.warn(what + (files.map { "; " + $0 } ?? "") + "; run by hand: \(byHand)")
        return false
    }

    private func isEnabledAndActive() throws -> Bool {
        guard let enabled = try tools.run(.systemctl, ["--user", "is-enabled", "--quiet", Self.timer]),
              let active = try tools.run(.systemctl, ["--user", "is-active", "--quiet", Self.timer]) else { return false }
        return enabled.succeeded && active.succeeded
    }
}
